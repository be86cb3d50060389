/**
 * What the tree's registry nodes are built from: the configured entries and the manager's state object of each
 * (a new one whenever settings, trust or the transport change and the providers are rebuilt), plus the settings
 * problems. A change of credentials alone keeps the set: only that registry's subtree is reloaded then, and the
 * nodes of the other registries stay valid (a full reload leaves every row without its element until VS Code has
 * fetched it again, and a command run from a row in that time receives no node).
 */
export class RegistrySet {
  private readonly ids = new WeakMap<object, number>();
  private next = 0;
  private last: string | undefined;

  /** True when the set differs from the one seen last time (the first call is always a change). */
  changed(states: readonly { readonly entry: unknown }[], problems: readonly unknown[]): boolean {
    const now = JSON.stringify([states.map((s) => [this.idOf(s), s.entry]), problems]);
    const changed = now !== this.last;
    this.last = now;
    return changed;
  }

  private idOf(o: object): number {
    let id = this.ids.get(o);
    if (id === undefined) {
      id = ++this.next;
      this.ids.set(o, id);
    }
    return id;
  }
}
