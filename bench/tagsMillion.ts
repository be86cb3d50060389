/**
 * Child process of the `tags1m` section: lists a repository whose registry sends 1,000,000 tags in one response,
 * the way the tree does (provider → PagedList sorting the whole list), and prints the time to the first page and
 * the process's peak memory as one JSON line. Run alone so its peak RSS is the listing's, not the server's.
 */
import { silentLogger } from '../src/registry/context';
import { createProvider } from '../src/registry/kinds';
import type { Tag } from '../src/registry/provider';
import { sortTags } from '../src/registry/tagOrder';
import { PagedList } from '../src/tree/pagedList';

async function main(): Promise<void> {
  const url = process.argv[2]!;
  const provider = createProvider({ connection: { id: 'bench', kind: 'oci', url }, credentials: async () => undefined, logger: silentLogger });
  await provider.ping();
  const t0 = performance.now();
  const list = new PagedList<Tag>((c) => provider.listTags('big/repo', c, { pageSize: 100 }), 100, (items, whole) => (whole ? sortTags(items, 'natural') : items));
  await list.ensureLoaded();
  const firstPageMs = performance.now() - t0;
  if (list.items.length !== 100) throw new Error(`first page has ${list.items.length} tags${list.error ? `: ${list.error.message}` : ''}`);
  const t1 = performance.now();
  await list.loadMore();
  const nextPageMs = performance.now() - t1;
  const held = list.all.length;
  provider.dispose();
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ firstPageMs, nextPageMs, held, error: list.error?.message, peakRssMb, heapUsedMb: process.memoryUsage().heapUsed / 1048576 }) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
