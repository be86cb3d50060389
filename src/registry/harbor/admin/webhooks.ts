import * as z from 'zod';
import { defineAction, defineResource, type ResourceRef, type Scope, type Verdict } from '../../admin';
import { done, namespaceOf, parentKey } from '../../adminKit';
import type { Choice } from '../../choices';
import { urlField } from '../../formFields';
import { t } from '../../l10n';
import { positiveId } from '../retentionApi';
import { HarborWebhookApi, type WebhookEvents, type WebhookExecution, type WebhookPolicy, type WebhookPolicyBody } from '../webhookApi';
import { type HarborAdminPart, signedInPerson } from './shared';

const common = {
  name: z.string().trim().min(1).max(256).meta({ title: t('Name'), placeholder: t('ci-notify') }),
  description: z.string().max(1024).default('').meta({ title: t('Description'), multiline: true }),
  eventTypes: z.array(z.string().trim().min(1)).min(1, t('Pick at least one event type')).meta({ title: t('Event types'), description: t('The events that trigger the webhook, as Harbor lists them') }),
  notifyType: z.string().trim().min(1).default('http').meta({ title: t('Notify type'), description: t('How Harbor delivers the event (http, slack…), as Harbor lists them') }),
  address: urlField({ allowHttp: true, description: t('Harbor sends the events there.') }).meta({ title: t('Endpoint URL'), placeholder: t('https://hooks.example.com/harbor') }),
  skipCertVerify: z.boolean().default(false).meta({ title: t('Skip certificate verification'), description: t("Harbor does not check the endpoint's TLS certificate") }),
  payloadFormat: z.string().trim().default('').meta({ title: t('Payload format'), description: t('Default or CloudEvents (Harbor 2.8 and later); empty: the server default') }),
  enabled: z.boolean().default(true).meta({ title: t('Enabled') }),
};
const authHeader = z.string().min(1).max(4096).meta({ title: t('Auth header'), description: t('The Authorization header value Harbor sends with each event; never shown again'), secret: true });
export const webhookCreateForm = z.object({
  ...common,
  auth: z
    .discriminatedUnion('kind', [z.object({ kind: z.literal('none') }), z.object({ kind: z.literal('header'), authHeader })])
    .default({ kind: 'none' })
    .meta({ title: t('Authentication'), description: t('none, or an auth header Harbor sends to the endpoint') }),
});
export const webhookUpdateForm = z.object({
  ...common,
  auth: z
    .discriminatedUnion('kind', [z.object({ kind: z.literal('keep') }), z.object({ kind: z.literal('none') }), z.object({ kind: z.literal('header'), authHeader })])
    .default({ kind: 'keep' })
    .meta({ title: t('Authentication'), description: t('keep: the auth header Harbor has (if any) · none: remove it · header: a new one') }),
});
type Common = z.output<typeof webhookCreateForm> | z.output<typeof webhookUpdateForm>;

/** Where the endpoint is, without its path and query (a Slack or chat URL carries its token in them). */
function endpointOrigin(address: string | null | undefined): string {
  try {
    const u = new URL(address ?? '');
    return `${u.protocol}//${u.host}${u.pathname.length > 1 || u.search ? '/…' : ''}`;
  } catch {
    return t('(invalid address)');
  }
}

/**
 * Webhooks of a project: list, create, edit (the auth header is a secret field: never read back, kept unless
 * replaced or removed), enable / disable, delete, and the last executions of each policy.
 */
