import * as vscode from 'vscode';
import { confirm, logOutcome, modelOf, providerNamed, resolveOperation, saveFileOutcome, showOutcome, type AdminServices } from '../commands/adminOps';
import type { ResourceRef } from '../registry/admin';
import { coerceFormValues, describeForm, fieldErrors } from '../registry/formSpec';
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
      const values = op.values ? await op.values(signal) : {};
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
    async onMessage(msg, post) {
      if (msg.type !== 'save') return;
      const op = operation();
      const form = op.form!;
      const parsed = form.schema.safeParse(coerceFormValues(describeForm(form.schema), msg.values));
      if (!parsed.success) {
        post({ type: 'reply', requestId: msg.requestId, ok: false, message: vscode.l10n.t('Some fields need attention.'), fieldErrors: fieldErrors(parsed.error) });
        return;
      }
      // Verify before save: the provider's check, its verdict, a modal confirmation naming what it found.
      let summary = '';
      let items: string[] | undefined;
      if (form.verify) {
        const verdict = await form.verify(op.verifyTarget, parsed.data);
        summary = verdict.summary;
        items = verdict.items;
        if (!verdict.ok) {
          post({ type: 'reply', requestId: msg.requestId, ok: false, message: verdict.summary, items: verdict.items });
          return;
        }
        if (verdict.confirm && !(await confirm(verdict.confirm, false))) {
          post({ type: 'reply', requestId: msg.requestId, ok: false, message: vscode.l10n.t('Not saved. {0}', verdict.summary), items: verdict.items });
          return;
        }
      }
      const confirmation = await op.confirm?.(parsed.data);
      if (confirmation && !(await confirm(confirmation))) {
        post({ type: 'reply', requestId: msg.requestId, ok: false, message: vscode.l10n.t('Cancelled; nothing was changed.') });
        return;
      }
      const outcome = await op.run(parsed.data);
      logOutcome(svc.logger, t.registry, op.title, outcome);
      svc.tree.refreshRef(t.registry, t.ref, t.op, outcome.refresh);
      if (outcome.kind === 'file') {
        // Asked before replying, so the panel says whether the file was saved.
        const saved = await saveFileOutcome(outcome);
        post({ type: 'reply', requestId: msg.requestId, ok: !!saved, message: saved ? vscode.l10n.t('{0}: saved to {1}', outcome.message, saved.fsPath) : vscode.l10n.t('Not saved.') });
        return;
      }
      const message = outcome.kind === 'done' || outcome.kind === 'secret' ? outcome.message : outcome.kind === 'list' ? outcome.title : vscode.l10n.t('Done.');
      // The verdict stays in view after saving: its summary and what it found (the tags a rule matches…).
      post({ type: 'reply', requestId: msg.requestId, ok: true, message: summary ? `${/[.!?]$/.test(message) ? message : `${message}.`} ${summary}` : message, ...(items?.length ? { items } : {}) });
      await showOutcome(svc, t.registry, outcome, true);
    },
  };
}
