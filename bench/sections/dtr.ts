/**
 * DTR: listing 1,000 repositories of a namespace and 1,000 tags of a repository on the fake DTR
 * (test/servers/dtrServer.ts) at pageSize 100, through the provider (`listRepositories` / `listTags` following the
 * `X-Next-Page-Start` header) against a raw undici loop doing the same requests (the floor). Held to: requests equal
 * to pages (10 + 10), and at most 1.2× the raw loop's time. Scanning is off on this DTR, so no scan-count requests
 * ride along (with scanning on, each tag page adds one `POST /api/v0/imagescan/scansummary/tags`).
 */
import { Agent, request } from 'undici';
import { silentLogger } from '../../src/registry/context';
import { DtrProvider } from '../../src/registry/dtr/provider';
import type { Cursor, Page } from '../../src/registry/provider';
import { startDtrServer } from '../../test/servers/dtrServer';
import { alternateMedians, fmtMs, ratio, type BenchSection, type SectionResult } from '../section';

const COUNT = 1_000;
const PAGE = 100;
const PAGES = COUNT / PAGE;
const MAX_RATIO = 1.2;

async function rawLoop(agent: Agent, base: string, path: string, auth: string, field?: string): Promise<number> {
  let start: string | undefined;
  let n = 0;
  for (;;) {
    const q = new URLSearchParams({ pageSize: String(PAGE), ...(field === undefined ? { includeManifests: 'true', domain: new URL(base).host } : {}) });
    if (start) q.set('pageStart', start);
    const res = await request(`${base}${path}?${q.toString()}`, { dispatcher: agent, headers: { accept: 'application/json', authorization: auth } });
    const body = (await res.body.json()) as Record<string, unknown[]> | unknown[];
    n += (Array.isArray(body) ? body : body[field!]!).length;
    const next = res.headers['x-next-page-start'];
    if (typeof next !== 'string' || !next || next === start) return n;
    start = next;
  }
}

async function all<T>(fetch: (cursor: Cursor | undefined) => Promise<Page<T>>): Promise<number> {
  let cursor: Cursor | undefined;
  let n = 0;
  do {
    const page = await fetch(cursor);
    n += page.items.length;
    cursor = page.next;
  } while (cursor);
  return n;
}

async function runDtrBench(ctx: { runs: number; print(line: string): void }): Promise<SectionResult> {
  const dtr = await startDtrServer({ features: { scanningEnabled: false } });
  const agent = new Agent({ connections: 16 });
  dtr.addUser('bench', 'bench-password');
  dtr.addOrg('bench', { owners: ['bench'] });
  for (let i = 0; i < COUNT; i++) dtr.addRepository('bench', `repo-${String(i).padStart(4, '0')}`);
  dtr.addTags('bench/repo-0000', COUNT);
  const auth = `Basic ${Buffer.from('bench:bench-password').toString('base64')}`;
  const provider = new DtrProvider({
    connection: { id: 'bench', kind: 'dtr', url: dtr.url, username: 'bench' },
    credentials: () => Promise.resolve({ username: 'bench', secret: 'bench-password' }),
    logger: silentLogger,
  });
  const repos = () => all((c) => provider.listRepositories('bench', c, { pageSize: PAGE }));
  const tags = () => all((c) => provider.listTags('bench/repo-0000', c, { pageSize: PAGE }));
  try {
    // Warm the feature flags (read once a minute for scan badges) before counting.
    await provider.features();
    dtr.clearRequests();
    if ((await repos()) !== COUNT) throw new Error('the provider did not list every repository');
    const repoRequests = dtr.requests.length;
    dtr.clearRequests();
    if ((await tags()) !== COUNT) throw new Error('the provider did not list every tag');
    const tagRequests = dtr.requests.length;
    const sizes = new Set(dtr.requests.map((r) => new URLSearchParams(r.query).get('pageSize')));

    const { a: rawRepos, b: ourRepos } = await alternateMedians(Math.max(30, ctx.runs * 6), () => rawLoop(agent, dtr.url, '/api/v0/repositories/bench', auth, 'repositories'), repos);
    const { a: rawTags, b: ourTags } = await alternateMedians(Math.max(30, ctx.runs * 6), () => rawLoop(agent, dtr.url, '/api/v0/repositories/bench/repo-0000/tags', auth), tags);
    if (rawRepos.result !== COUNT || rawTags.result !== COUNT) throw new Error('the raw loop did not list everything');

    ctx.print(`${COUNT} repositories in bench, ${COUNT} tags in bench/repo-0000, pageSize ${[...sizes].join(', ')}`);
    ctx.print(`requests (provider): repositories ${repoRequests}, tags ${tagRequests} (pages: ${PAGES} + ${PAGES})`);
    ctx.print(`repositories: raw ${fmtMs(rawRepos.ms)}, provider ${fmtMs(ourRepos.ms)} (${ratio(ourRepos.ms, rawRepos.ms)} of raw)`);
    ctx.print(`tags:         raw ${fmtMs(rawTags.ms)}, provider ${fmtMs(ourTags.ms)} (${ratio(ourTags.ms, rawTags.ms)} of raw)`);
    const rRepos = ourRepos.ms / rawRepos.ms;
    const rTags = ourTags.ms / rawTags.ms;
    return {
      json: { dtr1k: { repositories: COUNT, tags: COUNT, pageSize: PAGE, repoRequests, tagRequests, rawReposMs: rawRepos.ms, providerReposMs: ourRepos.ms, rawTagsMs: rawTags.ms, providerTagsMs: ourTags.ms } },
      targets: [
        { name: `DTR: ${COUNT} repositories + ${COUNT} tags in ${PAGES} + ${PAGES} requests`, ok: repoRequests === PAGES && tagRequests === PAGES, detail: `${repoRequests} + ${tagRequests} requests` },
        { name: 'DTR: repositories, provider vs raw HTTP loop', ok: rRepos <= MAX_RATIO, detail: `${rRepos.toFixed(2)}× ≤ ${MAX_RATIO}×` },
        { name: 'DTR: tags, provider vs raw HTTP loop', ok: rTags <= MAX_RATIO, detail: `${rTags.toFixed(2)}× ≤ ${MAX_RATIO}×` },
      ],
    };
  } finally {
    provider.dispose();
    await agent.close();
    await dtr.close();
  }
}

export const section: BenchSection = { name: 'dtr', order: 40, run: runDtrBench };
