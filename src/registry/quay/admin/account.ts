import { defineAction, defineResource } from '../../admin';
import type { ResourceRef } from '../../admin';
import { basicAuthorization } from '../../auth/basic';
import { BadResponseError, UnauthorizedError, UnsupportedError } from '../../errors';
import { BODY_LIMITS, serverMessage } from '../../http';
import { PagingGuard } from '../../paging';
import { registerSecret } from '../../redact';
import { logDate, OAUTH_TOKEN_USER } from '../api';
import { appTokenForm, logRangeForm, registryLoginForm } from '../forms';
import { done, repositoryOfRef, repositoryOf, namespaceOf, whole } from '../../adminKit';
import { when } from './shared';
import type { AdminCtx, QuayAdminHost, LoginItem } from './shared';
import * as s from '../schemas';
import { t } from '../../l10n';

/** Account: application tokens, quota, usage logs and the optional `/v2` credential. */
export function accountTypes(c: AdminCtx) {
  const { p, api, has, signedIn, isOrg } = c;

  // ---- Account: application tokens ----
  const appTokens = defineResource<s.QuayAppToken>()({
    type: 'appToken',
    title: t('Application tokens'),
    itemTitle: t('application token'),
    icon: 'key',
    placement: { under: 'registry', group: 'account' },
    shape: 'list',
    available: async (_scope, signal) => (await signedIn()) && has('appTokens', signal),
    key: (tok) => tok.uuid,
    view: (tok) => ({
      label: tok.title,
      description: [tok.expiration ? `expires ${when(tok.expiration)}` : 'no expiry', `last used ${when(tok.last_accessed) ?? 'never'}`].join(' · '),
      tooltip: t('Created {0}', when(tok.created) ?? '?'),
      icon: 'key',
    }),
    async list(_scope, _cursor, opts) {
      return whole(await api.appTokens(opts?.signal));
    },
    create: {
      title: t('Create Application Token'),
      form: { schema: appTokenForm, description: t('For docker login and the registry API, in place of your password.') },
      async run(_scope, v, signal) {
        const tok = await api.createAppToken(v.title, signal);
        registerSecret(tok.secret);
        return { kind: 'secret', message: t('Created application token {0}. Copy it now: Quay does not show it again.', tok.title), label: t('Application token {0}', tok.title), secret: tok.secret, refresh: 'list' };
      },
    },
    remove: {
      title: t('Revoke Application Token'),
      confirm: async (tok) => ({ message: t('Revoke application token {0}?', tok.title), detail: t('Logins using it stop working.'), button: t('Revoke Token') }),
      async run(ref, signal) {
        await api.revokeAppToken(ref.key, signal);
        return done(t('Revoked the application token'));
      },
    },
  });

  // ---- Account: quota ----
  const quotas = defineResource<s.QuayQuota>()({
    type: 'quota',
    title: t('Quota'),
    itemTitle: t('quota'),
    icon: 'dashboard',
    placement: { under: 'namespace', group: 'account' },
    shape: 'list',
    available: async (scope, signal) => (await has('quota', signal)) && isOrg(scope, signal),
    key: (q) => String(q.id),
    view: (q) => ({
      label: q.limit ?? `${q.limit_bytes} bytes`,
      description: [(q.limits ?? []).map((l) => `${l.type} at ${l.limit_percent}%`).join(', ') || 'no limits', q.default_config ? 'default' : undefined].filter(Boolean).join(' · '),
      icon: 'dashboard',
    }),
    async list(scope, _cursor, opts) {
      return whole(await api.quotas(namespaceOf(scope), opts?.signal));
    },
  });

  // ---- Account: usage logs ----
  const logView = (e: s.QuayLogEntry) => ({
    label: e.kind,
    description: [e.performer?.name, when(e.datetime), e.ip ?? undefined].filter(Boolean).join(' · '),
    tooltip: Object.entries(e.metadata ?? {})
      .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join('\n'),
    icon: 'history',
  });
  const logKey = (e: s.QuayLogEntry) => `${String(e.datetime)}|${e.kind}|${e.performer?.name ?? ''}|${JSON.stringify(e.metadata ?? {}).slice(0, 80)}`;
  const logs = (level: 'repository' | 'namespace') =>
    defineResource<s.QuayLogEntry>()({
      type: level === 'repository' ? 'repositoryLogs' : 'organizationLogs',
      title: t('Usage logs'),
      itemTitle: t('log entry'),
      icon: 'history',
      placement: { under: level, group: 'account' },
      shape: 'list',
      available: async (scope, signal) => (level === 'repository' ? has('repoLogs', signal) : (await has('orgLogs', signal)) && isOrg(scope, signal)),
      key: logKey,
      view: logView,
      async list(scope, cursor, opts) {
        const target = level === 'repository' ? { repository: repositoryOf(scope) } : { org: namespaceOf(scope) };
        return api.logs(target, {}, cursor, opts?.signal);
      },
    });
  const LOG_PAGES = 10;
  const logsInRange = (level: 'repository' | 'namespace') =>
    defineAction<ResourceRef, ResourceRef>()({
      id: 'usageLogs',
      title: t('Show Usage Logs…'),
      icon: 'history',
      input: { schema: logRangeForm, title: t('Usage logs'), submitLabel: t('Show') },
      async run(ref, v, signal) {
        const ns = ref.scope.namespace ?? ref.key;
        const target = level === 'repository' ? { repository: repositoryOfRef(ref) } : (await p.namespaceKind(ns, signal)) === 'user' ? { user: true as const } : { org: ns };
        const range = { start: logDate(v.from), end: logDate(v.to) };
        const lines: string[] = [];
        const guard = new PagingGuard('The usage logs');
        let cursor: string | undefined;
        let stopped: string | undefined;
        let pages = 0;
        do {
          guard.request(cursor);
          const page = await api.logs(target, range, cursor, signal);
          for (const e of page.items) {
            const view = logView(e);
            lines.push(`${view.label} · ${view.description}`);
          }
          cursor = page.next;
          const stop = page.error ?? guard.check(cursor);
          if (stop) [stopped, cursor] = [stop.message, undefined];
        } while (cursor && ++pages < LOG_PAGES);
        const name = 'org' in target ? target.org : 'repository' in target ? target.repository : ns;
        const message = stopped ?? (cursor ? `The first ${LOG_PAGES} pages; narrow the range to see the rest` : undefined);
        return { kind: 'list', title: t('Usage logs of {0}, {1} – {2}', String(name), v.from, v.to), items: lines, message };
      },
    });

  // ---- Account: the optional /v2 credential ----
  const registryLogin = defineResource<LoginItem>()({
    type: 'registryLogin',
    title: t('Registry login (/v2)'),
    itemTitle: t('registry login'),
    icon: 'plug',
    placement: { under: 'registry', group: 'account' },
    shape: 'singleton',
    view: (l) => ({
      label: t('Registry login (/v2)'),
      description: l.own ? l.username : `${OAUTH_TOKEN_USER} with the API token`,
      tooltip: t('Credentials for pulls and tag details through the registry API. By default Quay accepts $oauthtoken with the OAuth token; set a robot or a user with an application token when the OAuth token lacks repo:read for the registry.'),
      icon: 'plug',
    }),
    async get() {
      const own = await p.registryLogin();
      return own?.secret ? { username: own.username ?? '', own: true } : { username: OAUTH_TOKEN_USER, own: false };
    },
    update: {
      title: t('Set Registry Login'),
      form: { schema: registryLoginForm, description: t('Checked against the registry’s token endpoint (/v2/auth) before it is stored.') },
      async values() {
        const own = await p.registryLogin();
        return { username: own?.username ?? '', password: '' };
      },
      async run(_ref, v, signal) {
        if (!p.ctx.setCredentials) throw new UnsupportedError('This host cannot store a second credential');
        registerSecret(v.password);
        await checkRegistryLogin(p, v.username, v.password, signal);
        await p.ctx.setCredentials('registry', { username: v.username, secret: v.password });
        p.resetAuth();
        return done(t('The registry API now uses {0}', v.username), 'item');
      },
    },
    actions: [
      {
        id: 'clear',
        title: t('Use the API Token for /v2'),
        icon: 'clear-all',
        when: (l) => l.own,
        confirm: async (l) => ({ message: t('Forget the registry login {0}?', l.username), detail: t('Pulls and tag details then use {0} with the API token.', OAUTH_TOKEN_USER), button: t('Forget Login') }),
        async run() {
          if (!p.ctx.setCredentials) throw new UnsupportedError('This host cannot store a second credential');
          await p.ctx.setCredentials('registry', undefined);
          p.resetAuth();
          return done(t('The registry API uses {0} with the API token again', OAUTH_TOKEN_USER), 'item');
        },
      },
    ],
  });

  return { appTokens, quotas, logs, logsInRange, registryLogin };
}

/**
 * Checks a `/v2` login against the registry's token endpoint, so a wrong one is never stored. Redirects are not
 * followed (a 3xx fails the check: another origin's 200 says nothing about this registry) and the answer is read up
 * to the token body limit.
 */
async function checkRegistryLogin(p: QuayAdminHost, username: string, password: string, signal?: AbortSignal): Promise<void> {
  const base = new URL(p.ctx.connection.registryUrl ?? p.ctx.connection.url);
  const url = new URL('/v2/auth', base.origin);
  url.searchParams.set('service', base.host);
  const res = await p.client.transport.request({ method: 'GET', url: url.href, headers: { authorization: basicAuthorization(username, password) }, signal, maxRedirects: 0, maxBodyBytes: BODY_LIMITS.token });
  if (res.status === 401 || res.status === 403) throw new UnauthorizedError(`The registry rejected ${username} (${res.status})`);
  if (res.status >= 300 && res.status < 400) throw new BadResponseError(`The registry token endpoint redirected (${res.status}) instead of answering; the login was not checked and is not stored`);
  if (res.status < 200 || res.status >= 300) throw new BadResponseError(`The registry token endpoint answered ${res.status}${serverMessage(res) ? `: ${serverMessage(res)}` : ''}`);
}
