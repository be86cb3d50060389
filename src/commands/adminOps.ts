import * as os from 'node:os';
import * as vscode from 'vscode';
import type { RegistryManager } from '../config/registryManager';
import type { AdminPort } from '../admin/pipeline';
import type { AdminModel, Confirmation, FormDecl, Outcome, Refresh, Scope } from '../registry/admin';
import type { Logger } from '../registry/context';
import { NotFoundError, UnsupportedError } from '../registry/errors';
import { coerceFormValues, describeForm, fieldErrors, type FormField } from '../registry/formSpec';
import type { RegistryProvider } from '../registry/provider';
import { registerSecret } from '../registry/redact';
import type { RegistryTreeProvider } from '../tree/registryTreeProvider';
import { pickChoice } from './choicePick';
import { listPick } from './listPick';
import { required } from './runCommand';
import { saveTarget } from './saveTarget';

/**
 * The generic side of the admin model, shared by the commands (Create…, Edit…, Delete…, Run Action…) and the form
 * panel: finding the declaration an operation runs, asking single-field input, confirming, and showing outcomes.
 * Nothing here names a registry kind.
 */

/** Services the admin operations use (a subset of the command context, so panels can use them too). */
export interface AdminServices {
  manager: RegistryManager;
  tree: RegistryTreeProvider;
  logger: Logger;
  /** Opens a panel an outcome asks for. */
  openPanel?(registry: string, outcome: Extract<Outcome, { kind: 'panel' }>): void;
}

export { coreTypes, resolveOperation, summarize, type Operation, type OutcomeSummary } from '../admin/operation';

export function providerNamed(manager: RegistryManager, registry: string): RegistryProvider {
  const state = manager.get(registry);
  if (!state) throw new NotFoundError(`No registry named "${registry}" is configured`);
  if (!state.provider) throw state.unavailable ?? new UnsupportedError(`${registry} is not available`);
  return state.provider;
}

export function modelOf(provider: RegistryProvider, registry: string): AdminModel {
  if (!provider.admin) throw new UnsupportedError(`${registry} has nothing to administer`);
  return provider.admin;
}

/** The one field of a form small enough for an input box or a quick pick, if it is one. */
export function singleField(form: FormDecl): FormField | undefined {
  const { fields } = describeForm(form.schema, form.choices);
  if (fields.length !== 1) return undefined;
  const f = fields[0]!;
  return (f.kind === 'string' && !f.multiline) || f.kind === 'number' || f.kind === 'enum' ? f : undefined;
}

/**
 * Asks a single-field form in an input box, or a quick pick for an enum or a field with choices from the server
 * (loaded for `scope`, the scope the operation runs in); returns the raw input, for the pipeline to parse.
 */
export async function askSingleField(form: FormDecl, f: FormField, title: string, scope?: Scope): Promise<Record<string, unknown>> {
  let raw: unknown;
  if (f.choices && scope) {
    raw = required(await pickChoice(form, { ...f, choices: f.choices }, title, scope));
  } else if (f.kind === 'enum') {
    const pick = await vscode.window.showQuickPick(
      (f.options ?? []).map((o) => ({ label: o.label, description: o.label === o.value ? undefined : o.value, value: o.value })),
      { title, placeHolder: f.title },
    );
    raw = required(pick).value;
  } else {
    const check = (v: string): string | undefined => {
      const r = form.schema.safeParse(coerceFormValues([f], { [f.name]: v }));
      return r.success ? undefined : (Object.values(fieldErrors(r.error))[0] ?? vscode.l10n.t('Invalid value'));
    };
    raw = required(await vscode.window.showInputBox({ title, prompt: f.description ?? f.title, placeHolder: f.placeholder, password: !!f.secret, validateInput: check }));
  }
  return { [f.name]: raw };
}

/** A modal confirmation; true when the user pressed its button. */
export async function confirm(c: Confirmation, warning = true): Promise<boolean> {
  const show = warning ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const pick = await show(c.message, { modal: true, detail: c.detail }, c.button);
  return pick === c.button;
}

/** Runs a long operation with a cancellable notification. */
export function withProgress<T>(title: string, task: (signal: AbortSignal) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_p, token) => {
    const ac = new AbortController();
    token.onCancellationRequested(() => ac.abort());
    return task(ac.signal);
  });
}

/**
 * Shows an outcome: a message, a secret once in a modal with Copy (registered for redaction first, never logged), a
 * list to review, a file to save, or a panel. `quiet` skips the message of a `done` (a form panel shows it in its banner).
 */
export async function showOutcome(svc: AdminServices, registry: string, o: Outcome, quiet = false): Promise<void> {
  switch (o.kind) {
    case 'done':
      if (!quiet) void vscode.window.showInformationMessage(o.message);
      return;
    case 'secret': {
      registerSecret(o.secret);
      const copy = vscode.l10n.t('Copy');
      const pick = await vscode.window.showInformationMessage(o.message, { modal: true, detail: o.secret }, copy);
      if (pick === copy) {
        await vscode.env.clipboard.writeText(o.secret);
        vscode.window.setStatusBarMessage(vscode.l10n.t('Copied the new {0}', o.label), 3000);
      }
      return;
    }
    case 'list': {
      const pick = listPick(o, vscode.l10n.t('Nothing to show'));
      void vscode.window.showQuickPick(pick.items, pick.options);
      return;
    }
    case 'file':
      await saveFileOutcome(o);
      return;
    case 'panel':
      svc.openPanel?.(registry, o);
      return;
  }
}

/**
 * Saves a file outcome where the user chooses (the workspace folder or the home folder by default), then shows its
 * message with Open. Cancelling the dialog writes nothing. Returns where it was saved.
 */
export async function saveFileOutcome(o: Extract<Outcome, { kind: 'file' }>): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
  const { name, filters } = saveTarget(o.fileName);
  const uri = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(folder, name),
    filters,
    title: vscode.l10n.t('Save {0}', name),
  });
  if (!uri) return undefined;
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(o.content));
  const open = vscode.l10n.t('Open');
  void vscode.window.showInformationMessage(vscode.l10n.t('{0}: saved to {1}', o.message, uri.fsPath), open).then((pick) => {
    if (pick === open) void vscode.commands.executeCommand('vscode.open', uri);
  });
  return uri;
}

/**
 * The admin pipeline's port to VS Code for a command: modal confirmations (the verdict's as information, an
 * operation's as a warning), a cancellable notification while a step runs, the log, the tree, the outcome's UI.
 */
export function commandPort(svc: AdminServices, registry: string, refresh: (r: Refresh | undefined) => void): AdminPort {
  return {
    confirm: (c, purpose) => confirm(c, purpose === 'action'),
    // Titles of operations that ask for input end in an ellipsis already ("Set Expiration…").
    progress: (stage, title, task) => Promise.resolve(withProgress(stage === 'verify' ? vscode.l10n.t('Checking {0}…', title.replace(/…$/, '')) : `${title.replace(/…$/, '')}…`, task)),
    log: (line) => svc.logger.info(`${registry}: ${line}`),
    refresh,
    showOutcome: (o) => showOutcome(svc, registry, o),
  };
}
