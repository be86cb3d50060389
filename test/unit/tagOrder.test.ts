import * as assert from 'node:assert/strict';
import { compareTagNames, sortTags } from '../../src/registry/tagOrder';

const names = (ts: { name: string }[]) => ts.map((t) => t.name);

describe('tag order', () => {
  it('natural: latest first, numbers compared as numbers', () => {
    const sorted = sortTags(['1.10', 'latest', '1.9', '1.2.3', '2.0', '1.9.1', 'alpine'].map((name) => ({ name })), 'natural');
    assert.deepEqual(names(sorted), ['latest', '1.2.3', '1.9', '1.9.1', '1.10', '2.0', 'alpine']);
  });

  it('natural: a pre-release sorts before its release, a leading v is ignored', () => {
    assert.ok(compareTagNames('1.0.0-rc1', '1.0.0') < 0);
    assert.ok(compareTagNames('1.0.0', '1.0.0-rc1') > 0);
    assert.ok(compareTagNames('v1.2', '1.10') < 0);
    assert.ok(compareTagNames('tag-9', 'tag-10') < 0);
  });

  it('newest: dated tags newest first, undated after with the highest version first', () => {
    const sorted = sortTags(
      [
        { name: '1.0', created: '2024-01-01T00:00:00Z' },
        { name: '1.1', lastPushed: '2025-06-01T00:00:00Z' },
        { name: '0.9' },
        { name: '0.10' },
        { name: 'latest' },
      ],
      'newest',
    );
    assert.deepEqual(names(sorted), ['1.1', '1.0', 'latest', '0.10', '0.9']);
  });

  it('does not modify its input', () => {
    const input = [{ name: 'b' }, { name: 'a' }];
    sortTags(input, 'natural');
    assert.deepEqual(names(input), ['b', 'a']);
  });
});

describe('tag order at scale', () => {
  it('sorts 200,000 tags reading each name a bounded number of times (each key computed once, not per comparison)', () => {
    // How long it takes is the benchmark's to measure (`npm run bench`: 1,000,000 tags); here, that the work per tag
    // does not grow with the list: comparing names afresh on every comparison reads each name ~2·log2(n) ≈ 35 times.
    let reads = 0;
    const tags = Array.from({ length: 200_000 }, (_, i) => {
      const j = (i * 7919) % 200_000;
      const name = j % 3 === 0 ? `1.${j % 97}.${j}` : j % 3 === 1 ? `v2.${j % 31}.${j}-rc${j % 13}` : `build-${j}`;
      return {
        get name() {
          reads++;
          return name;
        },
      };
    });
    const sorted = sortTags(tags, 'natural');
    assert.ok(reads <= 2 * tags.length, `${reads} reads of a name for ${tags.length} tags`);
    assert.equal(sorted.length, tags.length);
    for (let i = 1; i < sorted.length; i += 997) assert.ok(compareTagNames(sorted[i - 1]!.name, sorted[i]!.name) <= 0);
  });

  it('keeps the order rules with precomputed keys', () => {
    const sorted = sortTags(['1.0.0', '1.0.0-rc1', '01', '1', 'V1.1', 'a.b', 'a1', 'A1', 'latest', '1.0.0-rc10', '1.0.0-rc2', '1.0.0a'].map((name) => ({ name })), 'natural');
    assert.deepEqual(names(sorted), ['latest', '01', '1', '1.0.0-rc1', '1.0.0-rc2', '1.0.0-rc10', '1.0.0', '1.0.0a', 'V1.1', 'A1', 'a1', 'a.b']);
  });
});
