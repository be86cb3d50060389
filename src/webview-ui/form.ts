import { coerceFormValues, type FormField } from '../registry/formSpec';
import type { FormData } from '../webviews/protocol';
import type { PanelContext } from './context';
import { combobox } from './combobox';
import { clear, h } from './dom';
import { formText } from './formText';

type Control = HTMLElement & { value?: string; checked?: boolean; invalid?: boolean };

interface Draft {
  key: string;
  values: Record<string, unknown>;
}

/** A rendered field: reads and writes its value (nested values for objects, lists and unions). */
interface FieldCtl {
  /** `kept`: the value as it may be kept (drafts, page state), secret fields left out. */
  get(kept?: boolean): unknown;
  set(v: unknown): void;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Text of a field value; anything that is not a scalar (a malformed draft) shows as empty. */
function scalarText(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

function domId(path: string): string {
  return `field-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/**
 * The form panel: fields come from the plain description the extension sends (never a schema), server errors show
 * next to the field their path names (inside lists too), and unsaved input survives hiding, reloads and failed
 * saves (webview state, plus the extension's draft).
 */
export function renderForm(app: HTMLElement, data: FormData, ctx: PanelContext): void {
  const t = formText(data.strings);
  const fields = data.form.fields as FormField[];
  const draftKey = `${data.formId}:${JSON.stringify(ctx.getUiState('restore') ?? {})}`;
  let initial: Record<string, unknown> = { ...data.values };
  const draft = ctx.getUiState<Draft>('draft');
  /** Error slots by field path, with the control to mark invalid and the field's own check before saving. */
  const slots = new Map<string, { err: HTMLElement; control?: Control; problem?: () => string | undefined }>();
  const readOnly = new Set(data.readOnly ?? []);

  const formEl = h('form', { class: 'schema-form', novalidate: true, 'aria-label': data.title });
  formEl.addEventListener('submit', (e) => e.preventDefault());
  app.appendChild(h('header', { class: 'page-header' }, h('h1', null, h('span', { class: 'codicon codicon-edit' }), ' ', data.title), data.description ? h('p', { class: 'muted' }, data.description) : null));
  const banner = h('div', { class: 'form-banner', role: 'alert', hidden: true });
  app.appendChild(banner);
  app.appendChild(formEl);

  const root = renderFields(fields, '', formEl);

  const save = h('vscode-button', { type: 'button', icon: 'save' }, data.submitLabel ?? t('save'));
  const reset = h('vscode-button', { type: 'button', secondary: true }, t('reset'));
  const cancel = h('vscode-button', { type: 'button', secondary: true }, t('cancel'));
  const status = h('span', { class: 'form-status muted', 'aria-live': 'polite' });
  const confirmBar = h('div', { class: 'confirm-bar', hidden: true, role: 'alertdialog' });
  formEl.appendChild(h('div', { class: 'form-actions' }, save, reset, cancel, status));
  formEl.appendChild(confirmBar);
  formEl.addEventListener('input', onEdit);
  formEl.addEventListener('change', onEdit);

  // The extension's copy of the draft is the newest (it also survives reloads); the page's own state is next.
  const start = data.draft ?? (draft && draft.key === draftKey ? draft.values : initial);
  root.set(start);
  // Compare what was put in, not what the controls report: custom elements may not have upgraded yet.
  if (normalized(start) !== normalized(initial)) {
    status.textContent = t('restored');
    ctx.post({ type: 'dirty', dirty: true, values: readValues(true) });
  }

  save.addEventListener('click', () => void submit());
  reset.addEventListener('click', () => (isDirty() ? confirm(t('discardQuestion'), t('discard'), () => resetTo(initial)) : resetTo(initial)));
  cancel.addEventListener('click', () => (isDirty() ? confirm(t('closeQuestion'), t('close'), () => ctx.post({ type: 'cancel' })) : ctx.post({ type: 'cancel' })));

  // ---- rendering ----

  /** Renders fields into `parent`; the returned control reads and writes them as one object. */
  function renderFields(list: FormField[], prefix: string, parent: HTMLElement): FieldCtl {
    const ctls = list.map((f) => ({ f, ctl: renderField(f, f.name === '' ? prefix : prefix ? `${prefix}.${f.name}` : f.name, parent) }));
    return {
      get(kept) {
        const out: Record<string, unknown> = {};
        for (const { f, ctl } of ctls) {
          const v = ctl.get(kept);
          if (f.name === '') Object.assign(out, isRecord(v) ? v : {});
          else out[f.name] = v;
        }
        return out;
      },
      set(v) {
        const obj = isRecord(v) ? v : {};
        for (const { f, ctl } of ctls) ctl.set(f.name === '' ? obj : (obj[f.name] ?? f.defaultValue));
      },
    };
  }

  function slot(path: string, control?: Control, problem?: () => string | undefined): HTMLElement {
    const err = h('div', { class: 'field-error', id: `${domId(path)}-error`, hidden: true });
    slots.set(path, { err, control, problem });
    return err;
  }

  function renderField(f: FormField, path: string, parent: HTMLElement): FieldCtl {
    const id = domId(path);
    const disabled = readOnly.has(path);
    const common = { id, name: path, disabled, 'aria-describedby': `${id}-help ${id}-error` };
    const help = f.description ? h('div', { class: 'field-help muted', id: `${id}-help` }, f.description) : null;
    const label = (): HTMLElement => h('label', { class: f.required && f.defaultValue === undefined ? 'field-label required' : 'field-label', for: id }, f.title);
    const wrap = (...children: (HTMLElement | null)[]): HTMLElement => {
      const el = h('div', { class: `field field-${f.kind}`, 'data-field': path }, ...children);
      parent.appendChild(el);
      return el;
    };
    if (f.choices && (f.kind === 'string' || f.kind === 'stringList')) {
      const key = f.choices.key;
      const c = combobox({
        id,
        name: path,
        label: f.title,
        placeholder: f.placeholder,
        disabled,
        describedBy: common['aria-describedby'],
        multiple: f.kind === 'stringList',
        freeText: f.choices.freeText,
        minQuery: f.choices.minQuery ?? 0,
        load: (q) => ctx.choices?.(key, q) ?? Promise.resolve({ items: [], error: t('noChoices') }),
        t,
        changed: onEdit,
      });
      wrap(label(), c.el, help, slot(path, c.input as Control, c.problem));
      return c;
    }
    switch (f.kind) {
      case 'boolean': {
        const c = h('vscode-checkbox', { ...common, label: f.title }) as Control;
        wrap(c, help, slot(path, c));
        return { get: () => !!c.checked, set: (v) => (c.checked = v === true || v === 'true') };
      }
      case 'enum': {
        const c = h('vscode-single-select', common) as Control;
        const optional = !f.required && f.defaultValue === undefined;
        if (optional) c.appendChild(h('vscode-option', { value: '' }, t('none')));
        for (const o of f.options ?? []) c.appendChild(h('vscode-option', { value: o.value, description: o.label !== o.value ? o.value : undefined }, o.label));
        wrap(label(), c, help, slot(path, c));
        return { get: () => c.value ?? '', set: (v) => (c.value = scalarText(v ?? (optional ? '' : f.options?.[0]?.value))) };
      }
      case 'multiEnum': {
        const boxes = (f.options ?? []).map((o) => ({ o, c: h('vscode-checkbox', { id: `${id}-${domId(o.value)}`, name: path, label: o.label, disabled }) as Control }));
        const group = h('div', { class: 'checkbox-group', id, role: 'group', 'aria-label': f.title }, ...boxes.map((b) => b.c));
        wrap(label(), group, help, slot(path, group as Control));
        return {
          get: () => boxes.filter((b) => b.c.checked).map((b) => b.o.value),
          set: (v) => {
            const on = new Set(Array.isArray(v) ? v.map(scalarText) : []);
            for (const b of boxes) b.c.checked = on.has(b.o.value);
          },
        };
      }
      case 'stringList': {
        const c = h('vscode-textarea', { ...common, rows: 3, placeholder: f.placeholder ?? t('onePerLine') }) as Control;
        wrap(label(), c, help, slot(path, c));
        return { get: () => String(c.value ?? '').split('\n'), set: (v) => (c.value = Array.isArray(v) ? v.map(scalarText).join('\n') : scalarText(v)) };
      }
      case 'object': {
        const box = h('fieldset', { class: 'field-group', id }, h('legend', null, f.title));
        wrap(box, help, slot(path));
        return renderFields(f.fields ?? [], path, box);
      }
      case 'objectList':
        return renderObjectList(f, path, wrap(label(), help));
      case 'union':
        return renderUnion(f, path, wrap(f.name ? label() : null, help));
      default: {
        const c = (
          f.multiline ? h('vscode-textarea', { ...common, rows: 4, placeholder: f.placeholder }) : h('vscode-textfield', { ...common, type: f.secret ? 'password' : f.kind === 'number' ? 'number' : 'text', placeholder: f.placeholder })
        ) as Control;
        wrap(label(), c, help, slot(path, c));
        return { get: (kept) => (kept && f.secret ? undefined : (c.value ?? '')), set: (v) => (c.value = scalarText(v)) };
      }
    }
  }

  /** A list of small forms (e.g. rules of `{field, operator, values}`), with Add and Remove. */
  function renderObjectList(f: FormField, path: string, box: HTMLElement): FieldCtl {
    const items = h('div', { class: 'object-list', id: domId(path) });
    const add = h('vscode-button', { type: 'button', secondary: true, icon: 'add' }, f.addLabel ?? t('add'));
    box.append(items, add, slot(path));
    let ctls: FieldCtl[] = [];
    const render = (values: unknown[]): void => {
      for (const k of [...slots.keys()]) if (k.startsWith(`${path}.`)) slots.delete(k);
      clear(items);
      ctls = values.map((v, i) => {
        const itemPath = `${path}.${i}`;
        const fs = h('fieldset', { class: 'object-item', 'data-index': i });
        const remove = h('vscode-button', { type: 'button', secondary: true, icon: 'trash', class: 'remove-item' }, t('remove'));
        fs.appendChild(h('legend', null, `${f.itemTitle ?? f.title} ${i + 1}`));
        items.appendChild(fs);
        const ctl = renderFields(f.fields ?? [], itemPath, fs);
        fs.append(remove, slot(itemPath));
        ctl.set(v);
        remove.addEventListener('click', () => {
          const now = ctls.map((c) => c.get());
          now.splice(i, 1);
          render(now);
          onEdit();
        });
        return ctl;
      });
    };
    add.addEventListener('click', () => {
      render([...ctls.map((c) => c.get()), {}]);
      onEdit();
    });
    return { get: (kept) => ctls.map((c) => c.get(kept)), set: (v) => render(Array.isArray(v) ? v : []) };
  }

  /** A discriminated union: a choice of variant, then that variant's own fields. */
  function renderUnion(f: FormField, path: string, box: HTMLElement): FieldCtl {
    const disc = f.discriminator ?? 'type';
    const discPath = path ? `${path}.${disc}` : disc;
    const select = h('vscode-single-select', { id: domId(discPath), name: discPath, 'aria-label': f.title }) as Control;
    for (const v of f.variants ?? []) select.appendChild(h('vscode-option', { value: v.value }, v.label));
    const body = h('div', { class: 'union-fields' });
    box.append(select, slot(discPath, select), body);
    let current: { value: string; ctl: FieldCtl } | undefined;
    const show = (value: string, values: Record<string, unknown>): void => {
      for (const k of [...slots.keys()]) if (k !== discPath && (path === '' || k.startsWith(`${path}.`))) slots.delete(k);
      clear(body);
      const variant = f.variants?.find((v) => v.value === value) ?? f.variants?.[0];
      if (!variant) return;
      select.value = variant.value;
      const ctl = renderFields(variant.fields, path, body);
      ctl.set(values);
      current = { value: variant.value, ctl };
    };
    select.addEventListener('change', () => {
      // Fields with the same name keep their input across variants.
      const keep = current ? (current.ctl.get() as Record<string, unknown>) : {};
      show(select.value ?? '', keep);
    });
    return {
      get: (kept) => ({ ...(current ? (current.ctl.get(kept) as Record<string, unknown>) : {}), [disc]: current?.value ?? select.value ?? '' }),
      set: (v) => {
        const obj = isRecord(v) ? v : {};
        show(scalarText(obj[disc]) || (f.variants?.[0]?.value ?? ''), obj);
      },
    };
  }

  // ---- state ----

  function normalized(values: Record<string, unknown>): string {
    return JSON.stringify(coerceFormValues(fields, values));
  }

  function readValues(kept?: boolean): Record<string, unknown> {
    return root.get(kept) as Record<string, unknown>;
  }

  function isDirty(): boolean {
    return normalized(readValues()) !== normalized(initial);
  }

  function onEdit(): void {
    // A secret field's input stays in the page only: never in the page's saved state nor in the extension's draft.
    const values = readValues(true);
    ctx.setUiState('draft', { key: draftKey, values } satisfies Draft);
    const dirty = isDirty();
    ctx.post({ type: 'dirty', dirty, values: dirty ? values : undefined });
    status.textContent = dirty ? t('unsaved') : '';
    confirmBar.hidden = true;
  }

  /** Shows each error at the field its path names, or the nearest enclosing field; the rest go to the banner. */
  function showErrors(map: Record<string, string>): string[] {
    for (const { err, control } of slots.values()) {
      err.hidden = true;
      err.textContent = '';
      if (control) {
        control.invalid = false;
        control.removeAttribute('aria-invalid');
      }
    }
    const unplaced: string[] = [];
    let first: Control | HTMLElement | undefined;
    for (const [path, msg] of Object.entries(map)) {
      let p = path;
      while (p && !slots.has(p)) p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '';
      const s = slots.get(p);
      if (!s) {
        unplaced.push(msg);
        continue;
      }
      s.err.hidden = false;
      s.err.textContent = s.err.textContent ? `${s.err.textContent} ${msg}` : msg;
      if (s.control) {
        s.control.invalid = true;
        s.control.setAttribute('aria-invalid', 'true');
      }
      first ??= s.control ?? s.err;
    }
    first?.focus();
    return unplaced;
  }

  function showBanner(kind: 'error' | 'success', text: string | undefined, items?: string[]): void {
    banner.hidden = !text;
    banner.className = `form-banner ${kind}`;
    clear(banner);
    if (text) {
      banner.append(h('span', { class: `codicon codicon-${kind === 'error' ? 'error' : 'pass'}` }), ' ', text);
      if (items?.length) {
        const shown = items.slice(0, 50);
        banner.append(h('ul', { class: 'verdict-items' }, ...shown.map((i) => h('li', null, i)), items.length > shown.length ? h('li', null, `… ${items.length - shown.length}`) : null));
      }
      banner.scrollIntoView({ block: 'nearest' });
    }
  }

  /** Required fields left empty, by path; the extension checks everything else with the real schema. */
  function missing(list: FormField[], values: Record<string, unknown>, prefix: string, out: Record<string, string>): void {
    for (const f of list) {
      const path = f.name === '' ? prefix : prefix ? `${prefix}.${f.name}` : f.name;
      const v = f.name === '' ? values : values[f.name];
      if ((f.kind === 'string' || f.kind === 'enum') && f.required && f.defaultValue === undefined && (v === undefined || v === '')) out[path] = t('required');
      else if (f.kind === 'object' && isRecord(v)) missing(f.fields ?? [], v, path, out);
      else if (f.kind === 'objectList' && Array.isArray(v)) v.forEach((x, i) => isRecord(x) && missing(f.fields ?? [], x, `${path}.${i}`, out));
      else if (f.kind === 'union' && isRecord(v)) missing(f.variants?.find((x) => x.value === v[f.discriminator ?? ''])?.fields ?? [], v, path, out);
    }
  }

  async function submit(): Promise<void> {
    const values = coerceFormValues(fields, readValues());
    const local: Record<string, string> = {};
    missing(fields, values, '', local);
    for (const [path, s] of slots) {
      const problem = s.problem?.();
      if (problem) local[path] ??= problem;
    }
    if (Object.keys(local).length) {
      showErrors(local);
      showBanner('error', t('needsAttention'));
      return;
    }
    showErrors({});
    showBanner('error', undefined);
    save.setAttribute('disabled', '');
    status.textContent = t('saving');
    const reply = await ctx.request({ type: 'save', values });
    save.removeAttribute('disabled');
    if (reply.ok) {
      // Saved: a typed secret is not kept in the page either.
      initial = coerceFormValues(fields, readValues(true));
      root.set(initial);
      ctx.setUiState('draft', undefined);
      ctx.post({ type: 'dirty', dirty: false });
      status.textContent = '';
      showBanner('success', reply.message ?? t('saved'), reply.items);
    } else {
      // The input stays exactly as typed; only the messages change.
      const unplaced = showErrors(reply.fieldErrors ?? {});
      showBanner('error', [reply.message ?? t('saveFailed'), ...unplaced].join(' '), reply.items);
      status.textContent = t('notSaved');
    }
  }

  function resetTo(values: Record<string, unknown>): void {
    root.set(values);
    showErrors({});
    showBanner('error', undefined);
    ctx.setUiState('draft', undefined);
    ctx.post({ type: 'dirty', dirty: false });
    status.textContent = '';
  }

  function confirm(question: string, action: string, run: () => void): void {
    clear(confirmBar);
    const yes = h('vscode-button', { type: 'button' }, action);
    const no = h('vscode-button', { type: 'button', secondary: true }, t('keepEditing'));
    yes.addEventListener('click', () => {
      confirmBar.hidden = true;
      run();
    });
    no.addEventListener('click', () => (confirmBar.hidden = true));
    confirmBar.append(h('span', { class: 'codicon codicon-warning' }), ' ', h('span', null, question), ' ', yes, no);
    confirmBar.hidden = false;
  }
}
