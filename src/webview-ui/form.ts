import { coerceFormValues, describeForm, fieldErrors, forms, isFormId, type FieldSpec } from '../webviews/forms';
import type { FormData } from '../webviews/protocol';
import type { PanelContext } from './context';
import { clear, h } from './dom';

type Control = HTMLElement & { value?: string; checked?: boolean; invalid?: boolean };

interface Draft {
  key: string;
  values: Record<string, unknown>;
}

/**
 * The schema-driven form: fields come from the zod schema, validation runs here before anything is sent, server
 * errors show next to the form, and unsaved input survives hiding, reloads and failed saves (webview state).
 */
export function renderForm(app: HTMLElement, data: FormData, ctx: PanelContext): void {
  if (!isFormId(data.formId)) {
    app.appendChild(h('p', { class: 'failure' }, `Unknown form "${data.formId}"`));
    return;
  }
  const schema = forms[data.formId];
  const fields = describeForm(schema);
  const draftKey = `${data.formId}:${JSON.stringify(ctx.getUiState('restore') ?? {})}`;
  let initial: Record<string, unknown> = { ...data.values };
  const draft = ctx.getUiState<Draft>('draft');
  const controls = new Map<string, Control>();
  const errors = new Map<string, HTMLElement>();
  const readOnly = new Set(data.readOnly ?? []);

  const formEl = h('form', { class: 'schema-form', novalidate: true, 'aria-label': data.title });
  formEl.addEventListener('submit', (e) => e.preventDefault());
  app.appendChild(h('header', { class: 'page-header' }, h('h1', null, h('span', { class: 'codicon codicon-edit' }), ' ', data.title), data.description ? h('p', { class: 'muted' }, data.description) : null));
  const banner = h('div', { class: 'form-banner', role: 'alert', hidden: true });
  app.appendChild(banner);
  app.appendChild(formEl);

  for (const f of fields) {
    const id = `field-${f.name}`;
    const control = makeControl(f, id, readOnly.has(f.name));
    controls.set(f.name, control);
    const err = h('vscode-form-helper', { class: 'field-error', id: `${id}-error`, hidden: true });
    errors.set(f.name, err);
    const help = f.description ? h('vscode-form-helper', { id: `${id}-help` }, f.description) : null;
    const label = f.kind === 'boolean' ? null : h('vscode-label', { for: id, required: f.required && f.defaultValue === undefined }, f.title);
    formEl.appendChild(h('div', { class: `field field-${f.kind}`, 'data-field': f.name }, label, control, help, err));
    control.addEventListener('input', onEdit);
    control.addEventListener('change', onEdit);
  }

  const save = h('vscode-button', { type: 'button', icon: 'save' }, data.submitLabel ?? 'Save');
  const reset = h('vscode-button', { type: 'button', secondary: true }, 'Reset');
  const cancel = h('vscode-button', { type: 'button', secondary: true }, 'Cancel');
  const status = h('span', { class: 'form-status muted', 'aria-live': 'polite' });
  const confirmBar = h('div', { class: 'confirm-bar', hidden: true, role: 'alertdialog' });
  formEl.appendChild(h('div', { class: 'form-actions' }, save, reset, cancel, status));
  formEl.appendChild(confirmBar);

  // The extension's copy of the draft is the newest (it also survives reloads); the page's own state is next.
  const start = data.draft ?? (draft && draft.key === draftKey ? draft.values : initial);
  setValues(start);
  // Compare what was put in, not what the controls report: custom elements may not have upgraded yet.
  if (normalized(start) !== normalized(initial)) {
    status.textContent = 'Unsaved changes restored.';
    ctx.post({ type: 'dirty', dirty: true, values: start });
  }

  save.addEventListener('click', () => void submit());
  reset.addEventListener('click', () => (isDirty() ? confirm('Discard your changes and show the saved values?', 'Discard changes', () => resetTo(initial)) : resetTo(initial)));
  cancel.addEventListener('click', () => (isDirty() ? confirm('Close without saving your changes?', 'Close without saving', () => ctx.post({ type: 'cancel' })) : ctx.post({ type: 'cancel' })));

  function makeControl(f: FieldSpec, id: string, disabled: boolean): Control {
    const common = { id, name: f.name, disabled, 'aria-describedby': `${id}-help ${id}-error` };
    switch (f.kind) {
      case 'boolean':
        return h('vscode-checkbox', { ...common, label: f.title }) as Control;
      case 'enum': {
        const sel = h('vscode-single-select', common) as Control;
        for (const o of f.options ?? []) sel.appendChild(h('vscode-option', { value: o }, o));
        return sel;
      }
      case 'stringList':
        return h('vscode-textarea', { ...common, rows: 3, placeholder: f.placeholder ?? 'One per line' }) as Control;
      default:
        if (f.multiline) return h('vscode-textarea', { ...common, rows: 4, placeholder: f.placeholder }) as Control;
        return h('vscode-textfield', { ...common, type: f.secret ? 'password' : f.kind === 'number' ? 'number' : 'text', placeholder: f.placeholder }) as Control;
    }
  }

  function readValues(): Record<string, unknown> {
    const raw: Record<string, unknown> = {};
    for (const f of fields) {
      const c = controls.get(f.name)!;
      raw[f.name] = f.kind === 'boolean' ? !!c.checked : f.kind === 'stringList' ? String(c.value ?? '').split('\n') : (c.value ?? '');
    }
    return raw;
  }

  function setValues(values: Record<string, unknown>): void {
    for (const f of fields) {
      const c = controls.get(f.name)!;
      const v = values[f.name] ?? f.defaultValue;
      if (f.kind === 'boolean') c.checked = v === true;
      else if (f.kind === 'stringList') c.value = Array.isArray(v) ? v.map(scalarText).join('\n') : scalarText(v);
      else c.value = scalarText(v);
    }
  }

  function normalized(values: Record<string, unknown>): string {
    return JSON.stringify(coerceFormValues(fields, values));
  }

  function isDirty(): boolean {
    return normalized(readValues()) !== normalized(initial);
  }

  function onEdit(): void {
    const values = readValues();
    ctx.setUiState('draft', { key: draftKey, values } satisfies Draft);
    const dirty = isDirty();
    ctx.post({ type: 'dirty', dirty, values: dirty ? values : undefined });
    status.textContent = dirty ? 'Unsaved changes' : '';
    confirmBar.hidden = true;
  }

  function showErrors(map: Record<string, string>): void {
    for (const [name, el] of errors) {
      const msg = map[name];
      el.hidden = !msg;
      el.textContent = msg ?? '';
      const c = controls.get(name)!;
      c.invalid = !!msg;
      if (msg) c.setAttribute('aria-invalid', 'true');
      else c.removeAttribute('aria-invalid');
    }
    const first = Object.keys(map).find((k) => controls.has(k));
    if (first) controls.get(first)!.focus();
  }

  function showBanner(kind: 'error' | 'success', text: string | undefined): void {
    banner.hidden = !text;
    banner.className = `form-banner ${kind}`;
    clear(banner);
    if (text) {
      banner.append(h('span', { class: `codicon codicon-${kind === 'error' ? 'error' : 'pass'}` }), ' ', text);
      banner.scrollIntoView({ block: 'nearest' });
    }
  }

  async function submit(): Promise<void> {
    const values = coerceFormValues(fields, readValues());
    const local = schema.safeParse(values);
    if (!local.success) {
      showErrors(fieldErrors(local.error));
      showBanner('error', 'Some fields need attention.');
      return;
    }
    showErrors({});
    showBanner('error', undefined);
    save.setAttribute('disabled', '');
    status.textContent = 'Saving…';
    const reply = await ctx.request({ type: 'save', values });
    save.removeAttribute('disabled');
    if (reply.ok) {
      initial = coerceFormValues(fields, readValues());
      ctx.setUiState('draft', undefined);
      ctx.post({ type: 'dirty', dirty: false });
      status.textContent = '';
      showBanner('success', reply.message ?? 'Saved.');
    } else {
      // The input stays exactly as typed; only the messages change.
      showErrors(reply.fieldErrors ?? {});
      showBanner('error', reply.message ?? 'Saving failed.');
      status.textContent = 'Not saved';
    }
  }

  function resetTo(values: Record<string, unknown>): void {
    setValues(values);
    showErrors({});
    showBanner('error', undefined);
    ctx.setUiState('draft', undefined);
    ctx.post({ type: 'dirty', dirty: false });
    status.textContent = '';
  }

  function confirm(question: string, action: string, run: () => void): void {
    clear(confirmBar);
    const yes = h('vscode-button', { type: 'button' }, action);
    const no = h('vscode-button', { type: 'button', secondary: true }, 'Keep editing');
    yes.addEventListener('click', () => {
      confirmBar.hidden = true;
      run();
    });
    no.addEventListener('click', () => (confirmBar.hidden = true));
    confirmBar.append(h('span', { class: 'codicon codicon-warning' }), ' ', h('span', null, question), ' ', yes, no);
    confirmBar.hidden = false;
  }
}

/** Text of a field value; anything that is not a scalar (a malformed draft) shows as empty. */
function scalarText(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}
