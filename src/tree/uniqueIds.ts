import type { Logger } from '../registry/context';

/**
 * Nodes of one child list with ids an earlier node of the list already has are dropped: VS Code refuses a second
 * element with a registered id ("Element with id … is already registered") and leaves the parent expanded with no
 * children. A registry can list the same tag twice (on one page, or again on a later page after its list changed
 * between requests); the first one is kept, in place.
 */
export function dropDuplicateIds<T extends { readonly id: string }>(nodes: readonly T[]): { unique: T[]; dropped: string[] } {
  const seen = new Set<string>();
  const unique: T[] = [];
  const dropped: string[] = [];
  for (const n of nodes) {
    if (seen.has(n.id)) {
      dropped.push(n.id);
      continue;
    }
    seen.add(n.id);
    unique.push(n);
  }
  return { unique, dropped };
}

/** Drops duplicate ids from each child list the tree shows, logging once per list until it is reloaded. */
export class UniqueChildren {
  private readonly logged = new Set<string>();

  constructor(private readonly logger: Logger) {}

  /** The children of list `listId` (every page shown so far) without duplicate ids. */
  filter<T extends { readonly id: string }>(listId: string, where: string, nodes: readonly T[]): T[] {
    const { unique, dropped } = dropDuplicateIds(nodes);
    if (dropped.length && !this.logged.has(listId)) {
      this.logged.add(listId);
      const shown = dropped.slice(0, 5).join(', ') + (dropped.length > 5 ? ', …' : '');
      this.logger.warn(`Tree: ${where} listed ${dropped.length} ${dropped.length === 1 ? 'entry' : 'entries'} a second time; only the first of each is shown (${shown})`);
    }
    return unique;
  }

  /** Forgets lists whose id is `prefix` or starts with `prefix/` (reloaded: a duplicate is logged again). */
  forget(prefix?: string): void {
    if (prefix === undefined) return this.logged.clear();
    for (const id of [...this.logged]) if (id === prefix || id.startsWith(prefix + '/')) this.logged.delete(id);
  }
}
