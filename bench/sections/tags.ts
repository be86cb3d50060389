/**
 * Listing every tag of a 10,000-tag repository: our provider (createProvider → listTags following `next`) against a
 * raw undici loop following Link (the floor) and `skopeo list-tags`. Once against the real distribution 2.8 from
 * the sandbox (it ignores `n`: one response), once against the spec-following test/servers/ociServer.ts paging 100
 * tags per response (100 round trips).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Agent, request } from 'undici';
import { silentLogger } from '../../src/registry/context';
import { createProvider } from '../../src/registry/kinds';
import type { RegistryProvider } from '../../src/registry/provider';
import { startSandbox } from '../../test/support/sandbox';
import { startOciServer } from '../../test/servers/ociServer';
import { fmtMs, ratio, timeMedian, type BenchSection, type SectionResult } from '../section';

const run = promisify(execFile);
const TAGS = 10_000;
const REPO = 'sample/many';
const PAGE = 100;

interface Target {
  url: string;
  caFile?: string;
  certDir?: string;
  username: string;
  password: string;
}

/** All tags through the provider, following `next` cursors; returns the tag count and the number of pages. */
async function listOurs(p: RegistryProvider): Promise<{ tags: number; pages: number }> {
  let cursor: string | undefined;
  let tags = 0;
  let pages = 0;
  do {
    const page = await p.listTags(REPO, cursor, { pageSize: PAGE });
    tags += page.items.length;
    pages++;
    cursor = page.next;
  } while (cursor);
  return { tags, pages };
}

/** The floor: undici requests with a pre-computed Basic header, following Link, JSON.parse per page. */
async function listRaw(t: Target, agent: Agent): Promise<{ tags: number; pages: number }> {
  const auth = `Basic ${Buffer.from(`${t.username}:${t.password}`).toString('base64')}`;
  let url: string | undefined = `${t.url}/v2/${REPO}/tags/list?n=${PAGE}`;
  let tags = 0;
  let pages = 0;
  while (url) {
    const res: Awaited<ReturnType<typeof request>> = await request(url, { dispatcher: agent, headers: { authorization: auth } });
    const body = (await res.body.json()) as { tags: string[] };
    if (res.statusCode !== 200) throw new Error(`raw GET ${url}: ${res.statusCode}`);
    tags += body.tags.length;
    pages++;
    const link: unknown = res.headers.link;
    const m: RegExpExecArray | null = typeof link === 'string' ? /<([^>]+)>\s*;\s*rel="?next"?/.exec(link) : null;
    url = m ? new URL(m[1], url).toString() : undefined;
  }
  return { tags, pages };
}

async function listSkopeo(t: Target): Promise<number> {
  const args = ['list-tags', '--creds', `${t.username}:${t.password}`];
  args.push(...(t.certDir ? ['--cert-dir', t.certDir] : ['--tls-verify=false']));
  args.push(`docker://${new URL(t.url).host}/${REPO}`);
  const { stdout } = await run('skopeo', args, { maxBuffer: 16 << 20 });
  return (JSON.parse(stdout) as { Tags: string[] }).Tags.length;
}

function providerFor(t: Target): RegistryProvider {
  return createProvider({
    connection: { id: 'bench', kind: 'oci', url: t.url, username: t.username, caFile: t.caFile },
    credentials: async () => ({ username: t.username, secret: t.password }),
    logger: silentLogger,
  });
}

