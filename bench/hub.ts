/**
 * Docker Hub: listing every tag of a 5,000-tag repository on the fake Hub (test/servers/hubServer.ts), through the
 * provider (`listTags` following `next`, page_size=100) against a raw undici loop doing the same requests (the
 * floor). Held to: exactly 50 requests, and at most 1.5× the raw loop's time.
 */
import { Agent, request } from 'undici';
import { silentLogger } from '../src/registry/context';
import { DockerHubProvider } from '../src/registry/dockerhub/provider';
import { startHubServer } from '../test/servers/hubServer';
import { fmtMs, ratio, timeMedian, type BenchSection, type SectionResult } from './section';

const TAGS = 5_000;
const PAGE = 100;
const EXPECTED_REQUESTS = TAGS / PAGE;
const MAX_RATIO = 1.5;

async function rawLoop(agent: Agent, base: string): Promise<number> {
  let url: string | undefined = `${base}/v2/namespaces/bench/repositories/many/tags?page_size=${PAGE}`;
  let n = 0;
  while (url) {
    const res = await request(url, { dispatcher: agent, headers: { accept: 'application/json' } });
    const body = (await res.body.json()) as { next?: string | null; results: unknown[] };
    n += body.results.length;
    url = body.next ?? undefined;
  }
  return n;
}

async function viaProvider(p: DockerHubProvider): Promise<number> {
  let cursor: string | undefined;
  let n = 0;
  do {
    const page = await p.listTags('bench/many', cursor, { pageSize: PAGE });
    n += page.items.length;
    cursor = page.next;
  } while (cursor);
  return n;
}

/** `npm run bench` section: 5,000 Hub tags, requests used and time against a raw HTTP loop. */
export async function runHubBench(ctx: { runs: number; print(line: string): void }): Promise<SectionResult> {
  const hub = await startHubServer();
  const agent = new Agent({ connections: 16 });
  const provider = new DockerHubProvider({ connection: { id: 'bench', kind: 'dockerhub', url: hub.url }, credentials: async () => undefined, logger: silentLogger });
  try {
    hub.addNamespace('bench');
    hub.addRepository('bench', 'many');
    hub.addTags('bench', 'many', TAGS);

    hub.clearRequests();
    const listed = await viaProvider(provider);
    const requests = hub.requests.length;
    const sizes = new Set(hub.requests.map((r) => new URLSearchParams(r.query).get('page_size')));
    if (listed !== TAGS) throw new Error(`the provider listed ${listed} tags, expected ${TAGS}`);

    const raw = await timeMedian(ctx.runs, () => rawLoop(agent, hub.url));
    const ours = await timeMedian(ctx.runs, () => viaProvider(provider));
    if (raw.result !== TAGS) throw new Error(`the raw loop listed ${raw.result} tags, expected ${TAGS}`);

    ctx.print(`${TAGS} tags in bench/many, page_size ${PAGE}`);
    ctx.print(`requests (provider): ${requests} (page_size ${[...sizes].join(', ')})`);
    ctx.print(`raw undici loop:  ${fmtMs(raw.ms)}`);
    ctx.print(`provider:         ${fmtMs(ours.ms)}  (${ratio(ours.ms, raw.ms)} of raw)`);
    const r = ours.ms / raw.ms;
    return {
      json: { hubTags5k: { tags: TAGS, pageSize: PAGE, requests, rawMs: raw.ms, providerMs: ours.ms, ratio: r } },
      targets: [
        { name: `Hub: ${TAGS} tags in ${EXPECTED_REQUESTS} requests`, ok: requests === EXPECTED_REQUESTS, detail: `${requests} requests` },
        { name: 'Hub: provider vs raw HTTP loop', ok: r <= MAX_RATIO, detail: `${r.toFixed(2)}× ≤ ${MAX_RATIO}×` },
      ],
    };
  } finally {
    provider.dispose();
    await agent.close();
    await hub.close();
  }
}

export const section: BenchSection = { name: 'hub-tags', order: 30, run: runHubBench };
