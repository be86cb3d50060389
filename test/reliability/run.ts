/**
 * `npm run test:reliability`: for every provider (subjects/index.ts), a fault proxy and a fuzzer on 127.0.0.1 send
 * at least 260 hostile or malformed answers (bad statuses with odd bodies, truncated JSON, wrong types, huge,
 * endless and dripping bodies, stalls, resets, redirect and cursor loops, cross-origin redirects and challenges).
 * A case holds when the operation ends in time in a typed RegistryError or a sane result, and: no unhandled
 * rejection, no secret (password, its Basic form, any token) in a request to another origin, in a log line or in an
 * error, memory bounded, and no non-idempotent request sent again after the server may have acted on it.
 * Prints `reliability: N cases, N held, N failed` per provider. RELIABILITY_CASES (default 280) and
 * RELIABILITY_SEED (default 11) vary the run; RELIABILITY_ONLY=OCI narrows it.
 */
import { RegistryError } from '../../src/registry/errors';
import type { Logger } from '../../src/registry/context';
import { PagedList } from '../../src/tree/pagedList';
import { behaviours, type NamedBehaviour } from './behaviours';
import { startFaultServers, type FaultServers } from './faultProxy';
import type { Operation, ReliabilitySubject } from './subject';
import { subjects } from './subjects';
import { tlsFiles } from './tls';
import { TYPED_SECRET } from './pipeline';

const CASES = Number(process.env.RELIABILITY_CASES ?? 280);
const SEED = Number(process.env.RELIABILITY_SEED ?? 11);
const ONLY = process.env.RELIABILITY_ONLY?.split(',');
const CONCURRENCY = Number(process.env.RELIABILITY_CONCURRENCY ?? 4);
const VERBOSE = process.env.RELIABILITY_VERBOSE === '1';
const CASE_LIMIT_MS = 15_000;
const HEAP_LIMIT_BYTES = 400 * 1024 * 1024;
const USER = 'alice';
const SECRET = 'S3cr3t/P@ss+w0rd%2F=x';

interface Case {
  index: number;
  op: Operation;
  target: string;
  behaviour: NamedBehaviour;
  occurrence: 'first' | 'all';
}

interface Verdict {
  c: Case;
  problems: string[];
}

const unhandled: string[] = [];
process.on('unhandledRejection', (r) => unhandled.push(r instanceof Error ? `${r.name}: ${r.message}` : String(r)));
process.on('uncaughtException', (e) => unhandled.push(`uncaught ${e.name}: ${e.message}`));

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every behaviour at least once, the rest drawn at random (slow ones less often), over random (operation, target) pairs. */
function plan(subject: ReliabilitySubject): Case[] {
  const all = behaviours();
  const r = rng(SEED + subject.name.length);
  const pairs = subject.operations.flatMap((op) => op.targets.map((target) => ({ op, target })));
  // Every behaviour once; those that aim at some targets (`prefer`) once more on each matching (operation, target).
  const mandatory: { b: NamedBehaviour; pair?: (typeof pairs)[number] }[] = all.map((b) => ({ b }));
  for (const b of all.filter((x) => x.prefer)) for (const pair of pairs.filter((p) => b.prefer!.test(p.target))) mandatory.push({ b, pair });
  const cases: Case[] = [];
  for (let i = 0; i < Math.max(CASES, mandatory.length); i++) {
    let b = i < mandatory.length ? mandatory[i]!.b : all[Math.floor(r() * all.length)]!;
    if (i >= mandatory.length && b.slow && r() < 0.8) b = all[Math.floor(r() * all.length)]!;
    const pair = (i < mandatory.length ? mandatory[i]!.pair : undefined) ?? pairs[Math.floor(r() * pairs.length)]!;
    cases.push({ index: i, op: pair.op, target: pair.target, behaviour: b, occurrence: r() < 0.7 ? 'first' : 'all' });
  }
  return cases;
}

function secretForms(tokens: Iterable<string>): string[] {
  const basic = Buffer.from(`${USER}:${SECRET}`).toString('base64').replace(/=+$/, '');
  return [SECRET, encodeURIComponent(SECRET), basic, TYPED_SECRET, encodeURIComponent(TYPED_SECRET), ...tokens].filter((s) => s.length >= 6);
}

function leaks(text: string, forms: string[]): string | undefined {
  return forms.find((f) => text.includes(f));
}

