/** What a benchmark section is: bench/run.ts loads every bench/sections/*.ts and runs their `section` exports in `order`. */
export interface BenchContext {
  /** Timed repetitions per measurement (median reported). */
  runs: number;
  /** Prints one line of the section's report. */
  print(line: string): void;
}

export interface TargetCheck {
  name: string;
  ok: boolean;
  /** e.g. "1.05× ≤ 1.2×" */
  detail: string;
}

export interface SectionResult {
  /** Merged into bench/results.json at the top level (e.g. `{ tags10k: {...} }`). */
  json: Record<string, unknown>;
  targets: TargetCheck[];
}

export interface BenchSection {
  name: string;
  /** Lower runs first. */
  order: number;
  run(ctx: BenchContext): Promise<SectionResult>;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Runs `fn` once to warm up, then `runs` times; returns the median wall time in ms and the last result. */
export async function timeMedian<T>(runs: number, fn: () => Promise<T>): Promise<{ ms: number; all: number[]; result: T }> {
  let result = await fn();
  const all: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    result = await fn();
    all.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { ms: median(all), all, result };
}

export function fmtMs(ms: number): string {
  return ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`;
}

export function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}×`;
}

/**
 * Medians of two loops timed in turns (a, b, a, b…) after `warmup` untimed runs of each: a slower stretch of a
 * shared machine weighs on both alike, and both are timed once their code is optimised rather than while the JIT
 * is still compiling the longer of the two.
 */
export async function alternateMedians<T>(runs: number, a: () => Promise<T>, b: () => Promise<T>, warmup = 10): Promise<{ a: { ms: number; result: T }; b: { ms: number; result: T } }> {
  let ra = await a();
  let rb = await b();
  for (let i = 1; i < warmup; i++) {
    ra = await a();
    rb = await b();
  }
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    ra = await a();
    ta.push(performance.now() - t);
    t = performance.now();
    rb = await b();
    tb.push(performance.now() - t);
  }
  return { a: { ms: median(ta), result: ra }, b: { ms: median(tb), result: rb } };
}