async function measure(
  t: Target,
  runs: number,
  print: (line: string) => void,
  opts: { skopeo: boolean },
): Promise<{ oursMs: number; rawMs: number; skopeoMs?: number; requests: number; rawRequests: number }> {
  const provider = providerFor(t);
  const agent = new Agent({ connect: t.caFile ? { ca: fs.readFileSync(t.caFile, 'utf8') } : {}, connections: 4 });
  try {
    // Steady state: authentication settled, connections open, as when a person expands a repository.
    await provider.ping();
    const ours = await timeMedian(runs, () => listOurs(provider));
    const raw = await timeMedian(runs, () => listRaw(t, agent));
    if (ours.result.tags !== TAGS || raw.result.tags !== TAGS) throw new Error(`expected ${TAGS} tags, got ours ${ours.result.tags}, raw ${raw.result.tags}`);
    print(`ours   ${fmtMs(ours.ms).padStart(9)}  (${ours.result.pages} page(s); runs ${ours.all.map((x) => x.toFixed(0)).join(', ')})`);
    print(`raw    ${fmtMs(raw.ms).padStart(9)}  (${raw.result.pages} request(s); runs ${raw.all.map((x) => x.toFixed(0)).join(', ')})`);
    let skopeoMs: number | undefined;
    if (opts.skopeo) {
      const sk = await timeMedian(runs, () => listSkopeo(t));
      if (sk.result !== TAGS) throw new Error(`skopeo listed ${sk.result} tags`);
      skopeoMs = sk.ms;
      print(`skopeo ${fmtMs(sk.ms).padStart(9)}  (process start included; runs ${sk.all.map((x) => x.toFixed(0)).join(', ')})`);
    }
    print(`ours/raw ${ratio(ours.ms, raw.ms)}${skopeoMs ? `, ours/skopeo ${ratio(ours.ms, skopeoMs)}` : ''}`);
    return { oursMs: round(ours.ms), rawMs: round(raw.ms), skopeoMs: skopeoMs && round(skopeoMs), requests: ours.result.pages, rawRequests: raw.result.pages };
  } finally {
    provider.dispose();
    await agent.close();
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

export const section: BenchSection = {
  name: 'tags10k',
  order: 10,
  async run(ctx): Promise<SectionResult> {
    const t0 = Date.now();
    const sb = await startSandbox({ token: false, manyTags: TAGS });
    let real;
    try {
      ctx.print(`distribution 2.8 sandbox with ${TAGS} tags ready in ${Date.now() - t0} ms (start ${sb.timings.startMs} ms, fill ${sb.timings.fillMs} ms)`);
      ctx.print(`-- real registry (${REPO}: all tags in one response) --`);
      const target: Target = { url: sb.oci.url, caFile: sb.oci.caFile, certDir: path.join(sb.dir, 'skopeo-certs'), username: sb.oci.username, password: sb.oci.password };
      const before = sb.oci.accessLog().length;
      real = await measure(target, ctx.runs, (l) => ctx.print(l), { skopeo: true });
      const tagRequests = sb.oci.accessLog().slice(before).filter((r) => r.path.startsWith(`/v2/${REPO}/tags/list`));
      ctx.print(`registry served ${tagRequests.length} tags/list requests for ${ctx.runs * 3 + 3} listings`);
    } finally {
      await sb.stop();
    }

    ctx.print(`-- spec-following server (test/servers/ociServer.ts: ${PAGE} tags per response) --`);
    const user = { username: 'bench', password: 'bench-password' };
    const srv = await startOciServer({ auth: { type: 'basic', ...user }, tagPaging: true });
    let paged;
    try {
      const digest = srv.addImage(REPO, 'seed');
      srv.tag(REPO, Array.from({ length: TAGS - 1 }, (_, i) => `1.${Math.floor(i / 100)}.${i % 100}`), digest);
      // skopeo sends no `n`, so this server would answer it in one response: not comparable, left out.
      paged = await measure({ url: srv.url, ...user }, ctx.runs, (l) => ctx.print(l), { skopeo: false });
    } finally {
      await srv.close();
    }

    const targets = [
      { name: 'ours ≤ 1.2× raw (real registry)', ok: real.oursMs <= 1.2 * real.rawMs, detail: `${ratio(real.oursMs, real.rawMs)}` },
      { name: 'ours faster than skopeo (real registry)', ok: real.skopeoMs !== undefined && real.oursMs < real.skopeoMs, detail: real.skopeoMs ? ratio(real.oursMs, real.skopeoMs) : 'n/a' },
      { name: 'ours ≤ 1.2× raw (100 pages)', ok: paged.oursMs <= 1.2 * paged.rawMs, detail: `${ratio(paged.oursMs, paged.rawMs)}` },
      { name: 'one request per page', ok: real.requests === real.rawRequests && paged.requests === paged.rawRequests, detail: `real ${real.requests}/${real.rawRequests}, paged ${paged.requests}/${paged.rawRequests}` },
    ];
    return { json: { tags10k: { ...real, paged } }, targets };
  },
};
