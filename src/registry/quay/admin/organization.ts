import type * as z from 'zod';
import { defineResource } from '../../admin';
import { BadResponseError, RegistryError, toRegistryError, UnsupportedError } from '../../errors';
import type { ProxyCacheConfig } from '../api';
import { orgSettingsForm, proxyCacheForm } from '../forms';
import { done, namespaceOf } from '../../adminKit';
import { durationSeconds, formatDuration } from './shared';
import type { AdminCtx, OrgSettingsItem, ProxyCacheItem } from './shared';
import { t } from '../../l10n';

/** Organization settings: the default tag expiration and the proxy cache. */
export function organizationTypes(c: AdminCtx) {
  const { p, api, has, isOrg } = c;

  // ---- Organization settings: default tag expiration ----
  const orgSettings = defineResource<OrgSettingsItem>()({
    type: 'orgTagExpiration',
    title: t('Default tag expiration'),
    itemTitle: t('organization setting'),
    icon: 'watch',
    placement: { under: 'namespace', group: 'policies' },
    shape: 'singleton',
    available: (scope, signal) => isOrg(scope, signal),
    view: (o) => ({
      label: t('Default tag expiration'),
      description: o.tagExpirationSeconds !== undefined ? formatDuration(o.tagExpirationSeconds) : 'server default',
      tooltip: t('How long deleted or expired tags of this organization stay in the tag history, restorable'),
      icon: 'watch',
    }),
    async get(ref, signal) {
      const org = namespaceOf(ref.scope);
      const o = await api.organization(org, signal);
      return { org, tagExpirationSeconds: o.tag_expiration_s ?? undefined };
    },
    update: {
      title: t('Set Default Tag Expiration'),
      form: { schema: orgSettingsForm },
      async values(ref, signal) {
        const o = await api.organization(namespaceOf(ref.scope), signal);
        return { tagExpiration: o.tag_expiration_s != null ? formatDuration(o.tag_expiration_s) : '' };
      },
      async run(ref, v, signal) {
        const org = namespaceOf(ref.scope);
        const seconds = durationSeconds(v.tagExpiration);
        // An older Quay's UpdateOrg has no tag_expiration_s: it answers 200 and ignores the key.
        if (!(await p.client.accepts('UpdateOrg', 'tag_expiration_s', signal))) throw new UnsupportedError(`This Quay cannot change the default tag expiration of an organization (its API does not take tag_expiration_s); nothing was saved`);
        await api.setOrgTagExpiration(org, seconds, signal);
        // Read back: a server that answered the save without taking the value is reported, not trusted.
        const now = (await api.organization(org, signal)).tag_expiration_s;
        if (now !== seconds) throw new BadResponseError(`Quay answered the save but did not take the default tag expiration of ${org}: it is ${now != null ? formatDuration(now) : 'not set'}, not ${formatDuration(seconds)}`);
        return done(t('Deleted tags of {0} now stay restorable for {1}', org, v.tagExpiration), 'item');
      },
    },
  });

  // ---- Organization proxy cache ----
  const proxyBody = (v: z.infer<typeof proxyCacheForm>): ProxyCacheConfig => ({
    upstream_registry: v.upstreamRegistry,
    expiration_s: durationSeconds(v.expiration),
    insecure: v.insecure,
    ...(v.username ? { upstream_registry_username: v.username } : {}),
    ...(v.password ? { upstream_registry_password: v.password } : {}),
  });
  /** Quay's check of a configuration against its upstream; the reason it refuses, or undefined when it takes it. */
  const proxyProblem = async (org: string, config: ProxyCacheConfig, signal?: AbortSignal): Promise<string | undefined> => {
    if (!(await has('proxyCacheValidate', signal))) return undefined;
    try {
      await api.validateProxyCache(org, config, signal);
      return undefined;
    } catch (e) {
      const err = toRegistryError(e);
      if (err.status === 400) return `Quay could not use ${config.upstream_registry} as the upstream: ${err.message}`;
      throw e;
    }
  };
  /** Replaces the configuration (Quay has no update): validated first; the old one is put back when the create fails. */
  const replaceProxyCache = async (org: string, config: ProxyCacheConfig, signal?: AbortSignal): Promise<void> => {
    const problem = await proxyProblem(org, config, signal);
    if (problem) throw new BadResponseError(`${problem}. The proxy cache of ${org} was not changed`);
    const old = await api.proxyCache(org, signal);
    if (old) await api.deleteProxyCache(org, signal);
    try {
      await api.createProxyCache(org, config, signal);
    } catch (e) {
      if (!old?.upstream_registry) throw e;
      const err = toRegistryError(e);
      const restore: ProxyCacheConfig = { upstream_registry: old.upstream_registry, ...(old.expiration_s != null ? { expiration_s: old.expiration_s } : {}), ...(old.insecure != null ? { insecure: old.insecure } : {}) };
      // Not cancelled with the save: the organization is not left without its configuration.
      const restored = await api.createProxyCache(org, restore).then(
        () => `the previous configuration (${old.upstream_registry}) was restored; Quay does not return upstream credentials, so enter them again if it needs them`,
        (r: unknown) => `restoring the previous configuration (${old.upstream_registry}) failed too (${toRegistryError(r).message}); ${org} has no proxy cache now`,
      );
      throw new RegistryError(err.kind, `Quay refused the new proxy cache configuration of ${org}: ${err.message}. ${restored[0]!.toUpperCase()}${restored.slice(1)}`, { status: err.status, request: err.request, cause: e });
    }
    // Read back: what the server answered but did not take is reported.
    const now = await api.proxyCache(org, signal);
    const missed = [
      now?.upstream_registry !== config.upstream_registry ? `upstream ${now?.upstream_registry || 'none'}` : undefined,
      config.expiration_s !== undefined && now?.expiration_s != null && now.expiration_s !== config.expiration_s ? `expiration ${formatDuration(now.expiration_s)}` : undefined,
      config.insecure !== undefined && now?.insecure != null && now.insecure !== config.insecure ? `insecure ${now.insecure}` : undefined,
    ].filter(Boolean);
    if (missed.length) throw new BadResponseError(`Quay answered the save but did not take the proxy cache configuration of ${org}: it now has ${missed.join(', ')}`);
  };
  const proxyCache = defineResource<ProxyCacheItem>()({
    type: 'proxyCache',
    title: t('Proxy cache'),
    itemTitle: t('proxy cache configuration'),
    icon: 'cloud-download',
    placement: { under: 'namespace', group: 'policies' },
    shape: 'singleton',
    available: async (scope, signal) => (await has('proxyCache', signal)) && isOrg(scope, signal),
    view: (x) => ({
      label: t('Proxy cache'),
      description: x.config ? [x.config.upstream_registry, x.config.expiration_s != null ? `expires after ${formatDuration(x.config.expiration_s)}` : undefined, x.config.insecure ? 'insecure' : undefined].filter(Boolean).join(' · ') : 'not configured',
      tooltip: x.config ? `Pulls of ${x.org}/<image> fetch ${x.config.upstream_registry}/<image> and cache it` : 'This organization is not a pull-through cache',
      icon: 'cloud-download',
    }),
    async get(ref, signal) {
      const org = namespaceOf(ref.scope);
      return { org, config: await api.proxyCache(org, signal) };
    },
    update: {
      title: t('Configure Proxy Cache'),
      form: {
        schema: proxyCacheForm,
        description: t('Quay keeps one proxy cache configuration per organization; saving replaces the current one.'),
        async verify(ref, v, signal) {
          const org = namespaceOf(ref.scope);
          const problem = await proxyProblem(org, proxyBody(v), signal);
          if (problem) return { ok: false, summary: problem };
          const current = await api.proxyCache(org, signal);
          if (!current) return { ok: true, summary: t('{0} will cache pulls from {1}', org, v.upstreamRegistry) };
          return {
            ok: true,
            summary: t('{0} caches {1} now', org, current.upstream_registry ?? ''),
            confirm: { message: t('Replace the proxy cache of {0} ({1}) with {2}?', org, current.upstream_registry ?? '', v.upstreamRegistry), button: t('Replace') },
          };
        },
      },
      async values(ref, signal) {
        const c = await api.proxyCache(namespaceOf(ref.scope), signal);
        return { upstreamRegistry: c?.upstream_registry ?? '', expiration: c?.expiration_s != null ? formatDuration(c.expiration_s) : '1d', insecure: c?.insecure ?? false };
      },
      async run(ref, v, signal) {
        const org = namespaceOf(ref.scope);
        await replaceProxyCache(org, proxyBody(v), signal);
        return done(t('{0} now caches pulls from {1}', org, v.upstreamRegistry), 'item');
      },
    },
    actions: [
      {
        id: 'removeProxyCache',
        title: t('Remove Proxy Cache'),
        icon: 'trash',
        when: (x) => !!x.config,
        confirm: async (x) => ({ message: t('Remove the proxy cache of {0} ({1})?', x.org, x.config?.upstream_registry ?? ''), detail: t('Cached images stay; new pulls no longer reach the upstream.'), button: t('Remove') }),
        async run(ref, _input, signal) {
          const org = namespaceOf(ref.scope);
          await api.deleteProxyCache(org, signal);
          return done(t('Removed the proxy cache of {0}', org), 'item');
        },
      },
    ],
  });

  return { orgSettings, proxyCache };
}
