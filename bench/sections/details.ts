/**
 * A page of tag details over TLS with a private CA, as the tree loads it after "Load more": 100 tags of
 * `sample/many` on the real distribution 2.8 from the sandbox (a `caFile`, htpasswd), eight at once. Each tag costs
 * one HEAD; the shared manifest and config are read once. Timed with a fresh provider (new transport: its secure
 * context and connections built during the page) and with a warm one (the next page), while the event loop's
 * longest stall is recorded: the extension host must stay responsive while details load.
 */
import { silentLogger } from '../../src/registry/context';
import { createProvider } from '../../src/registry/kinds';
import type { RegistryProvider } from '../../src/registry/provider';
import { countConnections, loadDetailsPage } from '../../test/support/detailsPage';
import { startSandbox, type RegistryEndpoint } from '../../test/support/sandbox';
import { fmtMs, median, type BenchSection, type SectionResult } from '../section';

const PAGE = 100;

function providerFor(ep: RegistryEndpoint, url: string): RegistryProvider {
  return createProvider({
    connection: { id: 'bench-details', kind: 'oci', url, username: ep.username, caFile: ep.caFile },
    credentials: async () => ({ username: ep.username, secret: ep.password }),
    logger: silentLogger,
  });
}

/**
 * Wall time and CPU time of `fn`, and the longest the event loop was held up meanwhile, from a 1 ms interval: the
 * longest gap between two ticks (`maxStallMs`, which on a busy machine includes time spent waiting for a CPU) and the
 * longest gap during which this process was itself running (`maxTaskMs`: the gap capped at the CPU time it used, so
 * it measures the longest task, not the machine's load).
 */
async function timed(fn: () => Promise<unknown>): Promise<{ ms: number; cpuMs: number; maxStallMs: number; maxTaskMs: number }> {
  let maxStallMs = 0;
  let maxTaskMs = 0;
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  const probe = setInterval(() => {
    const now = performance.now();
    const cpu = process.cpuUsage();
    const gap = now - last - 1;
    maxStallMs = Math.max(maxStallMs, gap);
    maxTaskMs = Math.max(maxTaskMs, Math.min(gap, (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000));
    last = now;
    lastCpu = cpu;
  }, 1);
  const cpu = process.cpuUsage();
  const t = performance.now();
  try {
    await fn();
  } finally {
    clearInterval(probe);
  }
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, maxStallMs, maxTaskMs };
}

export const section: BenchSection = {
  name: 'details',
  order: 15,
  async run(ctx): Promise<SectionResult> {
    const sb = await startSandbox({ token: false, manyTags: 1 + PAGE * (ctx.runs + 2) });
    const counter = await countConnections(sb.oci.host);
    const repo = sb.content.many.repository;
    const tags = sb.content.many.tags;
    type Run = Awaited<ReturnType<typeof timed>>;
    const cold: Run[] = [];
    const warm: Run[] = [];
    let connections = 0;
    try {
      ctx.print(`distribution 2.8 sandbox (TLS, private CA, htpasswd) with ${tags.length} tags of ${repo}`);
      for (let run = 0; run <= ctx.runs; run++) {
        const p = providerFor(sb.oci, `https://${counter.host}`);
        try {
          const before = counter.connections;
          const first = await timed(() => loadDetailsPage(p, repo, tags.slice(run * PAGE, (run + 1) * PAGE)));
          const second = await timed(() => loadDetailsPage(p, repo, tags.slice((run + 1) * PAGE, (run + 2) * PAGE)));
          // The first run warms up the code (JIT) and is not counted.
          if (run === 0) continue;
          cold.push(first);
          warm.push(second);
          connections = Math.max(connections, counter.connections - before);
        } finally {
          p.dispose();
        }
      }
    } finally {
      await counter.close();
      await sb.stop();
    }
    const coldMs = median(cold.map((r) => r.ms));
    const warmMs = median(warm.map((r) => r.ms));
    const all = [...cold, ...warm];
    const stall = Math.max(...all.map((r) => r.maxStallMs));
    const task = Math.max(...all.map((r) => r.maxTaskMs));
    ctx.print(`first page (new transport) ${fmtMs(coldMs).padStart(9)}  (runs ${cold.map((r) => r.ms.toFixed(0)).join(', ')})`);
    ctx.print(`next page (Load more)      ${fmtMs(warmMs).padStart(9)}  (runs ${warm.map((r) => r.ms.toFixed(0)).join(', ')})`);
    ctx.print(`CPU of this process        ${fmtMs(median(cold.map((r) => r.cpuMs))).padStart(9)} first, ${fmtMs(median(warm.map((r) => r.cpuMs)))} next page`);
    ctx.print(`longest task on the loop   ${fmtMs(task).padStart(9)}  (per run ${cold.map((r, i) => `${r.maxTaskMs.toFixed(0)}/${warm[i]!.maxTaskMs.toFixed(0)}`).join(', ')})`);
    ctx.print(`longest loop stall         ${fmtMs(stall).padStart(9)}  (with time waiting for a CPU; per run ${cold.map((r, i) => `${r.maxStallMs.toFixed(0)}/${warm[i]!.maxStallMs.toFixed(0)}`).join(', ')})`);
    ctx.print(`connections for two pages  ${String(connections).padStart(6)}`);
    const round = (n: number): number => Math.round(n * 10) / 10;
    return {
      json: { details: { pageSize: PAGE, firstPageMs: round(coldMs), nextPageMs: round(warmMs), firstPageCpuMs: round(median(cold.map((r) => r.cpuMs))), nextPageCpuMs: round(median(warm.map((r) => r.cpuMs))), maxEventLoopTaskMs: round(task), maxEventLoopStallMs: round(stall), connections } },
      targets: [
        { name: `a page of ${PAGE} details < 1 s (TLS, caFile)`, ok: coldMs < 1000 && warmMs < 1000, detail: `${fmtMs(coldMs)} first, ${fmtMs(warmMs)} next` },
        { name: 'no task over 50 ms on the event loop while details load', ok: task < 50, detail: `${fmtMs(task)} (stalls with CPU waits: ${fmtMs(stall)})` },
      ],
    };
  },
};
