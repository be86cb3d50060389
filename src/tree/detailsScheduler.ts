import { Limiter } from './limiter';

/** Loads one item's details; resolves true when the item is still shown and should be repainted. Never rejects. */
export type Describe<T> = (item: T) => Promise<boolean>;

export interface DetailsSchedulerOptions<T> {
  /** Repaints items whose details arrived (the tree's change event). */
  show: (items: T[]) => void;
  /** Requests in flight at once, across the whole tree. */
  concurrency?: number;
  /** Rows described at once per expansion: about what one screen of the view shows. */
  screenful?: number;
  /** The rest of a page is described after this long without another expansion or Load more… (ms). */
  idleMs?: number;
  /** Wait after listing children before their details are requested, so the view gets the rows first (ms). */
  startMs?: number;
  /** A first screen whose last rows are slow is shown this long after its first row arrived (ms). */
  screenFlushMs?: number;
  /** Details of the rest of a page are shown together, at the latest this long after the first arrived (ms). */
  restFlushMs?: number;
}

interface Item {
  readonly id: string;
}

interface Waiting<T> {
  item: T;
  describe: Describe<T>;
}

/**
 * When tag details are requested and when they reach the screen. VS Code's tree has no visible-range API, so the
 * first screenful of a list (its first `screenful` rows still without details) is described at once and repainted
 * as soon as it is complete; the rest of the page waits until the tree has been idle for `idleMs` (no expansion or
 * Load more… meanwhile) and is then described at a lower priority and repainted in batches. A Load more… (or any
 * new listing of the same list) counts as scrolling there: rows of that list still waiting are described at once.
 * Plain TypeScript (no `vscode`), so the timing is testable against a real server in Node.
 */
export class DetailsScheduler<T extends Item> {
  private readonly limiter: Limiter;
  private readonly screenful: number;
  private readonly idleMs: number;
  private readonly startMs: number;
  private readonly screenFlushMs: number;
  private readonly restFlushMs: number;
  /** Items queued or running, each with the token of its run (a reset list's rows may be scheduled again). */
  private readonly pending = new Map<string, object>();
  /** Rows waiting for the tree to go idle, by list. */
  private readonly deferred = new Map<string, Waiting<T>[]>();
  /** Lists that have had a first screen scheduled since they were (re)loaded. */
  private readonly seen = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private idleTimer: NodeJS.Timeout | undefined;
  private rest: Batch<T> | undefined;
  /** First-screen rows queued or running: the tree is not idle while there are any. */
  private screenRows = 0;
  private batches = 0;
  /** Bumped by clear(): work started before it is dropped. */
  private epoch = 0;

  constructor(private readonly opts: DetailsSchedulerOptions<T>) {
    this.limiter = new Limiter(opts.concurrency ?? 8);
    this.screenful = opts.screenful ?? 30;
    this.idleMs = opts.idleMs ?? 1000;
    this.startMs = opts.startMs ?? 10;
    this.screenFlushMs = opts.screenFlushMs ?? 250;
    this.restFlushMs = opts.restFlushMs ?? 1500;
  }

  /** True while anything is queued, running, waiting for idle or waiting to be shown. */
  get busy(): boolean {
    return this.pending.size > 0 || this.deferred.size > 0 || this.timers.size > 0 || !!this.idleTimer || !!this.rest?.open;
  }

  /**
   * The rows of list `list`, in display order, that have no details yet. Rows already queued or running are left
   * alone; the first screenful of the others is described now, the rest when the tree is idle.
   */
  schedule(list: string, rows: readonly T[], describe: Describe<T>): void {
    const waiting = this.deferred.get(list) ?? [];
    const waitingIds = new Set(waiting.map((w) => w.item.id));
    const fresh = rows.filter((r) => !this.pending.has(r.id) && !waitingIds.has(r.id));
    const stillShown = new Set(rows.map((r) => r.id));
    // A second listing of the same list (Load more…, a filter) means the reader went past the first screen.
    const now = this.seen.has(list) ? waiting.filter((w) => stillShown.has(w.item.id)).map((w) => w.item) : [];
    now.push(...fresh.slice(0, this.screenful));
    const later = fresh.slice(this.screenful);
    this.seen.add(list);
    if (later.length) this.deferred.set(list, later.map((item) => ({ item, describe })));
    else this.deferred.delete(list);
    // Rows of an earlier listing that are gone (filtered out) keep waiting for idle only if still shown.
    for (const w of waiting) if (!stillShown.has(w.item.id)) this.deferred.get(list)?.push(w);
    if (now.length) this.startScreen(now, waiting, describe);
    this.restartIdle();
  }

