import * as z from 'zod';
import { type Verdict, defineAction, defineResource } from '../../admin';
import { done } from '../../adminKit';
import { NotFoundError, isRegistryError } from '../../errors';
import { isPlainHttp, urlField } from '../../formFields';
import { t } from '../../l10n';
import { type EndpointInput, type HarborRegistryEndpoint, type HarborScanner, HarborSystemApi } from '../systemApi';
import type { HarborAdminHost, HarborAdminPart } from './shared';
import { numericKey } from './ids';
import { isSysAdmin } from './sysadmin';

/**
 * System administration, for system administrators only (hidden, with no error, for everyone else): registry
 * endpoints (replication targets and proxy-cache upstreams) and the registered vulnerability scanners. Replication
 * and garbage collection are in replication.ts and gc.ts.
 */

const endpointFields = {
  name: z.string().trim().min(1).max(255).meta({ title: t('Name') }),
  url: urlField({ allowHttp: true }).meta({ title: t('Endpoint URL'), placeholder: t('https://registry.example.com') }),
  description: z.string().max(1024).optional().meta({ title: t('Description') }),
  accessKey: z.string().trim().max(1024).optional().meta({ title: t('Access ID'), description: t('The user name or access key Harbor signs in with; empty: anonymous') }),
  insecure: z.boolean().default(false).meta({ title: t('Skip certificate verification'), description: t('Harbor accepts any certificate of the endpoint') }),
};

export const endpointCreateForm = z.object({
  type: z.string().trim().min(1).meta({ title: t('Provider'), description: t('The kind of registry, as this Harbor supports them') }),
  ...endpointFields,
  accessSecret: z.string().max(4096).optional().meta({ title: t('Access secret'), secret: true, description: t('The password or secret of the access ID') }),
});

export const endpointUpdateForm = z.object({
  ...endpointFields,
  accessSecret: z.string().max(4096).optional().meta({ title: t('Access secret'), secret: true, description: t('Empty keeps the stored one') }),
});

function toInput(v: { type?: string; name: string; url: string; description?: string; accessKey?: string; accessSecret?: string; insecure: boolean }): EndpointInput {
  return { type: v.type, name: v.name, url: v.url, description: v.description, accessKey: v.accessKey, accessSecret: v.accessSecret, insecure: v.insecure };
}

/** What Harbor's ping says, as a verdict: reachable saves at once; unreachable asks before saving anyway. */
async function pingVerdict(api: HarborSystemApi, v: EndpointInput, signal?: AbortSignal): Promise<Verdict> {
  const http = isPlainHttp(v.url ?? '') ? ` ${t('A plain http:// URL sends the access secret unencrypted.')}` : '';
  try {
    await api.ping(v, signal);
    if (http) return { ok: true, summary: t('Harbor reached {0}.', v.url ?? '') + http, confirm: { message: t('Save endpoint {0} with a plain http:// URL?', v.name ?? ''), button: t('Save') } };
    return { ok: true, summary: t('Harbor reached {0}.', v.url ?? '') };
  } catch (e) {
    if (!isRegistryError(e) || e.name === 'CancelledError') throw e;
    return {
      ok: true,
      summary: t('Harbor could not reach {0}: {1}', v.url ?? '', e.message) + http,
      confirm: { message: t('Save endpoint {0} anyway?', v.name ?? ''), detail: t('Replication and proxy cache through it fail until Harbor reaches it.'), button: t('Save Anyway') },
    };
  }
}

