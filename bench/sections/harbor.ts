/**
 * Harbor on the fake Harbor (test/servers/harborServer.ts): every repository of a 1,000-repository project and every
 * artifact of a 1,000-artifact repository (`page` + `page_size=100`, `Link: rel="next"`), through the provider against
 * a raw undici loop sending the same requests with the same Basic credentials (the floor). Held to: one request per
 * page, at most 1.2× the raw loop's time.
 */
import { Agent, request } from 'undici';
import { silentLogger } from '../../src/registry/context';
import { HarborProvider } from '../../src/registry/harbor/provider';
import { addArtifact, addProject, addRepository, addUser } from '../../test/servers/harborData';
import { startHarborServer } from '../../test/servers/harborServer';
import { alternateMedians, fmtMs, ratio, type BenchSection, type SectionResult } from '../section';

const COUNT = 1_000;
const PAGE = 100;
const MAX_RATIO = 1.2;
const AUTH = `Basic ${Buffer.from('bench:bench-password').toString('base64')}`;
const ARTIFACT_QUERY = 'with_tag=true&with_scan_overview=true&with_accessory=true&with_label=true&sort=-push_time';

/** Follows `Link: <…>; rel="next"` as a plain client would. */
async function rawList(agent: Agent, base: string, first: string): Promise<number> {
  let next: string | undefined = first;
  let n = 0;
  while (next) {
    const res: Awaited<ReturnType<typeof request>> = await request(`${base}${next}`, { dispatcher: agent, headers: { accept: 'application/json', authorization: AUTH } });
    n += ((await res.body.json()) as unknown[]).length;
    next = /<([^>]+)>;\s*rel="next"/.exec(String(res.headers.link ?? ''))?.[1];
  }
  return n;
}

async function all(list: (cursor: string | undefined) => Promise<{ items: unknown[]; next?: string }>): Promise<number> {
  let cursor: string | undefined;
  let n = 0;
  do {
    const page = await list(cursor);
    n += page.items.length;
    cursor = page.next;
  } while (cursor);
  return n;
}

/** `npm run bench` section: 1,000 Harbor repositories and 1,000 artifacts, requests and time against raw HTTP loops. */
export async function runHarborBench(ctx: { runs: number; print(line: string): void }): Promise<SectionResult> {
  const harbor = await startHarborServer({ noRegistry: true });
  const agent = new Agent({ connections: 16 });
  const provider = new HarborProvider({ connection: { id: 'bench', kind: 'harbor', url: harbor.url, username: 'bench' }, credentials: async () => ({ username: 'bench', secret: 'bench-password' }), logger: silentLogger });
  try {
    const s = harbor.state;
    addUser(s, 'bench', 'bench-password', { bench: 2 });
    addProject(s, 'bench');
    for (let i = 0; i < COUNT - 1; i++) addRepository(s, `bench/repo${String(i).padStart(4, '0')}`);
    addRepository(s, 'bench/many');
    for (let i = 0; i < COUNT; i++) addArtifact(s, 'bench/many', { tags: [`v${i}`] });

    const results: Record<string, unknown> = {};
    const targets: SectionResult['targets'] = [];
    const cases = [
      { key: 'repositories', name: 'repositories (page/page_size, Link)', ours: () => all((c) => provider.listRepositories('bench', c)), raw: () => rawList(agent, harbor.url, `/api/v2.0/projects/bench/repositories?page=1&page_size=${PAGE}`), path: /\/repositories$/ },
      { key: 'artifacts', name: 'artifacts (with tags, scans, accessories, labels)', ours: () => all((c) => provider.listTags('bench/many', c, { pageSize: PAGE })), raw: () => rawList(agent, harbor.url, `/api/v2.0/projects/bench/repositories/many/artifacts?${ARTIFACT_QUERY}&page=1&page_size=${PAGE}`), path: /\/artifacts$/ },
    ];
    for (const c of cases) {
      harbor.requests.length = 0;
      const listed = await c.ours();
      const requests = harbor.requests.filter((r) => c.path.test(r.path)).length;
      if (listed !== COUNT) throw new Error(`the provider listed ${listed} ${c.name}, expected ${COUNT}`);
      const pages = COUNT / PAGE;
      const { a: raw, b: ours } = await alternateMedians(Math.max(10, ctx.runs * 2), c.raw, c.ours);
      if (raw.result !== COUNT) throw new Error(`the raw loop listed ${raw.result} ${c.name}, expected ${COUNT}`);
      const r = ours.ms / raw.ms;
      ctx.print(`${COUNT} Harbor ${c.name}: ${requests} requests for ${pages} pages; raw ${fmtMs(raw.ms)}, provider ${fmtMs(ours.ms)} (${ratio(ours.ms, raw.ms)} of raw)`);
      results[c.key] = { count: COUNT, pages, requests, rawMs: raw.ms, providerMs: ours.ms, ratio: r };
      targets.push({ name: `Harbor: ${COUNT} ${c.key} in ${pages} requests`, ok: requests === pages, detail: `${requests} requests` });
      targets.push({ name: `Harbor: ${c.key}, provider vs raw HTTP loop`, ok: r <= MAX_RATIO, detail: `${r.toFixed(2)}× ≤ ${MAX_RATIO}×` });
    }
    return { json: { harbor1k: results }, targets };
  } finally {
    provider.dispose();
    await agent.close();
    await harbor.close();
  }
}

export const section: BenchSection = { name: 'harbor', order: 45, run: runHarborBench };
