import { BadResponseError, type RegistryError } from './errors';

/** An opaque paging cursor; only the provider that produced it knows what it means (Link URL, `next`, page number…). */
export type Cursor = string;

/** One page of results. `next` is absent on the last page. */
export interface Page<T> {
  items: T[];
  next?: Cursor;
  /**
   * Set when the list stops short (a next page that cannot be followed, a list cut at a size limit): `items` are
   * what was fetched and are shown, followed by this error.
   */
  error?: RegistryError;
  /**
   * One line shown after the items, not an error (a registry that does not list its repositories: the items are the
   * configured ones, and the user may add more).
   */
  notice?: string;
}

export interface PageOptions {
  /** Requested page size; providers may clamp it. */
  pageSize?: number;
  signal?: AbortSignal;
  /** Server-side name filter of repositories (capabilities.serverRepositoryFilter) or tags (serverTagFilter). */
  nameFilter?: string;
  /** Order of repositories (one of capabilities.repositoryOrderings) or of tags (one of tagOrderings). */
  ordering?: string;
}


/**
 * Shared paging rules for every provider: what a registry's paging may cost before it is stopped with a clear
 * error. A registry whose cursor repeats (a `Link` to itself, A → B → A, a `next` that never changes) or that
 * never stops would otherwise be followed until memory runs out.
 */

/** Most items of one list held in memory (a whole tag list sent at once, or pages followed in a loop). */
export const MAX_LIST_ITEMS = 100_000;
/** Most pages followed for one list. */
export const MAX_LIST_PAGES = 1_000;

/** A page whose items are cut at `max`, with an error that says so (the tree shows the items and the error). */
export function capPage<T>(page: Page<T>, what: string, max = MAX_LIST_ITEMS): Page<T> {
  if (page.items.length <= max) return page;
  const total = page.items.length;
  return {
    items: page.items.slice(0, max),
    error: new BadResponseError(`${what}: the registry sent ${total.toLocaleString('en')} entries; only the first ${max.toLocaleString('en')} are kept`),
  };
}

/**
 * Follows one list's cursors and stops it with a BadResponseError when a cursor repeats or the list grows past
 * `maxPages` / `maxItems`. Every provider loop that follows pages, and the tree's "Load more", go through one.
 */
export class PagingGuard {
  private readonly seen = new Set<string>();
  private pages = 0;
  private items = 0;

  constructor(
    private readonly what: string,
    private readonly maxPages = MAX_LIST_PAGES,
    private readonly maxItems = MAX_LIST_ITEMS,
  ) {}

  /** Notes the cursor about to be requested (undefined: the first page). */
  request(cursor: Cursor | undefined): void {
    const refused = this.check(cursor);
    if (refused) throw refused;
    if (cursor !== undefined) this.seen.add(cursor);
    this.pages++;
  }

  /** Forgets a request that failed, so a retry of the same cursor is not taken for a loop. */
  failed(cursor: Cursor | undefined): void {
    if (cursor !== undefined) this.seen.delete(cursor);
    this.pages = Math.max(0, this.pages - 1);
  }

  /** Notes a page's items; throws once the list holds more than `maxItems`. */
  received(count: number): void {
    this.items += count;
    if (this.items > this.maxItems) throw new BadResponseError(`${this.what}: more than ${this.maxItems.toLocaleString('en')} entries; the list stops here`);
  }

  /**
   * The error to show when `next` cannot be followed, or undefined when it can (nothing is noted). `pageItems`: how
   * many entries the page that named `next` held — an empty page that claims more is a paging error, or Load more
   * would fetch empty pages up to the page cap.
   */
  check(next: Cursor | undefined, pageItems?: number): BadResponseError | undefined {
    if (next !== undefined && pageItems === 0) return new BadResponseError(`${this.what}: the registry sent an empty page that claims more entries (a paging error); the list stops here`);
    if (next !== undefined && this.seen.has(next)) return new BadResponseError(`${this.what}: the registry sent a next-page link it had already sent (a paging loop); the list stops here`);
    if (this.pages + 1 > this.maxPages) return new BadResponseError(`${this.what}: more than ${this.maxPages.toLocaleString('en')} pages; the list stops here`);
    return undefined;
  }
}

/** Every item of a list, page after page, under a PagingGuard (for operations that need the whole list). */
export async function collectAll<T>(fetchPage: (cursor: Cursor | undefined) => Promise<Page<T>>, what: string, opts: { maxPages?: number; maxItems?: number } = {}): Promise<T[]> {
  const guard = new PagingGuard(what, opts.maxPages, opts.maxItems);
  const out: T[] = [];
  let cursor: Cursor | undefined;
  for (;;) {
    guard.request(cursor);
    const page = await fetchPage(cursor);
    guard.received(page.items.length);
    for (const item of page.items) out.push(item);
    if (page.error) throw page.error;
    if (page.next === undefined) return out;
    const refused = guard.check(page.next, page.items.length);
    if (refused) throw refused;
    cursor = page.next;
  }
}
