import * as vscode from 'vscode';
import { createProvider, type RegistryManager } from '../config/registryManager';
import { descriptorOf } from '../registry/kinds';
import { registryEntryFields, type RegistryEntry } from '../config/schema';
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
      const form = describeForm(registryForm);
      // Every field of the form comes from the entry (one schema), so nothing the entry has is left out of Save.
      const values: Record<string, unknown> = { namespaces: [], repositories: [], tokenRealms: await deps.secrets.tokenRealms(e.name, e), testConnection: true };
      for (const f of registryEntryFields) values[f] = e[f] ?? values[f] ?? (f === 'insecureSkipTlsVerify' ? false : '');
      return {
        type: 'init',
        panel: 'form',
        data: {
          formId: 'registry',
          title: vscode.l10n.t('Registry “{0}”', e.name),
          description: vscode.l10n.t('Settings of this registry. The password or token is not part of this form: use Sign In.'),
          form,
          strings: formStrings(),
          values,
          submitLabel: 'Save',
        },
        restore: { formId: 'registry', target: current },
      };
    },
    async onMessage(msg, post) {
      if (msg.type !== 'save') return;
      const fail = (error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }) =>
        post({ type: 'reply', requestId: msg.requestId, ok: false, message: 'Some fields need attention.', fieldErrors: fieldErrors(error) });
      const parsed = registryForm.safeParse(coerceFormValues(describeForm(registryForm), msg.values));
      if (!parsed.success) return fail(parsed.error);
      const { testConnection, tokenRealms, ...values } = parsed.data;
      // An unticked checkbox is the setting's default: not written.
      const entry: RegistryEntry = { ...values, insecureSkipTlsVerify: values.insecureSkipTlsVerify || undefined };
      if (entry.name.toLowerCase() !== current.toLowerCase() && deps.manager.get(entry.name)) {
        post({ type: 'reply', requestId: msg.requestId, ok: false, message: 'Some fields need attention.', fieldErrors: { name: `A registry named "${entry.name}" exists already` } });
        return;
      }
      const old = deps.manager.get(current)?.entry;
      // The stored secrets and allowed token services apply while where they are sent stays the same.
      const keep = !!old && sameBinding(old, entry);
      if (testConnection && descriptorOf(entry.kind)?.implemented) {
        // The same context as the tree's provider (proxy, timeout, CA, registryUrl, token services), with the
        // secrets only while the binding holds.
        const provider = createProvider(deps.manager.providerContext(entry, keep && old ? { name: old.name, binding: old } : undefined));
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
      // Every field of the entry schema is in the form: those are edited; fields it does not know are kept.
      await deps.manager.saveEntry(entry, old?.name ?? entry.name);
      if (keep) await deps.secrets.setTokenRealms(entry.name, entry, tokenRealms ?? []);
      current = entry.name;
      deps.logger.info(`Saved settings of registry ${entry.name}`);
      post({ type: 'reply', requestId: msg.requestId, ok: true, message: `Saved “${entry.name}”.` });
    },
  };
}
