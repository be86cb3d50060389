import * as assert from 'node:assert/strict';
import { Limiter } from '../../src/tree/limiter';

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

describe('Limiter', () => {
  it('never runs more than max tasks at once', async () => {
    const l = new Limiter(3);
    let running = 0;
    let peak = 0;
    const tasks = Array.from({ length: 20 }, () =>
      l.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 2));
        running--;
      }),
    );
    await Promise.all(tasks);
    assert.equal(peak, 3);
  });

  it('starts queued tasks of a higher priority first, FIFO within a priority', async () => {
    const l = new Limiter(1);
    const g = gate();
    const order: string[] = [];
    const first = l.run(() => g.promise);
    const done = [
      l.run(async () => void order.push('old-1'), 1),
      l.run(async () => void order.push('old-2'), 1),
      l.run(async () => void order.push('new-1'), 2),
      l.run(async () => void order.push('new-2'), 2),
    ];
    g.open();
    await first;
    await Promise.all(done);
    assert.deepEqual(order, ['new-1', 'new-2', 'old-1', 'old-2']);
  });

  it('clear() drops tasks that have not started', async () => {
    const l = new Limiter(1);
    const g = gate();
    const ran: number[] = [];
    const first = l.run(() => g.promise);
    void l.run(async () => void ran.push(1));
    assert.equal(l.pending, 1);
    l.clear();
    g.open();
    await first;
    await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(ran, []);
  });
});
