/**
 * Hostile answers of the second round of probing, added to the generic behaviours: digests carrying Markdown, a
 * token realm on another origin, empty pages that claim more, lists multiplied until they are huge, and https
 * answers redirected to plain http. Each behaviour that injects something also says how to tell that it came through.
 */
import type * as http from 'node:http';
import { PagedList } from '../../src/tree/pagedList';
import { send, type Upstream } from './faultProxy';
import type { NamedBehaviour } from './behaviours';

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const EVIL_MARK = 'evil.invalid';
const INJECTED = `\n\n[link](https://${EVIL_MARK}/x) ![img](https://${EVIL_MARK}/i.png)`;

function json(up: Upstream): unknown {
  try {
    return JSON.parse(up.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** A copy of `value` with every string `f` maps replaced (depth-bounded). */
function mapStrings(value: unknown, f: (s: string, key: string) => string, key = '', depth = 0): unknown {
  if (depth > 12) return value;
  if (typeof value === 'string') return f(value, key);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f, key, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, mapStrings(v, f, k, depth + 1)]));
  }
  return value;
}

/** A copy of `value` with every array emptied. */
function emptyArrays(value: unknown, depth = 0): unknown {
  if (Array.isArray(value)) return [];
  if (value && typeof value === 'object' && depth < 4) {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, emptyArrays(v, depth + 1)]));
  }
  return value;
}

/**
 * A copy of `value` whose first non-empty array (breadth first) repeats its elements up to `max` entries or about
 * `maxBytes` of JSON, whichever comes first: a listing or a report a thousand times its usual size.
 */
function multiplyArrays(value: unknown, max: number, maxBytes: number): unknown {
  const queue: { holder: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const root = { v: value };
  queue.push({ holder: root as unknown as Record<string, unknown>, key: 'v' });
  for (let i = 0; i < queue.length && i < 10_000; i++) {
    const { holder, key } = queue[i]!;
    const v = (holder as Record<string | number, unknown>)[key];
    if (Array.isArray(v) && v.length > 0) {
      const each = Math.max(1, JSON.stringify(v).length / v.length);
      const n = Math.max(v.length, Math.min(max, Math.floor(maxBytes / each)));
      (holder as Record<string | number, unknown>)[key] = Array.from({ length: n }, (_, k): unknown => v[k % v.length] as unknown);
      return root.v;
    }
    if (v && typeof v === 'object') for (const k of Object.keys(v)) queue.push({ holder: v as Record<string, unknown>, key: k });
  }
  return root.v;
}

function writeBody(res: http.ServerResponse, up: Upstream, body: unknown, extra: Record<string, string> = {}): void {
  send(res, { status: up.status, headers: { ...up.headers, ...extra }, body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)) });
}

/** Every string value under a key named like a digest, anywhere in a result (a list's items, details, a plan). */
function digestsOf(result: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, key: string, depth: number): void => {
    if (depth > 8 || out.length > 10_000) return;
    if (typeof v === 'string') {
      if (/digest$/i.test(key)) out.push(v);
      return;
    }
    if (Array.isArray(v)) return v.forEach((x) => walk(x, key, depth + 1));
    if (v && typeof v === 'object') for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, k, depth + 1);
  };
  walk(result instanceof PagedList ? result.all : result, '', 0);
  return out;
}

function injectedDigest(result: unknown): string | undefined {
  const bad = digestsOf(result).find((d) => d.includes(EVIL_MARK) || /\s/.test(d));
  return bad === undefined ? undefined : `an injected digest came through: ${JSON.stringify(bad.slice(0, 90))}`;
}

/** An empty page that claims more must end the list with a paging error, not offer Load more forever. */
function emptyPageOffered(result: unknown): string | undefined {
  if (result instanceof PagedList && !result.error && result.hasMore && result.remaining === undefined) {
    return 'an empty page that claims more still offers Load more';
  }
  return undefined;
}