/** An error the layer threw on purpose: a RegistryError subclass, not a wrapped TypeError or the like. */
function typed(e: unknown): string | undefined {
  if (!(e instanceof RegistryError)) return `untyped ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  if (e.constructor === RegistryError && e.cause instanceof Error && !(e.cause instanceof RegistryError) && e.cause.name !== 'ZodError') {
    return `a ${e.cause.name} wrapped as RegistryError: ${e.cause.message}`;
  }
  return undefined;
}

function errorTexts(e: unknown): string[] {
  const out: string[] = [];
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur instanceof Error; i++) {
    out.push(cur.message, (cur as RegistryError).request ?? '');
    cur = cur.cause;
  }
  return out;
}

/** What an operation's result must look like to count as correct. */
function checkResult(result: unknown): string | undefined {
  if (result instanceof PagedList) {
    if (result.error) return typed(result.error);
    if (!result.items.every((i: unknown) => !!i && typeof i === 'object')) return 'list items are not objects';
    return undefined;
  }
  if (result && typeof result === 'object' && 'ok' in result && 'latencyMs' in result) {
    const h = result as { ok: boolean; error?: unknown };
    if (!h.ok) return h.error === undefined ? 'failed health check without an error' : typed(h.error);
  }
  return undefined;
}

async function runCase(subject: ReliabilitySubject, c: Case): Promise<Verdict> {
  const problems: string[] = [];
  const lines: string[] = [];
  const add = (m: string) => void lines.push(m);
  const logger: Logger = { trace: add, debug: add, info: add, warn: add, error: add };
  const upstream = await subject.startUpstream(USER, SECRET);
  let servers: FaultServers | undefined;
  let provider: { dispose(): void } | undefined;
  const before = unhandled.length;
  try {
    const tls = c.behaviour.tls ? tlsFiles() : undefined;
    servers = await startFaultServers(upstream.url, { target: subject.targets[c.target]!, behaviour: c.behaviour.behaviour, occurrence: c.occurrence }, SEED * 1000 + c.index, tls);
    provider = subject.make(servers.self, logger, USER, SECRET, tls && { caFile: tls.caFile });
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), CASE_LIMIT_MS)));
    const outcome = await Promise.race([
      c.op.run(provider).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
      limit,
    ]);
    clearTimeout(timer);
    if (outcome === 'timeout') problems.push(`did not end within ${CASE_LIMIT_MS / 1000} s`);
    else if ('error' in outcome) {
      const why = typed(outcome.error);
      if (why) problems.push(why);
    } else {
      const why = checkResult(outcome.value) ?? c.behaviour.check?.(outcome.value);
      if (why) problems.push(why);
    }
    // Over https, nothing may follow a redirect or link to plain http: the answer there is not the registry's.
    if (c.behaviour.tls && servers.evilLog.length) problems.push(`followed https to plain http (${servers.evilLog[0]!.method} ${servers.evilLog[0]!.url})`);
    const forms = secretForms(servers.tokens);
    for (const r of servers.evilLog) {
      const found = leaks(JSON.stringify(r.headers) + r.url + r.body, forms);
      if (found || r.headers.authorization) problems.push(`credentials sent to another origin (${r.method} ${r.url})`);
    }
    for (const l of lines) if (leaks(l, forms)) problems.push(`secret in a log line: ${l.slice(0, 120)}`);
    if (outcome !== 'timeout' && 'error' in outcome) for (const t of errorTexts(outcome.error)) if (leaks(t, forms)) problems.push(`secret in an error: ${t.slice(0, 120)}`);
    if (outcome !== 'timeout' && 'value' in outcome && outcome.value instanceof PagedList && outcome.value.error) {
      for (const t of errorTexts(outcome.value.error)) if (leaks(t, forms)) problems.push(`secret in an error node: ${t.slice(0, 120)}`);
    }
    // A write is sent again only after a 401 (it was not acted on) or when the subject says it is repeatable.
    const writes = servers.log.filter((r) => !['GET', 'HEAD'].includes(r.method) && !(subject.repeatableWrites ?? []).some((re) => re.test(r.url.split('?')[0]!)));
    const seen = new Map<string, number | string>();
    for (const w of writes) {
      const key = `${w.method} ${w.url.split('?')[0]}`;
      const prev = seen.get(key);
      if (prev !== undefined && prev !== 401) problems.push(`${key} sent again after ${prev}`);
      seen.set(key, w.outcome);
    }
  } catch (e) {
    problems.push(`the case itself failed: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    provider?.dispose();
    await servers?.close();
    await upstream.close();
  }
  // Rejections noticed while this case ran (with concurrency, possibly a neighbour's: still a failure).
  await new Promise((r) => setImmediate(r));
  if (unhandled.length > before) problems.push(`unhandled rejection: ${unhandled.slice(before).join('; ')}`);
  return { c, problems };
}

async function pool<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let i = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (i < items.length) {
        const k = i++;
        out[k] = await fn(items[k]!);
      }
    }),
  );
  return out;
}

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  let held = 0;
  let failed = 0;
  const t0 = Date.now();
  for (const subject of subjects.filter((s) => !ONLY || ONLY.includes(s.name))) {
    const cases = plan(subject);
    const started = Date.now();
    let heapPeak = 0;
    const verdicts = await pool(cases, CONCURRENCY, async (c) => {
      const caseStart = Date.now();
      if (VERBOSE) console.log(`  … #${c.index} ${c.op.name} / ${c.target} / ${c.behaviour.name} (${c.occurrence})`);
      const v = await runCase(subject, c);
      if (VERBOSE) console.log(`  ${v.problems.length ? '✖' : '✔'} #${c.index} ${Date.now() - caseStart} ms heap ${Math.round(process.memoryUsage().heapUsed / 1048576)} MB ${v.problems.join('; ')}`);
      const heap = process.memoryUsage().heapUsed;
      heapPeak = Math.max(heapPeak, heap);
      if (heap > HEAP_LIMIT_BYTES) {
        gc?.();
        const after = process.memoryUsage().heapUsed;
        if (after > HEAP_LIMIT_BYTES) v.problems.push(`heap ${Math.round(after / 1048576)} MB after the case`);
      }
      return v;
    });
    const bad = verdicts.filter((v) => v.problems.length > 0);
    for (const v of bad.slice(0, 25)) {
      console.log(`  ✖ ${subject.name} #${v.c.index} ${v.c.op.name} / ${v.c.target} / ${v.c.behaviour.name} (${v.c.occurrence}): ${v.problems.join('; ')}`);
    }
    if (bad.length > 25) console.log(`  … and ${bad.length - 25} more`);
    held += verdicts.length - bad.length;
    failed += bad.length;
    console.log(
      `reliability: ${verdicts.length} cases, ${verdicts.length - bad.length} held, ${bad.length} failed — ${subject.name} (${((Date.now() - started) / 1000).toFixed(1)} s, heap peak ${Math.round(heapPeak / 1048576)} MB)`,
    );
  }
  console.log(`\nreliability total: ${held + failed} cases in ${((Date.now() - t0) / 1000).toFixed(0)} s, peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
  console.log(`${held} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

void main();
