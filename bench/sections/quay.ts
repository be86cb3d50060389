/**
 * Red Hat Quay on the fake Quay (test/servers/quayServer.ts): every repository of a 1,000-repository namespace
 * (`next_page`, 100 per page, fixed by Quay) and every tag of a 1,000-tag repository (`page` + `limit=100`,
 * `has_additional`), through the provider against a raw undici loop sending the same requests with the same Bearer
 * token (the floor). Held to: one request per page, at most 1.2× the raw loop's time.
 */
import { Agent, request } from 'undici';
import { silentLogger } from '../../src/registry/context';
import { QuayProvider } from '../../src/registry/quay/provider';
import { startQuayServer } from '../../test/servers/quayServer';
import { alternateMedians, fmtMs, ratio, type BenchSection, type SectionResult } from '../section';

const COUNT = 1_000;
const PAGE = 100;
const MAX_RATIO = 1.2;

async function rawRepositories(agent: Agent, base: string, token: string): Promise<number> {
  let next: string | undefined;
  let n = 0;
  do {
    const q = new URLSearchParams({ namespace: 'bench', last_modified: 'true', popularity: 'true' });
    if (next) q.set('next_page', next);
    const res = await request(`${base}/api/v1/repository?${q.toString()}`, { dispatcher: agent, headers: { accept: 'application/json', authorization: `Bearer ${token}` } });
    const body = (await res.body.json()) as { repositories: unknown[]; next_page?: string };
    n += body.repositories.length;
    next = body.next_page;
  } while (next);
  return n;
}

async function rawTags(agent: Agent, base: string, token: string): Promise<number> {
  let page = 1;
  let n = 0;
  for (;;) {
    const res = await request(`${base}/api/v1/repository/bench/many/tag/?page=${page}&limit=${PAGE}&onlyActiveTags=true`, { dispatcher: agent, headers: { accept: 'application/json', authorization: `Bearer ${token}` } });
    const body = (await res.body.json()) as { tags: unknown[]; has_additional: boolean };
    n += body.tags.length;
    if (!body.has_additional) return n;
    page++;
  }
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

/** `npm run bench` section: 1,000 Quay repositories and 1,000 tags, requests and time against raw HTTP loops. */
export async function runQuayBench(ctx: { runs: number; print(line: string): void }): Promise<SectionResult> {
  const quay = await startQuayServer({ seed: false });
  const agent = new Agent({ connections: 16 });
  const provider = new QuayProvider({ connection: { id: 'bench', kind: 'quay', url: quay.url }, credentials: async (purpose) => (purpose === 'registry' ? undefined : { secret: quay.token }), logger: silentLogger });
  try {
    quay.addOrg('bench', ['alice']);
    for (let i = 0; i < COUNT - 1; i++) quay.addRepository('bench', `repo${String(i).padStart(4, '0')}`);
    quay.addRepository('bench', 'many');
    quay.addTags('bench/many', COUNT);

    const results: Record<string, unknown> = {};
    const targets: SectionResult['targets'] = [];
    const cases = [
      { name: 'repositories (next_page)', ours: () => all((c) => provider.listRepositories('bench', c)), raw: () => rawRepositories(agent, quay.url, quay.token), path: /^\/api\/v1\/repository$/ },
      { name: 'tags (page/limit)', ours: () => all((c) => provider.listTags('bench/many', c, { pageSize: PAGE })), raw: () => rawTags(agent, quay.url, quay.token), path: /\/tag\/$/ },
    ];
    for (const c of cases) {
      quay.clearRequests();
      const listed = await c.ours();
      const requests = quay.requests.filter((r) => c.path.test(r.path)).length;
      if (listed !== COUNT) throw new Error(`the provider listed ${listed} ${c.name}, expected ${COUNT}`);
      const pages = COUNT / PAGE;
      const { a: raw, b: ours } = await alternateMedians(Math.max(30, ctx.runs * 6), c.raw, c.ours);
      if (raw.result !== COUNT) throw new Error(`the raw loop listed ${raw.result} ${c.name}, expected ${COUNT}`);
      const r = ours.ms / raw.ms;
      ctx.print(`${COUNT} ${c.name}: ${requests} requests for ${pages} pages; raw ${fmtMs(raw.ms)}, provider ${fmtMs(ours.ms)} (${ratio(ours.ms, raw.ms)} of raw)`);
      results[c.name.startsWith('repositories') ? 'repositories' : 'tags'] = { count: COUNT, pages, requests, rawMs: raw.ms, providerMs: ours.ms, ratio: r };
      targets.push({ name: `Quay: ${COUNT} ${c.name} in ${pages} requests`, ok: requests === pages, detail: `${requests} requests` });
      targets.push({ name: `Quay: ${c.name}, provider vs raw HTTP loop`, ok: r <= MAX_RATIO, detail: `${r.toFixed(2)}× ≤ ${MAX_RATIO}×` });
    }
    return { json: { quay1k: results }, targets };
  } finally {
    provider.dispose();
    await agent.close();
    await quay.close();
  }
}

export const section: BenchSection = { name: 'quay', order: 40, run: runQuayBench };
