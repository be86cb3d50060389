import type { Cursor, Page } from '../registry/provider';
import { toRegistryError, type RegistryError } from '../registry/errors';
import { PagingGuard } from '../registry/paging';

export type PageLoader<T> = (cursor: Cursor | undefined) => Promise<Page<T>>;

/**
 * Children of one tree node, loaded one page per expansion or "Load more…". When the server returns everything at
 * once (no server paging) the list keeps the rest and reveals it `pageSize` at a time, so a 10,000-tag repository
 * costs one request but never renders 10,000 items.
 */
export class PagedList<T> {
  private loaded: T[] = [];
  private hidden: T[] = [];
  private cursor: Cursor | undefined;
  private started = false;
  private finished = false;
  private inflight: Promise<void> | undefined;
  private lastError: RegistryError | undefined;
  private lastNotice: string | undefined;
  /** Stops a list whose cursors repeat (A → B → A) or that never ends, instead of offering "Load more" forever. */
  private guard = new PagingGuard('The list');
  /** Number of loader calls made, for tests and diagnostics. */
  requests = 0;

  constructor(
    private readonly loader: PageLoader<T>,
    private readonly pageSize: number,
    /** Applied to every fetched page before it is shown (e.g. natural sort when the server returned everything). */
    private readonly arrange?: (items: T[], isWholeList: boolean) => T[],
  ) {}

  get items(): readonly T[] {
    return this.loaded;
  }

  get error(): RegistryError | undefined {
    return this.lastError;
  }

  /** The one-line notice the provider sent with the last page (a registry that does not list its repositories). */
  get notice(): string | undefined {
    return this.lastNotice;
  }

  get isLoaded(): boolean {
    return this.started && !this.inflight;
  }

  /** True when more items exist locally or on the server. */
  get hasMore(): boolean {
    return this.hidden.length > 0 || (!this.finished && this.started && !this.lastError);
  }

  /** True while a next server page can still be fetched (Retry continues from it rather than starting over). */
  get canResume(): boolean {
    return this.started && !this.finished;
  }

  /** Known count of items still hidden locally (undefined when the server decides). */
  get remaining(): number | undefined {
    if (this.hidden.length > 0) return this.hidden.length;
    return undefined;
  }

  /** Everything fetched so far, shown or not (used by filters so they search the whole list). */
  get all(): readonly T[] {
    return this.hidden.length ? [...this.loaded, ...this.hidden] : this.loaded;
  }

  /** Loads the first page once; concurrent callers share the request. */
  ensureLoaded(): Promise<void> {
    if (this.started) return this.inflight ?? Promise.resolve();
    this.started = true;
    return this.fetchNext();
  }

  /** Reveals the next local chunk, or fetches the next server page. */
  loadMore(): Promise<void> {
    if (this.inflight) return this.inflight;
    if (this.hidden.length > 0) {
      this.loaded = this.loaded.concat(this.hidden.splice(0, this.pageSize));
      return Promise.resolve();
    }
    if (this.finished) return Promise.resolve();
    return this.fetchNext();
  }

  /** Forgets everything; the next ensureLoaded() fetches the first page again. */
  reset(): void {
    this.loaded = [];
    this.hidden = [];
    this.cursor = undefined;
    this.started = false;
    this.finished = false;
    this.inflight = undefined;
    this.lastError = undefined;
    this.lastNotice = undefined;
    this.guard = new PagingGuard('The list');
  }

  private fetchNext(): Promise<void> {
    const cursor = this.cursor;
    const first = this.loaded.length === 0 && this.hidden.length === 0;
    this.requests++;
    this.lastError = undefined;
    const guard = this.guard;
    const p = Promise.resolve()
      .then(() => {
        guard.request(cursor);
        return this.loader(cursor).catch((e: unknown) => {
          guard.failed(cursor);
          throw e;
        });
      })
      .then((page) => {
        guard.received(page.items.length);
        const whole = first && page.next === undefined;
        let items = page.items;
        if (this.arrange) items = this.arrange(items, whole);
        if (items.length > this.pageSize) {
          this.loaded = this.loaded.concat(items.slice(0, this.pageSize));
          this.hidden = items.slice(this.pageSize);
        } else {
          this.loaded = this.loaded.concat(items);
        }
        this.cursor = page.next;
        this.lastNotice = page.notice ?? (first ? undefined : this.lastNotice);
        this.finished = page.next === undefined;
        // Items fetched before the list stopped short are kept and shown, followed by the error.
        const stop = page.error ?? guard.check(page.next, page.items.length);
        if (stop) {
          this.lastError = stop;
          this.finished = true;
        }
      })
      .catch((e: unknown) => {
        this.lastError = toRegistryError(e);
      })
      .finally(() => {
        if (this.inflight === p) this.inflight = undefined;
      });
    this.inflight = p;
    return p;
  }
}
