import * as assert from 'node:assert/strict';
import { HealthMonitor, summarize } from '../../src/health/healthMonitor';
import { UnauthorizedError, UnreachableError } from '../../src/registry/errors';
import type { HealthResult, RegistryProvider } from '../../src/registry/provider';

/** A provider whose ping answers from a script; scheduling logic is what is under test here, not HTTP. */
function scripted(results: boolean[]) {
  let i = 0;
  const calls: number[] = [];
  const provider = {
    async ping(): Promise<HealthResult> {
      calls.push(Date.now());
      const ok = results[Math.min(i++, results.length - 1)]!;
      return ok ? { ok, latencyMs: 5, checkedAt: Date.now() } : { ok, latencyMs: 5, checkedAt: Date.now(), error: new UnreachableError('connection refused') };
    },
  } as unknown as RegistryProvider;
  return { provider, calls };
}

describe('HealthMonitor', () => {
  it('backs off exponentially for failing registries, capped', () => {
    const m = new HealthMonitor({ intervalMs: 60_000, maxBackoffMs: 600_000 });
    assert.equal(m.nextDelay(0), 60_000);
    assert.equal(m.nextDelay(1), 120_000);
    assert.equal(m.nextDelay(3), 480_000);
    assert.equal(m.nextDelay(4), 600_000);
    assert.equal(m.nextDelay(50), 600_000);
    m.setInterval(0);
    assert.equal(m.nextDelay(0), undefined, 'interval 0 disables polling');
    m.dispose();
  });

  it('checks every registry once at start and summarises reachable/total', async () => {
    const a = scripted([true]);
    const b = scripted([false]);
    const m = new HealthMonitor({ intervalMs: 0 });
    m.setTargets([
      { name: 'a', provider: a.provider },
      { name: 'b', provider: b.provider },
      { name: 'c', unavailableReason: 'Registry kind "quay" is not supported yet' },
    ]);
    await m.checkAll();
    const snap = m.snapshot();
    assert.equal(summarize(snap).text, '1/3');
    assert.equal(snap[1]!.lastError, 'connection refused');
    assert.equal(snap[1]!.consecutiveFailures, 1, 'the start-up check and checkAll share one request');
    assert.match(snap[2]!.lastError!, /not supported/);
    assert.equal(a.calls.length, 1);
    m.dispose();
  });

  it('counts a registry that refuses a caller with no stored credentials as waiting for a sign-in, not failing', async () => {
    const refused = { ping: async (): Promise<HealthResult> => ({ ok: false, latencyMs: 3, checkedAt: Date.now(), error: new UnauthorizedError('sign in') }) } as unknown as RegistryProvider;
    const m = new HealthMonitor({ intervalMs: 0 });
    m.setTargets([
      { name: 'fresh', provider: refused, hasCredentials: async () => false },
      { name: 'rejected', provider: refused, hasCredentials: async () => true },
      { name: 'down', provider: scripted([false]).provider, hasCredentials: async () => false },
    ]);
    await m.checkAll();
    const snap = m.snapshot();
    assert.deepEqual(
      snap.map((h) => [h.name, h.needsSignIn === true]),
      [
        ['fresh', true],
        ['rejected', false],
        ['down', false],
      ],
    );
    const s = summarize(snap);
    assert.equal(s.signIn, 1);
    assert.equal(s.failing, 2, 'rejected credentials and an unreachable registry still fail');
    m.dispose();
  });

  it('builds nothing while targets are set (activation); the start-up check follows on the next task', async () => {
    const a = scripted([true]);
    let reads = 0;
    const m = new HealthMonitor({ intervalMs: 0 });
    m.setTargets([
      {
        name: 'a',
        get provider() {
          reads++;
          return a.provider;
        },
      },
    ]);
    assert.equal(reads, 0, 'setTargets must not touch the provider');
    await new Promise((r) => setTimeout(r, 20));
    assert.ok(reads > 0);
    assert.equal(a.calls.length, 1);
    assert.equal(m.snapshot()[0]!.ok, true);
    m.dispose();
  });

  it('polls on its interval, and not while the window is unfocused', async () => {
    const a = scripted([true]);
    const m = new HealthMonitor({ intervalMs: 40 });
    m.setTargets([{ name: 'a', provider: a.provider }]);
    await new Promise((r) => setTimeout(r, 230));
    const focusedCalls = a.calls.length;
    assert.ok(focusedCalls >= 3, `polled ${focusedCalls} times`);
    m.setFocused(false);
    const before = a.calls.length;
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(a.calls.length, before, 'no checks while unfocused');
    m.setFocused(true);
    await new Promise((r) => setTimeout(r, 30));
    assert.ok(a.calls.length > before, 'catches up on focus');
    m.dispose();
  });

  it('shares one in-flight check between concurrent callers', async () => {
    const a = scripted([true]);
    const m = new HealthMonitor({ intervalMs: 0 });
    m.setTargets([{ name: 'a', provider: a.provider }]);
    await Promise.all([m.check('a'), m.check('a'), m.check('a')]);
    assert.equal(a.calls.length, 1);
    m.dispose();
  });
});
