import * as os from 'node:os';
import * as vscode from 'vscode';
import type { RegistryManager } from '../config/registryManager';
import { resourceType, type ActionDecl, type AdminModel, type Confirmation, type FormDecl, type Outcome, type ResourceRef, type Scope } from '../registry/admin';
import type { Logger } from '../registry/context';
import { NotFoundError, UnsupportedError } from '../registry/errors';
import { coerceFormValues, describeForm, fieldErrors, type FormField } from '../registry/formSpec';
import type { RegistryProvider } from '../registry/provider';
import { registerSecret } from '../registry/redact';
import type { OperationKind, RegistryTreeProvider } from '../tree/registryTreeProvider';
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

export const coreTypes = ['namespace', 'repository', 'tag'] as const;
type CoreType = (typeof coreTypes)[number];

function isCore(type: string): type is CoreType {
  return (coreTypes as readonly string[]).includes(type);
}

/** What one operation on one reference needs: its form (if any), how to read current values, how to run it. */
export interface Operation {
  op: OperationKind;
  /** Title for the panel or prompt ("Create Personal Access Token"). */
  title: string;
  form?: FormDecl;
  values?(signal?: AbortSignal): Promise<Record<string, unknown>>;
  /** Runs with the parsed values (`create`, `update`, an action's input). */
  run(values: Record<string, unknown> | undefined, signal?: AbortSignal): Promise<Outcome>;
  /** The target passed to a form's `verify`. */
  verifyTarget: Scope | ResourceRef;
  /** An action's confirmation for these input values (the form panel asks it before running). */
  confirm?(values: Record<string, unknown> | undefined, signal?: AbortSignal): Promise<Confirmation | undefined>;
}

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

/**
 * The operation `op` on `ref` (for `create`: the list's reference `{type, scope, key: ''}` or the core node's),
 * resolved from the provider's model each time, so a panel restored after a reload finds it again.
 */
export function resolveOperation(model: AdminModel, op: OperationKind, ref: ResourceRef, actionId?: string): Operation {
  if (isCore(ref.type)) {
    const ops = model.nodes?.[ref.type];
    if (op === 'create' && ops?.create) {
      const c = ops.create;
      return { op, title: c.title, form: c.form, run: (v, s) => c.run(ref.scope, v ?? {}, s), verifyTarget: ref.scope };
    }
    if (op === 'update' && ops?.update) {
      const u = ops.update;
      return { op, title: u.title, form: u.form, values: (s) => u.values(ref, s), run: (v, s) => u.run(ref, v ?? {}, s), verifyTarget: ref };
    }
    if (op === 'action') {
      const a = ops?.actions?.find((x) => x.id === actionId);
      if (a) return { ...actionOperation(a, ref), confirm: (v) => Promise.resolve(a.confirm?.(ref, v)) };
    }
    throw new UnsupportedError(`This ${ref.type} offers no such operation`);
  }
  const t = resourceType(model, ref.type);
  if (!t) throw new UnsupportedError(`Unknown resource type "${ref.type}"`);
  if (op === 'create' && t.create) {
    const c = t.create;
    return { op, title: c.title ?? `Create ${t.itemTitle}`, form: c.form, run: (v, s) => c.run(ref.scope, v ?? {}, s), verifyTarget: ref.scope };
  }
  if (op === 'update' && t.update) {
    const u = t.update;
    return { op, title: u.title ?? `Edit ${t.itemTitle}`, form: u.form, values: (s) => u.values(ref, s), run: (v, s) => u.run(ref, v ?? {}, s), verifyTarget: ref };
  }
  if (op === 'action') {
    const a = t.actions?.find((x) => x.id === actionId) as ActionDecl<unknown> | undefined;
    if (a) {
      const get = t.get?.bind(t);
      // The panel has the reference, not the item: read it again when the type can, for the confirmation.
      const confirm = async (v: Record<string, unknown> | undefined, signal?: AbortSignal): Promise<Confirmation | undefined> => {
        if (!a.confirm) return undefined;
        try {
          return a.confirm(get ? await get(ref, signal) : undefined, v);
        } catch {
          return { message: `${a.title}: ${ref.key || t.title}?`, button: a.title };
        }
      };
      return { ...actionOperation(a, ref), confirm };
    }
  }
  throw new UnsupportedError(`A ${t.itemTitle} offers no such operation`);
}

function actionOperation(a: ActionDecl<never>, ref: ResourceRef): Operation {
  return { op: 'action', title: a.title, form: a.input, run: (v, s) => a.run(ref, v, s), verifyTarget: ref };
}

/** The one field of a form small enough for an input box or a quick pick, if it is one. */
export function singleField(form: FormDecl): FormField | undefined {
  const { fields } = describeForm(form.schema);
  if (fields.length !== 1) return undefined;
  const f = fields[0]!;
  return (f.kind === 'string' && !f.multiline) || f.kind === 'number' || f.kind === 'enum' ? f : undefined;
}

/** Asks a single-field form in an input box (or a quick pick for a choice); the values are parsed with the schema. */
export async function askSingleField(form: FormDecl, f: FormField, title: string): Promise<Record<string, unknown>> {
  let raw: unknown;
  if (f.kind === 'enum') {
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
  return parseValues(form, { [f.name]: raw });
}

/** Coerces and parses form values with the declaration's schema; throws with the first field error. */
export function parseValues(form: FormDecl, raw: Record<string, unknown>): Record<string, unknown> {
  const r = form.schema.safeParse(coerceFormValues(describeForm(form.schema), raw));
  if (!r.success) {
    const [path, message] = Object.entries(fieldErrors(r.error))[0] ?? ['', 'Invalid input'];
    throw new UnsupportedError(path && path !== '_form' ? `${path}: ${message}` : message);
  }
  return r.data;
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

/** What a command returns about an outcome (never the secret). */
export interface OutcomeSummary {
  kind: Outcome['kind'];
  message?: string;
  items?: string[];
}

export function summarize(o: Outcome): OutcomeSummary {
  switch (o.kind) {
    case 'done':
    case 'secret':
    case 'file':
      return { kind: o.kind, message: o.message };
    case 'list':
      return { kind: 'list', message: o.message ?? o.title, items: o.items };
    case 'panel':
      return { kind: 'panel' };
  }
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
    case 'list':
      void vscode.window.showQuickPick(o.items.length ? o.items.map((label) => ({ label })) : [{ label: o.message ?? vscode.l10n.t('Nothing to show') }], { title: o.title });
      return;
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

/** Logs an outcome (messages only; a secret never reaches the log). */
export function logOutcome(logger: Logger, registry: string, title: string, o: Outcome): void {
  logger.info(`${registry}: ${title}: ${o.kind === 'list' ? o.title : o.kind === 'panel' ? `open ${o.panel}` : o.kind === 'file' ? `${o.message} (${o.fileName}, ${o.content.length} characters)` : o.message}`);
}
