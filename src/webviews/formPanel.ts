import * as vscode from 'vscode';
import { createProvider, type RegistryManager } from '../config/registryManager';
import { descriptorOf } from '../registry/kinds';
import { registryEntrySchema, type RegistryEntry } from '../config/schema';
import type { Logger } from '../registry/context';
import { NotFoundError } from '../registry/errors';
import { sameBinding, type SecretStore } from '../secrets/secretStore';
import { coerceFormValues, describeForm, fieldErrors, registryForm } from './forms';
import { formStrings } from './formStrings';
import type { PanelSpec } from './panelHost';
import type { RestoreState } from './protocol';

export interface RegistryFormTarget {
  formId: 'registry';
  /** Name of the registry being edited. */
  target: string;
}

export function parseFormRestore(s: RestoreState | undefined): RegistryFormTarget | undefined {
  if (s && s.formId === 'registry' && typeof s.target === 'string') return { formId: 'registry', target: s.target };
  return undefined;
}

/** Edit a registry's settings in the form editor; Save optionally tests the connection first. */
export function registryFormSpec(deps: { manager: RegistryManager; secrets: SecretStore; logger: Logger }, t: RegistryFormTarget): PanelSpec {
  let current = t.target;
  return {
    kind: 'form',
    key: `registry:${t.target}`,
    title: vscode.l10n.t('Edit Registry: {0}', t.target),
    restore: { ...t },
    async load() {
      const state = deps.manager.get(current);
      if (!state) throw new NotFoundError(`No registry named "${current}" is configured`);
      const e = state.entry;
      return {
        type: 'init',
        panel: 'form',
        data: {
          formId: 'registry',
          title: vscode.l10n.t('Registry “{0}”', e.name),
          description: vscode.l10n.t('Settings of this registry. The password or token is not part of this form: use Sign In.'),
          form: describeForm(registryForm),
          strings: formStrings(),
          values: { name: e.name, kind: e.kind, url: e.url, username: e.username ?? '', namespaces: e.namespaces ?? [], caFile: e.caFile ?? '', insecureSkipTlsVerify: e.insecureSkipTlsVerify ?? false, testConnection: true },
          submitLabel: 'Save',
        },
        restore: { formId: 'registry', target: current },
      };
    },
    async onMessage(msg, post) {
      if (msg.type !== 'save') return;
      const parsed = registryForm.safeParse(coerceFormValues(describeForm(registryForm), msg.values));
      if (!parsed.success) {
        post({ type: 'reply', requestId: msg.requestId, ok: false, message: 'Some fields need attention.', fieldErrors: fieldErrors(parsed.error) });
        return;
      }
      const { testConnection, ...values } = parsed.data;
      const entryResult = registryEntrySchema.safeParse({ ...values, username: values.username || undefined, caFile: values.caFile || undefined, namespaces: values.namespaces?.length ? values.namespaces : undefined, insecureSkipTlsVerify: values.insecureSkipTlsVerify || undefined });
      if (!entryResult.success) {
        post({ type: 'reply', requestId: msg.requestId, ok: false, message: 'Some fields need attention.', fieldErrors: fieldErrors(entryResult.error) });
        return;
      }
      const entry: RegistryEntry = entryResult.data;
      if (entry.name.toLowerCase() !== current.toLowerCase() && deps.manager.get(entry.name)) {
        post({ type: 'reply', requestId: msg.requestId, ok: false, message: 'Some fields need attention.', fieldErrors: { name: `A registry named "${entry.name}" exists already` } });
        return;
      }
      const old = deps.manager.get(current)?.entry;
      if (testConnection && descriptorOf(entry.kind)?.implemented) {
        const secret = old && sameBinding(old, entry) ? await deps.secrets.get(old.name, old) : undefined;
        const provider = createProvider({ connection: { id: entry.name, kind: entry.kind, url: entry.url, username: entry.username, caFile: entry.caFile, insecureSkipTlsVerify: entry.insecureSkipTlsVerify }, credentials: async () => ({ username: entry.username, secret }), logger: deps.logger });
        try {
          const r = await provider.ping();
          if (!r.ok && r.error?.kind !== 'unauthorized') {
            post({ type: 'reply', requestId: msg.requestId, ok: false, message: `Connection test failed: ${r.error?.message ?? 'unreachable'}. Nothing was saved; fix the settings or untick the test.` });
            return;
          }
        } finally {
          provider.dispose();
        }
      }
      if (old && old.name !== entry.name) {
        // The secrets follow a rename, but only while where they are sent (origins, kind, TLS) stays the same.
        await deps.secrets.rename(old, entry);
      }
      await deps.manager.saveEntry(entry, old?.name ?? entry.name);
      current = entry.name;
      deps.logger.info(`Saved settings of registry ${entry.name}`);
      post({ type: 'reply', requestId: msg.requestId, ok: true, message: `Saved “${entry.name}”.` });
    },
  };
}
