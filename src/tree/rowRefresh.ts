import type { RegistryProvider, Tag } from '../registry/provider';

/** Most reads of one changing row (a scan that never ends stops being followed after this many). */
export const MAX_ROW_READS = 200;
/** Bounds of the wait a provider asks for between two reads of a row. */
const MIN_WAIT_MS = 500;
const MAX_WAIT_MS = 5 * 60_000;

/** A row the tree shows: its tag as listed (replaced after each read) and the repository it is in. */
export interface ChangingRow {
  readonly id: string;
  readonly repository: string;
  tag: Tag;
}

export interface RowRefreshHost<R extends ChangingRow> {
  /** Whether the row is still shown (not replaced by a reload, not disposed). */
  current(row: R): boolean;
  /** The row changed: repaint it. */
  changed(row: R): void;
  /** A read failed (logged; the row keeps what it showed and is not read again). */
  failed(row: R, error: unknown): void;
}

/**
 * Reads rows again that the provider marked as changing (`Tag.refreshAfterMs`: a scan running or queued) until a
 * read no longer marks them, so their badge follows the server without reloading the whole list. One timer per row,
 * at most `MAX_ROW_READS` reads; reloads and disposal drop the timers.
 */
export class RowRefresher<R extends ChangingRow> {
  private readonly timers = new Map<string, { timer: ReturnType<typeof setTimeout>; reads: number }>();

  constructor(private readonly host: RowRefreshHost<R>) {}

  /** Starts following the rows that ask for it (rows already followed keep their timer). */
  watch(rows: readonly R[], provider: RegistryProvider): void {
    if (!provider.readTag) return;
    for (const r of rows) if (r.tag.refreshAfterMs !== undefined && !this.timers.has(r.id)) this.schedule(r, provider, 0);
  }

  private schedule(row: R, provider: RegistryProvider, reads: number): void {
    const wanted = row.tag.refreshAfterMs;
    if (wanted === undefined || !Number.isFinite(wanted) || reads >= MAX_ROW_READS) return;
    const wait = Math.min(MAX_WAIT_MS, Math.max(MIN_WAIT_MS, wanted));
    const timer = setTimeout(() => void this.read(row, provider, reads + 1), wait);
    timer.unref?.();
    this.timers.set(row.id, { timer, reads });
  }

  private async read(row: R, provider: RegistryProvider, reads: number): Promise<void> {
    if (!this.host.current(row)) return void this.timers.delete(row.id);
    let fresh: Tag;
    try {
      fresh = await provider.readTag!(row.repository, row.tag.name);
    } catch (e) {
      this.timers.delete(row.id);
      if (this.host.current(row)) this.host.failed(row, e);
      return;
    }
    if (!this.host.current(row)) return void this.timers.delete(row.id);
    row.tag = fresh;
    this.host.changed(row);
    this.timers.delete(row.id);
    this.schedule(row, provider, reads);
  }

  /** Stops following the rows under a node id (the node itself included), or every row. */
  forget(prefix?: string): void {
    for (const [id, t] of [...this.timers]) {
      if (prefix !== undefined && id !== prefix && !id.startsWith(prefix + '/')) continue;
      clearTimeout(t.timer);
      this.timers.delete(id);
    }
  }

  /** Rows followed now (tests use it). */
  get watching(): number {
    return this.timers.size;
  }
}