export function hostileBehaviours(): NamedBehaviour[] {
  return [
    {
      name: 'digests carrying Markdown links and images',
      prefer: /^(tags?|manifest|v2|catalog|repositories)$/,
      check: injectedDigest,
      behaviour: async (_ex, res, ctx) => {
        const up = await ctx.upstream();
        const j = json(up);
        const headerDigest = up.headers['docker-content-digest'];
        const extra: Record<string, string> = headerDigest ? { 'docker-content-digest': `${headerDigest})[x](https://${EVIL_MARK}/h)` } : {};
        if (j === undefined) return void send(res, { status: up.status, headers: { ...up.headers, ...extra }, body: up.body });
        writeBody(res, up, mapStrings(j, (s) => (DIGEST.test(s) ? s + INJECTED : s)), extra);
      },
    },
    {
      name: 'digest fields replaced by Markdown',
      prefer: /^(tags?|manifest|v2)$/,
      check: injectedDigest,
      behaviour: async (_ex, res, ctx) => {
        const up = await ctx.upstream();
        const j = json(up);
        if (j === undefined) return void send(res, up);
        writeBody(res, up, mapStrings(j, (s, key) => (/digest$/i.test(key) ? `[click](https://${EVIL_MARK}/d)` : s)));
      },
    },
    {
      name: '401 with a token realm on another origin',
      prefer: /^(v2|manifest|blob|ping|registry)$/,
      behaviour: (_ex, res, ctx) =>
        void res.writeHead(401, { 'www-authenticate': `Bearer realm="${ctx.evil}/evil-token",service="registry",scope="repository:team/app:pull"`, 'content-type': 'application/json' }).end('{}'),
    },
    {
      name: 'empty page claiming more (cursor moves on)',
      prefer: /^(tags|repositories|catalog|tokens|robots|events|members|logs|orgs|namespaces)$/,
      check: emptyPageOffered,
      behaviour: async (ex, res, ctx) => {
        const up = await ctx.upstream();
        const j = json(up);
        const page = Number(new URL(ex.url, 'http://x').searchParams.get('page') ?? 1) + 1;
        const token = `empty-${page}-${Math.floor(ctx.random() * 1e9)}`;
        const next = `${ex.url.split('?')[0]}?page=${page}&last=${token}`;
        const body = j && typeof j === 'object' && !Array.isArray(j) ? { ...(emptyArrays(j) as object), next_page: token, has_additional: true, next } : j;
        writeBody(res, up, body ?? up.body.toString('utf8'), { link: `<${next}>; rel="next"`, 'x-next-page-start': token });
      },
    },
    {
      name: 'lists multiplied to tens of thousands of entries',
      prefer: /^(tags|scan|security|vulnerabilities|scanSummary)$/,
      behaviour: async (_ex, res, ctx) => {
        const up = await ctx.upstream();
        const j = json(up);
        if (j === undefined) return void send(res, up);
        writeBody(res, up, multiplyArrays(structuredClone(j), 50_000, 6 * 1024 * 1024));
      },
    },
    {
      // A server that quotes what it was sent: a secret typed into a form must not come back through the error.
      name: '400 quoting the request body',
      prefer: /^(notifications|createToken|create|createRobot|createAppToken|webhooks|mirroring)$/,
      behaviour: (ex, res) =>
        void res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `invalid request: ${ex.body.toString('utf8').slice(0, 4096)}`, error_message: ex.body.toString('utf8').slice(0, 4096) })),
    },
    {
      name: 'CSV cells carrying spreadsheet formulas',
      prefer: /^csvExport$/,
      behaviour: async (_ex, res, ctx) => {
        const up = await ctx.upstream();
        if (!/csv/i.test(up.headers['content-type'] ?? '')) return void send(res, up);
        const cells = ['=HYPERLINK("https://evil.invalid/a")', '+HYPERLINK("https://evil.invalid/b")', '-2+3+cmd|\' /C calc\'!A0', '@SUM(1+1)*cmd|\' /C calc\'!A0'];
        const lines = up.body.toString('utf8').split('\n');
        const body = lines.map((l, i) => (i === 0 || !l ? l : `${cells[i % cells.length]!.includes(',') ? `"${cells[i % cells.length]}"` : cells[i % cells.length]},${l}`)).join('\n');
        send(res, { status: up.status, headers: up.headers, body: Buffer.from(body) });
      },
    },
    {
      name: 'https answer redirected to plain http',
      tls: true,
      behaviour: (ex, res, ctx) => void res.writeHead(307, { location: ctx.evil + ex.url }).end(),
    },
    {
      name: 'https answer redirected to plain http on the same host',
      tls: true,
      behaviour: (ex, res, ctx) => void res.writeHead(302, { location: ctx.evil.replace('127.0.0.1', 'localhost') + ex.url }).end(),
    },
    {
      name: 'https cursor to plain http',
      tls: true,
      behaviour: async (ex, res, ctx) => {
        const up = await ctx.upstream();
        const j = json(up);
        const target = ctx.evil + ex.url;
        const body = j && typeof j === 'object' && !Array.isArray(j) ? { ...(j as object), next: target } : j;
        writeBody(res, up, body ?? up.body.toString('utf8'), { link: `<${target}>; rel="next"` });
      },
    },
    {
      name: 'https challenge naming a plain-http token realm',
      tls: true,
      behaviour: (_ex, res, ctx) => void res.writeHead(401, { 'www-authenticate': `Bearer realm="${ctx.evil}/evil-token",service="registry"`, 'content-type': 'application/json' }).end('{}'),
    },
  ];
}