export const webhooksPart: HarborAdminPart = (host) => {
  const api = new HarborWebhookApi(host.client);
  const projectOfRef = (ref: { scope: Scope }) => namespaceOf(ref.scope);

  const body = (v: Common, auth: string | undefined, events?: WebhookEvents): WebhookPolicyBody => {
    const formats = events?.payload_formats;
    return {
      name: v.name,
      description: v.description,
      enabled: v.enabled,
      event_types: [...new Set(v.eventTypes)],
      targets: [
        {
          type: v.notifyType,
          address: v.address,
          ...(auth ? { auth_header: auth } : {}),
          skip_cert_verify: v.skipCertVerify,
          // Harbor before 2.8 lists no payload formats and knows no `payload_format`.
          ...(formats?.length ? { payload_format: v.payloadFormat || 'Default' } : {}),
        },
      ],
    };
  };
  const verify = async (scope: Scope, v: Common, signal?: AbortSignal): Promise<Verdict> => {
    const ev = await api.events(namespaceOf(scope), signal);
    const known = ev.event_type ?? [];
    const unknown = v.eventTypes.filter((e) => known.length && !known.includes(e));
    if (unknown.length) return { ok: false, summary: t('Harbor supports no event type {0} (it lists {1})', unknown.join(', '), known.join(', ')) };
    if (ev.notify_type?.length && !ev.notify_type.includes(v.notifyType)) return { ok: false, summary: t('Harbor supports no notify type "{0}" (it lists {1})', v.notifyType, ev.notify_type.join(', ')) };
    const formats = ev.payload_formats?.find((f) => f.notify_type === v.notifyType)?.formats ?? [];
    if (v.payloadFormat && ev.payload_formats?.length && !formats.includes(v.payloadFormat)) {
      return { ok: false, summary: t('Harbor offers the payload formats {0} for {1}, not "{2}"', formats.join(', ') || t('none'), v.notifyType, v.payloadFormat) };
    }
    if (v.payloadFormat && !ev.payload_formats?.length) return { ok: false, summary: t('This Harbor has no payload formats: leave the field empty') };
    return { ok: true, summary: t('{0} to {1}', v.eventTypes.join(', '), endpointOrigin(v.address)) };
  };
  const choices = {
    eventTypes: { load: async (scope: Scope, _q: string, signal?: AbortSignal): Promise<Choice[]> => ((await api.events(namespaceOf(scope), signal)).event_type ?? []).map((e) => ({ value: e, label: e })), title: t('event types') },
    notifyType: { load: async (scope: Scope, _q: string, signal?: AbortSignal): Promise<Choice[]> => ((await api.events(namespaceOf(scope), signal)).notify_type ?? []).map((e) => ({ value: e, label: e })), title: t('notify types') },
    payloadFormat: {
      load: async (scope: Scope, _q: string, signal?: AbortSignal): Promise<Choice[]> => {
        const seen = new Map<string, string[]>();
        for (const f of (await api.events(namespaceOf(scope), signal)).payload_formats ?? []) for (const x of f.formats ?? []) seen.set(x, [...(seen.get(x) ?? []), f.notify_type ?? '?']);
        return [...seen].map(([value, types]) => ({ value, label: value, description: t('for {0}', types.join(', ')) }));
      },
      title: t('payload formats'),
    },
  };
  const idOf = (ref: ResourceRef) => positiveId(ref.key, 'webhook policy id');
  const toggle = (enable: boolean) =>
    defineAction<WebhookPolicy>()({
      id: enable ? 'enable' : 'disable',
      title: enable ? t('Enable') : t('Disable'),
      icon: enable ? 'play' : 'debug-pause',
      when: (x) => (x.enabled !== false) !== enable,
      run: async (ref, _input, signal) => {
        const project = projectOfRef(ref);
        const raw = await api.rawPolicy(project, idOf(ref), signal);
        const targets = (raw.targets ?? []).map((x) => ({ type: x.type ?? 'http', address: x.address ?? '', ...(x.auth_header ? { auth_header: x.auth_header } : {}), skip_cert_verify: !!x.skip_cert_verify, ...(x.payload_format ? { payload_format: x.payload_format } : {}) }));
        await api.update(project, raw.id, { name: raw.name ?? '', description: raw.description ?? '', enabled: enable, event_types: raw.event_types ?? [], targets }, signal);
        return done(enable ? t('Enabled webhook {0} of {1}', raw.name ?? raw.id, project) : t('Disabled webhook {0} of {1}', raw.name ?? raw.id, project), 'item');
      },
    });

  const webhook = defineResource<WebhookPolicy>()({
    type: 'harborWebhook',
    title: t('Webhooks'),
    itemTitle: t('webhook'),
    icon: 'plug',
    placement: { under: 'namespace' },
    shape: 'list',
    available: async (scope) => !!scope.namespace && (await signedInPerson(host)),
    key: (x) => String(x.id),
    view: (x) => {
      const target = x.targets[0];
      return {
        label: x.name || t('webhook {0}', x.id),
        description: `${x.enabled === false ? t('disabled · ') : ''}${endpointOrigin(target?.address)}`,
        tooltip: [
          x.description,
          t('Events: {0}', (x.event_types ?? []).join(', ') || '—'),
          t('Notify type: {0}', target?.type ?? '?'),
          target?.payload_format ? t('Payload format: {0}', target.payload_format) : undefined,
          target?.hasAuthHeader ? t('Sends an auth header') : undefined,
          target?.skip_cert_verify ? t('Skips certificate verification') : undefined,
        ]
          .filter(Boolean)
          .join('\n'),
        icon: x.enabled === false ? 'circle-slash' : 'plug',
      };
    },
    list: (scope, cursor, opts) => api.policies(namespaceOf(scope), cursor, opts?.pageSize, opts?.signal),
    get: (ref, signal) => api.policy(projectOfRef(ref), idOf(ref), signal),
    create: {
      title: t('New Webhook'),
      form: { schema: webhookCreateForm, title: t('New webhook'), choices, verify: (scope, v, signal) => verify(scope, v, signal) },
      run: async (scope, v, signal) => {
        const project = namespaceOf(scope);
        const events = await api.events(project, signal);
        await api.create(project, body(v, v.auth.kind === 'header' ? v.auth.authHeader : undefined, events), signal);
        return done(t('Created webhook {0} of {1}', v.name, project));
      },
    },
    update: {
      title: t('Edit Webhook'),
      form: { schema: webhookUpdateForm, title: t('Edit webhook'), choices, verify: (ref, v, signal) => verify(ref.scope, v, signal) },
      values: async (ref, signal) => {
        const x = await api.policy(projectOfRef(ref), idOf(ref), signal);
        const target = x.targets[0];
        return {
          name: x.name ?? '',
          description: x.description ?? '',
          eventTypes: x.event_types ?? [],
          notifyType: target?.type ?? 'http',
          address: target?.address ?? '',
          skipCertVerify: !!target?.skip_cert_verify,
          payloadFormat: target?.payload_format ?? '',
          enabled: x.enabled !== false,
          auth: { kind: 'keep' as const },
        };
      },
      run: async (ref, v, signal) => {
        const project = projectOfRef(ref);
        const raw = await api.rawPolicy(project, idOf(ref), signal);
        const auth = v.auth.kind === 'header' ? v.auth.authHeader : v.auth.kind === 'keep' ? (raw.targets?.[0]?.auth_header ?? undefined) : undefined;
        await api.update(project, raw.id, body(v, auth || undefined, await api.events(project, signal)), signal);
        return done(t('Saved webhook {0} of {1}', v.name, project), 'item');
      },
    },
    remove: {
      title: t('Delete Webhook'),
      confirm: (x, ref) =>
        Promise.resolve({
          message: t('Delete webhook "{0}" of project {1}?', x.name ?? x.id, projectOfRef(ref)),
          detail: t('Harbor stops sending {0} to {1}.', (x.event_types ?? []).join(', ') || t('events'), endpointOrigin(x.targets[0]?.address)),
          button: t('Delete Webhook'),
        }),
      run: async (ref, signal) => {
        await api.remove(projectOfRef(ref), idOf(ref), signal);
        return done(t('Deleted webhook {0} of {1}', ref.key, projectOfRef(ref)));
      },
    },
    actions: [toggle(true), toggle(false)],
  });

  const eventOf = (x: WebhookExecution) => (typeof x.extra_attrs?.event_type === 'string' ? x.extra_attrs.event_type : undefined);
  const executions = defineResource<WebhookExecution>()({
    type: 'harborWebhookExecution',
    title: t('Last executions'),
    itemTitle: t('webhook execution'),
    icon: 'history',
    placement: { under: { type: 'harborWebhook' } },
    shape: 'list',
    key: (x) => String(x.id),
    view: (x) => ({
      label: t('{0} · {1}', eventOf(x) ?? x.trigger ?? t('event'), x.status ?? '?'),
      description: x.start_time ?? undefined,
      tooltip: [t('Execution {0}', x.id), x.status_message ? t('Message: {0}', x.status_message) : undefined, t('Started: {0}', x.start_time ?? '?'), t('Ended: {0}', x.end_time || '—')].filter(Boolean).join('\n'),
      icon: /^(error|failed)$/i.test(x.status ?? '') ? 'error' : /^success/i.test(x.status ?? '') ? 'pass' : 'history',
    }),
    list: (scope, cursor, opts) => api.executions(namespaceOf(scope), positiveId(parentKey(scope, 'harborWebhook'), 'webhook policy id'), cursor, opts?.pageSize, opts?.signal),
  });

  return [webhook, executions];
};
