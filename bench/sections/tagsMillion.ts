/**
 * A repository with 1,000,000 tags sent in one 22 MiB response (as distribution does: it ignores `n`): time until
 * the tree's first page of sorted tags is ready, and the peak memory of the process that listed them.
 */
import { execFile } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { fmtMs, median, type BenchSection, type SectionResult } from '../section';

const run = promisify(execFile);
const TAGS = 1_000_000;

interface ChildResult {
  firstPageMs: number;
  nextPageMs: number;
  held: number;
  error?: string;
  peakRssMb: number;
  heapUsedMb: number;
}

export const section: BenchSection = {
  name: 'tags1m',
  order: 15,
  async run(ctx): Promise<SectionResult> {
    // Versions, builds and pre-releases, shuffled by a fixed step so the sort has work to do.
    const names = Array.from({ length: TAGS }, (_, i) => {
      const j = (i * 7919) % TAGS;
      return j % 3 === 0 ? `1.${j % 997}.${j}` : j % 3 === 1 ? `v2.${j % 31}.${j}-rc${j % 13}` : `build-${j}`;
    });
    const body = Buffer.from(JSON.stringify({ name: 'big/repo', tags: names }));
    const server = http.createServer((req, res) => {
      if (req.url === '/v2/') {
        res.writeHead(200, { 'content-type': 'application/json', 'docker-distribution-api-version': 'registry/2.0' }).end('{}');
      } else if (req.url?.startsWith('/v2/big/repo/tags/list')) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body);
      } else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    ctx.print(`${TAGS.toLocaleString('en')} tags, ${(body.length / 1048576).toFixed(1)} MiB in one response`);
    const results: ChildResult[] = [];
    try {
      const script = path.join(__dirname, '..', 'tagsMillion.ts');
      for (let i = 0; i < Math.max(1, Math.min(ctx.runs, 3)); i++) {
        const { stdout } = await run(process.execPath, ['--import', 'tsx', script, url], { maxBuffer: 1 << 20 });
        const r = JSON.parse(stdout.trim().split('\n').pop()!) as ChildResult;
        results.push(r);
        ctx.print(`run ${i + 1}: first page ${fmtMs(r.firstPageMs)}, next page ${fmtMs(r.nextPageMs)}, ${r.held.toLocaleString('en')} tags held, peak RSS ${r.peakRssMb.toFixed(0)} MB${r.error ? ` (${r.error})` : ''}`);
      }
    } finally {
      server.close();
    }
    const firstPageMs = median(results.map((r) => r.firstPageMs));
    const peakRssMb = Math.max(...results.map((r) => r.peakRssMb));
    return {
      json: { tags1m: { firstPageMs: Math.round(firstPageMs), nextPageMs: Math.round(median(results.map((r) => r.nextPageMs))), held: results[0]!.held, peakRssMb: Math.round(peakRssMb) } },
      targets: [
        { name: 'first page of 1M tags < 1 s', ok: firstPageMs < 1000, detail: fmtMs(firstPageMs) },
        { name: 'peak memory listing 1M tags < 300 MB', ok: peakRssMb < 300, detail: `${peakRssMb.toFixed(0)} MB (peak RSS of the whole process)` },
      ],
    };
  },
};
