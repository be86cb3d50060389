import * as vscode from 'vscode';
import { runOperation, type AdminPort } from '../admin/pipeline';
import { commandPort, modelOf, providerNamed, resolveOperation, saveFileOutcome, showOutcome, type AdminServices } from '../commands/adminOps';
import type { Outcome, ResourceRef, Verdict } from '../registry/admin';
import { describeForm, withoutSecrets } from '../registry/formSpec';
import { adminFormKey, restoreOf, type AdminFormTarget } from './adminFormTarget';
import type { PanelSpec } from './panelHost';
import { formStrings } from './formStrings';

/**
 * The one form panel of the admin model: create, edit or an action's input, for any provider. The panel keeps the
 * registry name, the operation and the typed reference (not ids), so after a window reload it resolves the
 * declaration again, and after a save it refreshes the tree nodes showing that reference.
 */
export { parseAdminFormRestore, type AdminFormTarget } from './adminFormTarget';

function subjectOf(ref: ResourceRef): string {
  return ref.key || ref.scope.repository || ref.scope.namespace || '';
}

export function adminFormSpec(svc: AdminServices, t: AdminFormTarget): PanelSpec {
  // Resolved on use: a restored panel may come back before the registry's provider is usable.
  const operation = () => resolveOperation(modelOf(providerNamed(svc.manager, t.registry), t.registry), t.op, t.ref, t.actionId);
  const restore = restoreOf(t);
  /** Aborts a save in progress when the panel closes. */
  const closed = new AbortController();
  let title: string;
  try {
    const op = operation();
    // An action's menu title ends with "…" (it asks for input); the panel showing that input does not.
    const opTitle = op.title.replace(/…$/, '');
    title = subjectOf(t.ref) && t.op !== 'create' ? `${opTitle}: ${subjectOf(t.ref)}` : opTitle;
  } catch {
    title = vscode.l10n.t('Form');
  }
  return {
    kind: 'form',
    key: adminFormKey(t),
    title,
    restore,
    async load(signal) {
      const op = operation();
      const form = op.form;
      if (!form) throw new Error(vscode.l10n.t('This operation has no form'));
      // A secret is never echoed back into the page, whatever the server returned.
      const values = withoutSecrets(describeForm(form.schema), op.values ? await op.values(signal) : {});
      return {
        type: 'init',
        panel: 'form',
        data: {
          formId: 'admin',
          title: form.title ?? title,
          description: form.description ?? vscode.l10n.t('On {0}.', t.registry),
          form: describeForm(form.schema),
          values,
          submitLabel: form.submitLabel ?? (t.op === 'create' ? vscode.l10n.t('Create') : t.op === 'action' ? vscode.l10n.t('Run') : vscode.l10n.t('Save')),
          strings: formStrings(),
        },
        restore,
      };
    },
    scrubDraft(values) {
      // A secret typed into the form never reaches a draft (workspace state) or the reopen offer.
      try {
        const form = operation().form;
        return form ? withoutSecrets(describeForm(form.schema), values) : {};
      } catch {
        return {};
      }
    },
    dispose() {
      closed.abort();
    },
    async onMessage(msg, post) {
      if (msg.type !== 'save') return;
      const op = operation();
      if (!op.form) throw new Error(vscode.l10n.t('This operation has no form'));
      const reply = (ok: boolean, message: string, extra: { fieldErrors?: Record<string, string>; items?: string[] } = {}): void =>
        post({ type: 'reply', requestId: msg.requestId, ok, message, ...(extra.fieldErrors ? { fieldErrors: extra.fieldErrors } : {}), ...(extra.items?.length ? { items: extra.items } : {}) });
      const port: AdminPort = {
        ...commandPort(svc, t.registry, (refresh) => svc.tree.refreshRef(t.registry, t.ref, t.op, refresh)),
        async showOutcome(outcome, verdict) {
          if (outcome.kind === 'file') {
            // Asked before replying, so the panel says whether the file was saved.
            const saved = await saveFileOutcome(outcome);
            reply(!!saved, saved ? vscode.l10n.t('{0}: saved to {1}', outcome.message, saved.fsPath) : vscode.l10n.t('Not saved.'));
            return;
          }
          reply(true, withVerdict(outcomeMessage(outcome), verdict), { items: verdict?.items });
          await showOutcome(svc, t.registry, outcome, true);
        },
      };
      const result = await runOperation(op, msg.values, port, { signal: closed.signal });
      switch (result.status) {
        case 'done':
          return;
        case 'invalid':
          return reply(false, vscode.l10n.t('Some fields need attention.'), { fieldErrors: result.fieldErrors });
        case 'refused':
          return reply(false, result.verdict.summary, { items: result.verdict.items });
        case 'declined':
          return result.stage === 'verify' && result.verdict
            ? reply(false, vscode.l10n.t('Not saved. {0}', result.verdict.summary), { items: result.verdict.items })
            : reply(false, vscode.l10n.t('Cancelled; nothing was changed.'));
        case 'failed':
          // The page keeps the input as typed; the reply says what failed.
          return reply(false, result.error.kind === 'cancelled' ? vscode.l10n.t('Cancelled.') : result.stage === 'show' ? result.message : vscode.l10n.t('Not saved: {0}', result.message));
      }
    },
  };
}

function outcomeMessage(o: Outcome): string {
  return o.kind === 'done' || o.kind === 'secret' ? o.message : o.kind === 'list' ? o.title : vscode.l10n.t('Done.');
}

/** The verdict stays in view after saving: its summary after the outcome's message. */
function withVerdict(message: string, verdict: Verdict | undefined): string {
  return verdict?.summary ? `${/[.!?]$/.test(message) ? message : `${message}.`} ${verdict.summary}` : message;
}
