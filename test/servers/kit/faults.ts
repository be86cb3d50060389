/** Injected faults, the same way in every fake: a filter (path prefix or pattern, method), a count, then cleared. */

export interface FaultFilter {
  /** Only requests whose path starts with this string or matches this pattern. */
  path?: string | RegExp;
  /** Only requests with this method (any case). */
  method?: string;
  /** How many matching requests to affect (default: until cleared). */
  times?: number;
}

/** What the common fault kinds carry: an error status (`status`), or a field to replace and its value (`wrongType`). */
export interface FaultPayload {
  status?: number;
  /** Dotted path of the field to replace (numeric segments index arrays). */
  field?: string;
  /** The replacement value (default 12345). */
  value?: unknown;
}

export type Armed<F> = F & { left: number };

/** How a string path filter matches: as a prefix (default), anywhere in the path, or the whole path. */
export type PathMode = 'prefix' | 'contains' | 'exact';

/** A path filter: a string matches per `how`, a pattern is tested; no filter matches every path. */
export function pathMatches(filter: string | RegExp | undefined, path: string, how: PathMode = 'prefix'): boolean {
  if (filter === undefined) return true;
  if (typeof filter !== 'string') return filter.test(path);
  return how === 'prefix' ? path.startsWith(filter) : how === 'contains' ? path.includes(filter) : path === filter;
}

/** Arms a fault: `times` becomes the number of requests left (unbounded without it). */
export function arm<F extends FaultFilter>(f: F): Armed<F> {
  return { ...f, left: f.times ?? Number.POSITIVE_INFINITY };
}

/** Whether an armed fault still applies to this request (it is not consumed). */
export function applies(f: Armed<FaultFilter> | undefined, method: string, path: string, how: PathMode = 'prefix'): boolean {
  return !!f && f.left > 0 && pathMatches(f.path, path, how) && (!f.method || f.method.toUpperCase() === method.toUpperCase());
}

/** One slot for the current fault (`setFault(f)` / `setFault(undefined)`). */
export class FaultSlot<F extends FaultFilter> {
  current: Armed<F> | undefined;

  set(f: F | undefined): void {
    this.current = f ? arm(f) : undefined;
  }

  /** The current fault if it applies (consumed: its count goes down), else undefined. */
  take(method: string, path: string): Armed<F> | undefined {
    const f = this.current;
    if (!f || !applies(f, method, path)) return undefined;
    f.left--;
    return f;
  }
}

/** Replaces one field (dotted path, numeric segments index arrays) in a deep copy of `body`. */
export function replaceAt(body: unknown, path: string, value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(body)) as unknown;
  const parts = path.split('.');
  let cur: unknown = copy;
  for (const part of parts.slice(0, -1)) cur = (cur as Record<string, unknown>)[part];
  (cur as Record<string, unknown>)[parts[parts.length - 1]!] = value;
  return copy;
}

/** Faults checked in the order they were added; the first that applies is consumed. */
export class FaultList<F extends FaultFilter> {
  private list: Array<Armed<F>> = [];

  add(f: F): void {
    this.list.push(arm(f));
  }

  clear(): void {
    this.list = [];
  }

  /** The first fault with requests left for which `applies` holds (its count goes down), else undefined. */
  take(applies: (f: F) => boolean): Armed<F> | undefined {
    for (const f of this.list) {
      if (f.left <= 0 || !applies(f)) continue;
      f.left--;
      return f;
    }
    return undefined;
  }
}
