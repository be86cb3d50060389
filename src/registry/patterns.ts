import { Worker } from 'node:worker_threads';
import { CancelledError, RegistryError } from './errors';

/**
 * Regular expressions typed by a user or sent by a server (tag patterns of retention and immutability rules) are
 * evaluated here, never on the calling thread: a pattern such as `^(a+)+$` backtracks exponentially, and a few
 * 28-character names would block the extension host for seconds. One worker thread runs the matches with a hard
 * deadline; past it the worker is terminated (the only way to stop a running RegExp) and a new one is started for the
 * next call. Inputs are bounded so a call cannot hand the worker unbounded work either.
 */

/** Longest a pattern may run over all its subjects before it is stopped. */
export const PATTERN_TIME_LIMIT_MS = 1000;
/** Longest pattern evaluated. */
export const MAX_PATTERN_LENGTH = 1024;
/** Most strings matched in one call. */
export const MAX_PATTERN_SUBJECTS = 10_000;
/** Longest string matched (tag names are at most 128 characters). */
export const MAX_SUBJECT_LENGTH = 512;

export type PatternErrorReason = 'invalid' | 'timeout' | 'tooLarge';

/** A pattern that cannot be evaluated: not a regular expression, too slow, or too much input. */
export class PatternError extends RegistryError {
  constructor(
    readonly reason: PatternErrorReason,
    message: string,
  ) {
    super('config', message);
    this.name = 'PatternError';
  }
}

export interface PatternOptions {
  /** Deadline in ms (default PATTERN_TIME_LIMIT_MS). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The worker's code, evaluated as a CommonJS script (`eval: true`): no separate file, so it survives bundling. */
const WORKER_CODE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  let re;
  try {
    re = new RegExp(m.pattern, m.flags);
  } catch (e) {
    parentPort.postMessage({ id: m.id, invalid: String((e && e.message) || e).slice(0, 200) });
    return;
  }
  const out = new Array(m.subjects.length);
  for (let i = 0; i < m.subjects.length; i++) {
    re.lastIndex = 0;
    out[i] = re.test(m.subjects[i]);
  }
  parentPort.postMessage({ id: m.id, matches: out });
});
`;

interface Reply {
  id: number;
  matches?: boolean[];
  invalid?: string;
}

let worker: Worker | undefined;
let online: Promise<Worker> | undefined;
let queue: Promise<unknown> = Promise.resolve();
let seq = 0;

function startWorker(): Promise<Worker> {
  if (online && worker) return online;
  const w = new Worker(WORKER_CODE, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 } });
  w.unref();
  worker = w;
  online = new Promise<Worker>((resolve, reject) => {
    w.once('online', () => resolve(w));
    w.once('error', reject);
    w.once('exit', () => reject(new Error('The pattern worker stopped')));
  });
  // A worker that dies between calls is replaced at the next one.
  w.once('exit', () => discard(w));
  w.on('error', () => discard(w));
  online.catch(() => discard(w));
  return online;
}

function discard(w: Worker): void {
  if (worker !== w) return;
  worker = undefined;
  online = undefined;
  void w.terminate().catch(() => undefined);
}

function checkInput(pattern: string, subjects: readonly string[]): void {
  if (pattern.length > MAX_PATTERN_LENGTH) throw new PatternError('tooLarge', `The pattern is longer than ${MAX_PATTERN_LENGTH} characters; shorten it`);
  if (subjects.length > MAX_PATTERN_SUBJECTS) throw new PatternError('tooLarge', `More than ${MAX_PATTERN_SUBJECTS.toLocaleString('en')} names to match at once`);
  for (const s of subjects) if (s.length > MAX_SUBJECT_LENGTH) throw new PatternError('tooLarge', `A name to match is longer than ${MAX_SUBJECT_LENGTH} characters`);
}

async function run(pattern: string, flags: string, subjects: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<boolean[]> {
  if (signal?.aborted) throw new CancelledError();
  const w = await startWorker();
  if (signal?.aborted) throw new CancelledError();
  const id = ++seq;
  return new Promise<boolean[]>((resolve, reject) => {
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      w.off('message', onMessage);
      w.off('exit', onExit);
      signal?.removeEventListener('abort', onAbort);
      w.unref();
      f();
    };
    const onMessage = (r: Reply) => {
      if (r.id !== id) return;
      if (r.invalid !== undefined) finish(() => reject(new PatternError('invalid', `"${pattern.slice(0, 100)}" is not a valid regular expression: ${r.invalid}`)));
      else finish(() => resolve(r.matches ?? []));
    };
    const onExit = () => finish(() => reject(new PatternError('timeout', 'The pattern could not be evaluated (its worker stopped); simplify it')));
    // A running RegExp cannot be interrupted: the worker is terminated, and the next call starts another.
    const onAbort = () => finish(() => (discard(w), reject(new CancelledError())));
    const timer = setTimeout(() => finish(() => (discard(w), reject(new PatternError('timeout', `The pattern took too long (over ${timeoutMs} ms); simplify it`)))), timeoutMs);
    w.on('message', onMessage);
    w.once('exit', onExit);
    signal?.addEventListener('abort', onAbort, { once: true });
    w.ref();
    w.postMessage({ id, pattern, flags, subjects });
  });
}

/**
 * Which of `subjects` match `pattern` (JavaScript RegExp syntax, `flags` as RegExp takes them), one boolean per
 * subject, evaluated in a worker thread within `timeoutMs`. Throws PatternError for an invalid pattern, one over the
 * deadline ("took too long … simplify it") and inputs over the bounds; CancelledError when `signal` aborts.
 * Calls run one at a time on one worker.
 */
export async function matchPattern(pattern: string, subjects: readonly string[], opts: PatternOptions & { flags?: string } = {}): Promise<boolean[]> {
  checkInput(pattern, subjects);
  const timeoutMs = opts.timeoutMs ?? PATTERN_TIME_LIMIT_MS;
  const next = queue.then(
    () => run(pattern, opts.flags ?? '', subjects, timeoutMs, opts.signal),
    () => run(pattern, opts.flags ?? '', subjects, timeoutMs, opts.signal),
  );
  queue = next.catch(() => undefined);
  return next;
}

/** The subjects that match (or, with `matches: false`, do not match) `pattern`; every subject when there is none. */
export async function filterByPattern<T>(items: readonly T[], name: (item: T) => string, pattern: string | undefined | null, matches = true, opts: PatternOptions = {}): Promise<T[]> {
  if (!pattern) return [...items];
  const hits = await matchPattern(pattern, items.map(name), opts);
  return items.filter((_, i) => hits[i] === matches);
}

/** Stops the worker (deactivation, tests); a later call starts a new one. */
export async function stopPatternWorker(): Promise<void> {
  const w = worker;
  worker = undefined;
  online = undefined;
  if (w) await w.terminate();
}
