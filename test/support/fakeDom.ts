/**
 * Just enough of a DOM for the webview renderers to run under plain Node: elements with attributes, children, text,
 * properties (value, checked) and event listeners. Tests find elements by tag, attribute or text and fire events.
 */
export class FakeNode {
  parentNode: FakeElement | null = null;
  constructor(public text = '') {}
  get textContent(): string {
    return this.text;
  }
}

export class FakeElement extends FakeNode {
  readonly children: FakeNode[] = [];
  readonly attributes = new Map<string, string>();
  readonly listeners = new Map<string, ((e: unknown) => unknown)[]>();
  readonly style: Record<string, string> = {};
  readonly dataset: Record<string, string> = {};
  hidden = false;
  className = '';
  value?: string;
  checked?: boolean;
  constructor(readonly tagName: string) {
    super();
  }
  get firstChild(): FakeNode | null {
    return this.children[0] ?? null;
  }
  override get textContent(): string {
    return this.children.map((c) => c.textContent).join('') || this.text;
  }
  override set textContent(v: string) {
    this.children.length = 0;
    this.text = v;
  }
  appendChild<T extends FakeNode>(c: T): T {
    c.parentNode?.removeChild(c);
    this.children.push(c);
    c.parentNode = this;
    return c;
  }
  append(...cs: (FakeNode | string)[]): void {
    for (const c of cs) this.appendChild(typeof c === 'string' ? new FakeNode(c) : c);
  }
  removeChild(c: FakeNode): FakeNode {
    const i = this.children.indexOf(c);
    if (i >= 0) this.children.splice(i, 1);
    c.parentNode = null;
    return c;
  }
  setAttribute(k: string, v: string): void {
    this.attributes.set(k, v);
  }
  getAttribute(k: string): string | null {
    return this.attributes.get(k) ?? null;
  }
  removeAttribute(k: string): void {
    this.attributes.delete(k);
  }
  addEventListener(type: string, fn: (e: unknown) => unknown): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  /** Fires an event here and on each ancestor (bubbling), returning what the listeners returned; `init` adds to the event (`key`). */
  fire(type: string, init: Record<string, unknown> = {}): unknown[] {
    const results: unknown[] = [];
    const chain: FakeElement[] = [];
    for (let el: FakeElement | null = this.parentNode; el; el = el.parentNode) chain.push(el);
    for (const el of [this as FakeElement, ...chain]) for (const fn of el.listeners.get(type) ?? []) results.push(fn({ type, target: this, preventDefault() {}, ...init }));
    return results;
  }
  focus(): void {}
  scrollIntoView(): void {}
  /** Every element below this one, depth first. */
  all(): FakeElement[] {
    return this.children.flatMap((c) => (c instanceof FakeElement ? [c, ...c.all()] : []));
  }
  find(pred: (e: FakeElement) => boolean): FakeElement | undefined {
    return this.all().find(pred);
  }
}

/** Installs a fake `document` on the global object; returns the element standing for `#app`. */
export function installFakeDom(): FakeElement {
  const doc = {
    createElement: (tag: string) => new FakeElement(tag),
    createTextNode: (text: string) => new FakeNode(text),
  };
  (globalThis as unknown as { document: unknown }).document = doc;
  return new FakeElement('div');
}
