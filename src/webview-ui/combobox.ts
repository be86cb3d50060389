import type { ChoicesReply } from './context';
import { clear, h } from './dom';

/**
 * A field whose values are picked from choices the extension loads from the server: a text input with a list box
 * (ARIA combobox), queried as the user types (debounced), with keyboard navigation. One value, or several (chosen
 * values show as removable chips). Text that is not a choice is a value only where the field accepts free text.
 * Every registry-supplied label goes in as text (dom.ts `h`), never as markup.
 */

type Choice = ChoicesReply['items'][number];

export interface ComboOptions {
  /** Id and name of the input; the list and options take ids derived from it. */
  id: string;
  name: string;
  label: string;
  placeholder?: string;
  disabled: boolean;
  describedBy: string;
  multiple: boolean;
  freeText: boolean;
  minQuery: number;
  load(query: string): Promise<ChoicesReply>;
  /** The form's texts (`{0}` is the argument). */
  t(key: string, arg?: string | number): string;
  /** The value changed other than by typing (a pick, a removed chip). */
  changed(): void;
}

export interface Combo {
  el: HTMLElement;
  input: HTMLInputElement;
  get(): string | string[];
  set(v: unknown): void;
  /** Why the input cannot be saved as it is (text that is not a choice where free text is not accepted). */
  problem: () => string | undefined;
}

/** Wait after the last keystroke before asking the extension. */
export const QUERY_DELAY_MS = 250;

const text = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
const shown = (c: Choice): string => c.label || c.value;

