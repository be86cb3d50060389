import * as vscode from 'vscode';
import { runOperation, type AdminPort } from '../admin/pipeline';
import { commandPort, modelOf, providerNamed, resolveOperation, saveFileOutcome, showOutcome, type AdminServices } from '../commands/adminOps';
import { hasKey, type AnyRef } from '../admin/operation';
import { describeForm, withoutSecrets } from '../registry/formSpec';
import { adminFormKey, restoreOf, type AdminFormTarget } from './adminFormTarget';
import { doneReply, stoppedReply, type FormReply, type ReplyTexts } from './adminReply';
import type { PanelSpec } from './panelHost';
import { formStrings } from './formStrings';

/**
 * The one form panel of the admin model: create, edit or an action's input, for any provider. The panel keeps the
 * registry name, the operation and the typed reference (not ids), so after a window reload it resolves the
 * declaration again, and after a save it refreshes the tree nodes showing that reference.
 */
export { parseAdminFormRestore, type AdminFormTarget } from './adminFormTarget';

function subjectOf(ref: AnyRef): string {
  return (hasKey(ref) ? ref.key : '') || ref.scope.repository || ref.scope.namespace || '';
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
      const texts: ReplyTexts = {
        needsAttention: vscode.l10n.t('Some fields need attention.'),
        notSavedVerdict: vscode.l10n.t('Not saved. {0}', '{0}'),
        cancelledNothingChanged: vscode.l10n.t('Cancelled; nothing was changed.'),
        cancelled: vscode.l10n.t('Cancelled.'),
        notSavedBecause: vscode.l10n.t('Not saved: {0}', '{0}'),
        done: vscode.l10n.t('Done.'),
      };
      const reply = (r: FormReply): void => post({ type: 'reply', requestId: msg.requestId, ...r });
      const port: AdminPort = {
        ...commandPort(svc, t.registry, (refresh) => svc.tree.refreshRef(t.registry, t.ref, t.op, refresh)),
        async showOutcome(outcome, verdict) {
          if (outcome.kind === 'file') {
            // Asked before replying, so the panel says whether the file was saved.
            const saved = await saveFileOutcome(outcome);
            reply({ ok: !!saved, message: saved ? vscode.l10n.t('{0}: saved to {1}', outcome.message, saved.fsPath) : vscode.l10n.t('Not saved.') });
            return;
          }
          reply(doneReply(outcome, verdict, texts));
          await showOutcome(svc, t.registry, outcome, true);
        },
      };
      const result = await runOperation(op, msg.values, port, { signal: closed.signal });
      // The page keeps the input as typed whatever the reply says.
      if (result.status !== 'done') reply(stoppedReply(result, texts));
    },
  };
}

