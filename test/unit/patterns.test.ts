import * as assert from 'node:assert/strict';
import { CancelledError } from '../../src/registry/errors';
import { filterByPattern, matchPattern, MAX_PATTERN_SUBJECTS, PatternError, stopPatternWorker } from '../../src/registry/patterns';

describe('patterns (regular expressions evaluated off the calling thread)', () => {
  after(() => stopPatternWorker());

  it('says which names match, and filters by matching or not matching', async () => {
    assert.deepEqual(await matchPattern('^v[0-9]+', ['v1', 'dev', 'v22-rc']), [true, false, true]);
    assert.deepEqual(await filterByPattern(['v1', 'dev'], (x) => x, '^v', false), ['dev']);
    assert.deepEqual(await filterByPattern(['v1', 'dev'], (x) => x, undefined), ['v1', 'dev']);
  });

  it('stops a catastrophic pattern at the deadline while the event loop keeps running, then works again', async () => {
    const tags = Array.from({ length: 3 }, () => 'a'.repeat(27) + 'b');
    let ticks = 0;
    const probe = setInterval(() => ticks++, 20);
    const started = Date.now();
    try {
      await assert.rejects(matchPattern('^(a+)+$', tags), (e: unknown) => {
        assert.ok(e instanceof PatternError);
        assert.equal(e.reason, 'timeout');
        assert.match(e.message, /took too long \(over 1000 ms\); simplify it/);
        return true;
      });
    } finally {
      clearInterval(probe);
    }
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 2500, `stopped after ${elapsed} ms`);
    // The probe fires every 20 ms: a blocked thread would have let it tick once or not at all.
    assert.ok(ticks >= 20, `the event loop ticked ${ticks} times during ${elapsed} ms`);
    assert.deepEqual(await matchPattern('^a+b$', tags), [true, true, true]);
  });

  it('reports an invalid pattern and refuses oversized input', async () => {
    await assert.rejects(matchPattern('(', ['x']), (e: unknown) => e instanceof PatternError && e.reason === 'invalid' && /not a valid regular expression/.test(e.message));
    await assert.rejects(matchPattern('x'.repeat(2000), ['x']), (e: unknown) => e instanceof PatternError && e.reason === 'tooLarge');
    await assert.rejects(matchPattern('x', Array.from({ length: MAX_PATTERN_SUBJECTS + 1 }, () => 'x')), (e: unknown) => e instanceof PatternError && e.reason === 'tooLarge');
    await assert.rejects(matchPattern('x', ['x'.repeat(10_000)]), (e: unknown) => e instanceof PatternError && e.reason === 'tooLarge');
  });

  it('stops on cancel', async () => {
    const ac = new AbortController();
    const p = matchPattern('^(a+)+$', ['a'.repeat(30) + 'b'], { signal: ac.signal, timeoutMs: 10_000 });
    setTimeout(() => ac.abort(), 100);
    await assert.rejects(p, CancelledError);
    assert.deepEqual(await matchPattern('a', ['a']), [true]);
  });
});