export function combobox(o: ComboOptions): Combo {
  const listId = `${o.id}-list`;
  const input = h('input', {
    id: o.id,
    name: o.name,
    type: 'text',
    class: 'combo-input',
    role: 'combobox',
    autocomplete: 'off',
    'aria-autocomplete': 'list',
    'aria-expanded': 'false',
    'aria-controls': listId,
    'aria-describedby': o.describedBy,
    placeholder: o.placeholder,
    disabled: o.disabled,
  });
  const list = h('ul', { id: listId, class: 'combo-list', role: 'listbox', 'aria-label': o.label });
  const status = h('div', { class: 'combo-status muted', 'aria-live': 'polite' });
  const chips = h('ul', { class: 'combo-chosen', 'aria-label': o.label });
  const el = h('div', { class: 'combobox' }, chips, input, list, status);
  input.value = '';
  list.hidden = true;
  chips.hidden = !o.multiple;

  let items: Choice[] = [];
  let active = -1;
  /** Single: the chosen value (with its label while the input shows it); multiple: the chosen values. */
  let chosen: Choice[] = [];
  /** Sequence of the latest query: older results are dropped. */
  let seq = 0;
  let loadedFor: string | undefined;
  let focused = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function open(on: boolean): void {
    const show = on && items.length > 0;
    list.hidden = !show;
    input.setAttribute('aria-expanded', String(show));
    if (!show) setActive(-1);
  }

  function setActive(i: number): void {
    active = i;
    items.forEach((_, k) => optionEl(k)?.setAttribute('aria-selected', String(k === i)));
    if (i >= 0) input.setAttribute('aria-activedescendant', `${o.id}-opt-${i}`);
    else input.removeAttribute('aria-activedescendant');
  }

  function optionEl(i: number): HTMLElement | undefined {
    return list.children[i] as HTMLElement | undefined;
  }

  function renderList(): void {
    clear(list);
    items.forEach((c, i) => {
      const li = h('li', { id: `${o.id}-opt-${i}`, role: 'option', class: 'combo-option', 'aria-selected': 'false' }, shown(c), c.description || c.label !== c.value ? h('span', { class: 'muted' }, ` ${c.description ?? c.value}`) : null);
      // Picked on mousedown, before the input loses focus.
      li.addEventListener('mousedown', (e) => {
        e.preventDefault();
        pick(i);
      });
      list.appendChild(li);
    });
  }

  function setStatus(message: string, error = false): void {
    status.textContent = message;
    status.className = error ? 'combo-status field-error' : 'combo-status muted';
  }

  async function query(q: string): Promise<void> {
    clearTimeout(timer);
    const mine = ++seq;
    loadedFor = q;
    if (q.trim().length < o.minQuery) {
      items = [];
      renderList();
      open(false);
      setStatus(o.t('typeMore', o.minQuery));
      return;
    }
    setStatus(o.t('loadingChoices'));
    let r: ChoicesReply;
    try {
      r = await o.load(q);
    } catch (e) {
      r = { items: [], error: e instanceof Error ? e.message : String(e) };
    }
    if (mine !== seq) return;
    const taken = new Set(o.multiple ? chosen.map((c) => c.value) : []);
    items = r.error ? [] : r.items.filter((c) => !taken.has(c.value));
    renderList();
    setActive(-1);
    open(focused);
    if (r.error) setStatus(r.error, true);
    else setStatus(items.length ? (r.more ? o.t('moreChoices', items.length) : '') : o.t('noChoices'));
  }

  function pick(i: number): void {
    const c = items[i];
    if (!c) return;
    if (o.multiple) {
      if (!chosen.some((x) => x.value === c.value)) chosen.push(c);
      input.value = '';
      renderChips();
      items.splice(i, 1);
      renderList();
    } else {
      chosen = [c];
      input.value = shown(c);
    }
    open(false);
    o.changed();
  }

  function renderChips(): void {
    clear(chips);
    if (!o.multiple) return;
    chosen.forEach((c, i) => {
      const remove = h('button', { type: 'button', class: 'combo-remove codicon codicon-close', 'aria-label': o.t('removeChoice', shown(c)), disabled: o.disabled });
      remove.addEventListener('click', () => {
        chosen.splice(i, 1);
        renderChips();
        o.changed();
      });
      chips.appendChild(h('li', { class: 'combo-chip', title: c.value }, shown(c), remove));
    });
  }

  /** The text typed matches one loaded choice (its label or value): that choice. */
  function exact(): number {
    const typed = input.value.trim();
    return typed ? items.findIndex((c) => c.value === typed || shown(c) === typed) : -1;
  }

  function pending(): boolean {
    const typed = input.value.trim();
    return !!typed && (o.multiple || !chosen[0] || input.value !== shown(chosen[0]));
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value;
    timer = setTimeout(() => void query(q), QUERY_DELAY_MS);
  });
  input.addEventListener('focus', () => {
    focused = true;
    // Showing a chosen value: the list starts from the first choices; typed text: the choices matching it.
    const q = pending() ? input.value : '';
    if (loadedFor !== q) void query(q);
    else open(true);
  });
  input.addEventListener('blur', () => {
    focused = false;
    open(false);
    // Typed exactly as a choice shows: that choice, without having to pick it from the list.
    if (pending() && exact() >= 0) pick(exact());
  });
  input.addEventListener('keydown', (e: KeyboardEvent) => {
    const n = items.length;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (list.hidden) {
        const q = pending() ? input.value : '';
        if (loadedFor !== q) void query(q);
        else open(true);
        return;
      }
      if (n) setActive(e.key === 'ArrowDown' ? (active + 1) % n : (active - 1 + n) % n);
      optionEl(active)?.scrollIntoView({ block: 'nearest' });
    } else if (e.key === 'Enter') {
      if (!list.hidden && active >= 0) {
        e.preventDefault();
        pick(active);
      } else if (o.multiple && pending()) {
        e.preventDefault();
        const i = exact();
        if (i >= 0) pick(i);
        else if (o.freeText) {
          chosen.push({ value: input.value.trim(), label: '' });
          input.value = '';
          renderChips();
          o.changed();
        }
      }
    } else if (e.key === 'Escape') {
      if (!list.hidden) e.preventDefault();
      open(false);
    }
  });

  return {
    el,
    input,
    get(): string | string[] {
      const typed = input.value.trim();
      if (o.multiple) return [...chosen.map((c) => c.value), ...(typed ? [typed] : [])];
      return chosen[0] && input.value === shown(chosen[0]) ? chosen[0].value : typed;
    },
    set(v) {
      const values = (Array.isArray(v) ? v : o.multiple || text(v) === '' ? [] : [v]).map(text).filter(Boolean);
      chosen = values.map((value) => ({ value, label: '' }));
      input.value = o.multiple || !chosen[0] ? '' : chosen[0].value;
      renderChips();
      loadedFor = undefined;
    },
    problem: () => {
      return !o.freeText && pending() ? o.t('chooseFromList') : undefined;
    },
  };
}