function endpointsType(host: HarborAdminHost, api: HarborSystemApi) {
  const action = defineAction<HarborRegistryEndpoint>();
  return defineResource<HarborRegistryEndpoint>()({
    type: 'registryEndpoint',
    title: t('Registry Endpoints'),
    itemTitle: t('registry endpoint'),
    icon: 'plug',
    placement: { under: 'registry', group: 'administration' },
    shape: 'list',
    available: (_scope, signal) => isSysAdmin(host, signal),
    key: (r) => String(r.id),
    view: (r) => ({
      label: r.name,
      description: [r.type, r.url, r.status, r.insecure ? t('certificate not verified') : undefined].filter(Boolean).join(' · '),
      tooltip: [r.name, r.description ?? '', r.url ?? '', r.credential?.access_key ? t('Signs in as {0}', r.credential.access_key) : t('Anonymous')].filter(Boolean).join('\n'),
      icon: r.status === 'unhealthy' ? 'warning' : 'plug',
    }),
    list: (_scope, cursor, opts) => api.registries(cursor, opts?.signal),
    get: (ref, signal) => api.registry(numericKey(ref.key, 'registry endpoint'), signal),
    create: {
      title: t('Add Registry Endpoint'),
      form: {
        schema: endpointCreateForm,
        submitLabel: t('Add'),
        choices: {
          type: {
            title: t('providers'),
            async load(_s, query, signal) {
              const q = query.trim().toLowerCase();
              return (await api.adapters(signal)).filter((a) => !q || a.includes(q)).map((a) => ({ value: a, label: a }));
            },
          },
        },
        verify: (_scope, v, signal) => pingVerdict(api, toInput(v), signal),
      },
      async run(_scope, v, signal) {
        await api.createRegistry(toInput(v), signal);
        return done(t('Added registry endpoint {0}', v.name));
      },
    },
    update: {
      title: t('Edit Registry Endpoint'),
      form: { schema: endpointUpdateForm },
      async values(ref, signal) {
        const r = await api.registry(numericKey(ref.key, 'registry endpoint'), signal);
        return { name: r.name, url: r.url ?? '', description: r.description ?? undefined, accessKey: r.credential?.access_key ?? undefined, insecure: !!r.insecure };
      },
      async run(ref, v, signal) {
        await api.updateRegistry(numericKey(ref.key, 'registry endpoint'), toInput(v), signal);
        return done(t('Saved registry endpoint {0}', v.name));
      },
    },
    remove: {
      title: t('Delete Registry Endpoint'),
      confirm: async (r) => ({
        message: t('Delete registry endpoint {0} ({1})?', r.name, r.url ?? ''),
        detail: t('Harbor refuses while a replication policy or a proxy-cache project uses it.'),
        button: t('Delete Endpoint'),
      }),
      async run(ref, signal) {
        const r = await api.registry(numericKey(ref.key, 'registry endpoint'), signal);
        await api.deleteRegistry(r.id, r.name, signal);
        return done(t('Deleted registry endpoint {0}', r.name));
      },
    },
    actions: [
      action({
        id: 'ping',
        title: t('Test Connection'),
        icon: 'debug-disconnect',
        async run(ref, _v, signal) {
          const r = await api.registry(numericKey(ref.key, 'registry endpoint'), signal);
          await api.ping({ id: r.id }, signal);
          return done(t('Harbor reaches {0} ({1})', r.name, r.url ?? ''), 'none');
        },
      }),
    ],
  });
}

function scannersType(host: HarborAdminHost, api: HarborSystemApi) {
  const action = defineAction<HarborScanner>();
  const find = async (uuid: string, signal?: AbortSignal): Promise<HarborScanner> => {
    for (let cursor: string | undefined, i = 0; i < 10; i++) {
      const page = await api.scanners(cursor, signal);
      const s = page.items.find((x) => x.uuid === uuid);
      if (s) return s;
      if (page.error) throw page.error;
      if (!(cursor = page.next)) break;
    }
    throw new NotFoundError(`No scanner ${uuid.slice(0, 60)} is registered`);
  };
  return defineResource<HarborScanner>()({
    type: 'scanner',
    title: t('Scanners'),
    itemTitle: t('scanner'),
    icon: 'shield',
    placement: { under: 'registry', group: 'administration' },
    shape: 'list',
    available: (_scope, signal) => isSysAdmin(host, signal),
    key: (s) => s.uuid,
    view: (s) => ({
      label: s.name,
      description: [s.is_default ? t('default') : undefined, s.disabled ? t('disabled') : undefined, s.health || undefined, [s.adapter, s.version].filter(Boolean).join(' '), s.vendor].filter(Boolean).join(' · '),
      tooltip: [s.name, s.description ?? '', s.url ?? ''].filter(Boolean).join('\n'),
      icon: s.is_default ? 'star-full' : s.health === 'unhealthy' ? 'warning' : 'shield',
    }),
    list: (_scope, cursor, opts) => api.scanners(cursor, opts?.signal),
    get: (ref, signal) => find(ref.key, signal),
    actions: [
      action({
        id: 'health',
        title: t('Check Health'),
        icon: 'pulse',
        async run(ref, _v, signal) {
          const s = await find(ref.key, signal);
          const m = await api.scannerMetadata(s.uuid, s.name, signal);
          const who = [m.scanner?.name, m.scanner?.version, m.scanner?.vendor ? t('by {0}', m.scanner.vendor) : undefined].filter(Boolean).join(' ');
          const can = (m.capabilities ?? []).map((c) => c.type || 'vulnerability').join(', ');
          return done(t('Scanner {0} answers: {1}; scans for {2}', s.name, who || t('unnamed adapter'), can || t('nothing declared')), 'none');
        },
      }),
      action({
        id: 'setDefault',
        title: t('Set as Default'),
        icon: 'star-full',
        when: (s) => !s.is_default,
        confirm: async (s) => ({ message: t('Make {0} the default scanner?', s.name), detail: t('Projects without a scanner of their own scan with it from now on.'), button: t('Set as Default') }),
        async run(ref, _v, signal) {
          const s = await find(ref.key, signal);
          await api.setDefaultScanner(s.uuid, s.name, signal);
          return done(t('{0} is the default scanner', s.name));
        },
      }),
    ],
  });
}

export const systemPart: HarborAdminPart = (host) => {
  const api = new HarborSystemApi(host.client);
  return [endpointsType(host, api), scannersType(host, api)];
};