  /** Forgets lists whose id is `prefix` or starts with `prefix/` (their subtree was reset). */
  forget(prefix: string): void {
    const under = (id: string) => id === prefix || id.startsWith(prefix + '/');
    for (const id of [...this.deferred.keys()]) if (under(id)) this.deferred.delete(id);
    for (const id of [...this.seen]) if (under(id)) this.seen.delete(id);
    for (const id of [...this.pending.keys()]) if (id.startsWith(prefix + '/')) this.pending.delete(id);
  }

  /** Drops everything not yet started (the whole tree was refreshed). */
  clear(): void {
    this.epoch++;
    this.limiter.clear();
    this.pending.clear();
    this.deferred.clear();
    this.seen.clear();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    this.rest?.cancel();
    this.rest = undefined;
    this.screenRows = 0;
  }

  /** Resolves when nothing is pending (tests use it). */
  async whenSettled(timeoutMs = 30_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (this.busy && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  }

  dispose(): void {
    this.clear();
  }

  private startScreen(rows: T[], waiting: Waiting<T>[], describe: Describe<T>): void {
    const how = new Map(waiting.map((w) => [w.item.id, w.describe]));
    const priority = 1_000_000_000 + ++this.batches;
    const screen = new Batch<T>(this.opts.show, this.screenFlushMs);
    const tokens = this.claim(rows);
    this.screenRows += rows.length;
    const epoch = this.epoch;
    const done = () => {
      if (epoch !== this.epoch) return;
      // The idle window starts when the screens are described, not while they still load.
      if (--this.screenRows === 0) this.restartIdle();
    };
    this.later(() => {
      this.run(rows, tokens, (r) => how.get(r.id) ?? describe, priority, screen, done);
    }, this.startMs);
  }

  private restartIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (this.deferred.size === 0) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.screenRows === 0) this.startRest();
    }, this.idleMs);
  }

  private startRest(): void {
    const all = [...this.deferred.values()].flat();
    this.deferred.clear();
    if (!all.length) return;
    if (!this.rest?.open) this.rest = new Batch<T>(this.opts.show, this.restFlushMs);
    const how = new Map(all.map((w) => [w.item.id, w.describe]));
    const rows = all.map((w) => w.item);
    this.run(rows, this.claim(rows), (r) => how.get(r.id)!, ++this.batches, this.rest);
  }

  private claim(rows: T[]): object[] {
    return rows.map((r) => {
      const token = {};
      this.pending.set(r.id, token);
      return token;
    });
  }

  private run(rows: T[], tokens: object[], describeOf: (r: T) => Describe<T>, priority: number, batch: Batch<T>, done?: () => void): void {
    const epoch = this.epoch;
    batch.expect(rows.length);
    rows.forEach((r, i) => {
      const mine = () => epoch === this.epoch && this.pending.get(r.id) === tokens[i];
      void this.limiter
        .run(async () => (mine() ? describeOf(r)(r).catch(() => false) : false), priority)
        .then((shown) => {
          if (epoch !== this.epoch) return;
          if (mine()) this.pending.delete(r.id);
          batch.arrived(shown ? r : undefined);
          done?.();
        });
    });
  }

  private later(f: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      f();
    }, ms);
    this.timers.add(t);
  }
}

/**
 * Rows whose details arrived, repainted together: when the last expected one is in, or `maxWaitMs` after the first
 * one arrived (VS Code restarts its own debounce on every change event, so one event per batch, not per row).
 */
class Batch<T> {
  private expected = 0;
  private done: T[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly show: (items: T[]) => void,
    private readonly maxWaitMs: number,
  ) {}

  get open(): boolean {
    return this.expected > 0 || this.done.length > 0;
  }

  expect(n: number): void {
    this.expected += n;
  }

  arrived(item: T | undefined): void {
    this.expected--;
    if (item) this.done.push(item);
    if (this.expected <= 0) this.flush();
    else if (item && !this.timer) this.timer = setTimeout(() => this.flush(), this.maxWaitMs);
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.done = [];
    this.expected = 0;
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const items = this.done;
    this.done = [];
    if (items.length) this.show(items);
  }
}
