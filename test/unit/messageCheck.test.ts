import * as assert from 'node:assert/strict';
import { parseAdminFormRestore } from '../../src/webviews/adminFormTarget';
import { parseRestoreState, parseWebviewMessage, shapeProblem, WEBVIEW_MESSAGE_LIMITS } from '../../src/webviews/messageCheck';

function nested(depth: number, leaf: unknown = 'x'): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

describe('webview message checks (plain Node, hostile input)', () => {
  it('accepts the messages a page sends', () => {
    for (const m of [
      { type: 'ready' },
      { type: 'copy', text: 'sha256:abc', what: 'digest' },
      { type: 'save', requestId: 'r1', values: { name: 'x', rules: [{ field: 'tag', values: ['a', 'b'] }], delivery: { method: 'webhook', url: 'https://e.example' } } },
      { type: 'dirty', dirty: true, values: { name: 'x' } },
      { type: 'export', requestId: 'r2', format: 'csv', filter: { search: '', severities: ['high'], fixableOnly: false } },
    ]) {
      const r = parseWebviewMessage(m);
      assert.ok(r.ok, JSON.stringify(m));
    }
  });

  it('refuses wrong types and unknown kinds', () => {
    for (const m of [null, undefined, 42, 'ready', [], [{ type: 'ready' }], { type: 'nope' }, { type: 'save', values: {} }, { type: 'save', requestId: 7, values: {} }, { type: 'copy', text: 5 }, { type: 'dirty', dirty: 'yes' }, { type: 'openLink', url: { href: 'x' } }, { type: 'selectPlatform', platform: '' }]) {
      const r = parseWebviewMessage(m);
      assert.ok(!r.ok, JSON.stringify(m));
      assert.ok(r.reason.length > 0);
    }
  });

  it('refuses a 20,000-deep value cleanly, without a RangeError', () => {
    const r = parseWebviewMessage({ type: 'save', requestId: 'r1', values: { x: nested(20_000) } });
    assert.ok(!r.ok);
    assert.match(r.reason, /deeper/);
    assert.ok(!parseWebviewMessage({ type: 'dirty', dirty: true, values: nested(WEBVIEW_MESSAGE_LIMITS.depth) as Record<string, unknown> }).ok);
  });

  it('refuses huge messages: long text, many values, many keys', () => {
    assert.ok(!parseWebviewMessage({ type: 'save', requestId: 'r1', values: { x: 'a'.repeat(2_000_000) } }).ok);
    assert.ok(!parseWebviewMessage({ type: 'save', requestId: 'r1', values: { x: Array.from({ length: 100_000 }, () => 1) } }).ok);
    assert.ok(!parseWebviewMessage({ type: 'save', requestId: 'r1', values: Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i])) }).ok);
    assert.ok(!parseWebviewMessage({ type: 'copy', text: 'a'.repeat(20_001) }).ok, 'the schema bounds a copy too');
  });

  it('refuses what is not plain data', () => {
    assert.match(shapeProblem({ type: 'ready', x: new Map() }, WEBVIEW_MESSAGE_LIMITS) ?? '', /plain data/);
    assert.match(shapeProblem({ type: 'ready', x: () => 1 }, WEBVIEW_MESSAGE_LIMITS) ?? '', /function/);
    assert.match(shapeProblem({ type: 'ready', x: 1n }, WEBVIEW_MESSAGE_LIMITS) ?? '', /bigint/);
  });

  it('a 20,000-deep restore state is refused cleanly, in the state and in a typed reference', () => {
    assert.equal(parseRestoreState({ restore: nested(20_000) }), undefined);
    assert.equal(parseRestoreState(nested(20_000)), undefined);
    assert.equal(parseRestoreState({ restore: { formId: 'admin', ref: 'x'.repeat(200_000) } }), undefined);
    assert.deepEqual(parseRestoreState({ restore: { registryName: 'r', repository: 'a/b', tag: 't' } }), { registryName: 'r', repository: 'a/b', tag: 't' });
    const n = 20_000;
    const deepRef = '{"type":"t","key":"k","scope":{"parent":'.repeat(n) + '{"type":"t","scope":{},"key":"k"}' + '}}'.repeat(n);
    assert.equal(parseAdminFormRestore({ formId: 'admin', registry: 'r', op: 'update', ref: deepRef }), undefined);
    const m = 500;
    const within = '{"type":"t","key":"k","scope":{"parent":'.repeat(m) + '{"type":"t","scope":{},"key":"k"}' + '}}'.repeat(m);
    assert.equal(parseAdminFormRestore({ formId: 'admin', registry: 'r', op: 'update', ref: within }), undefined, 'deeper than any model nests');
    assert.ok(parseAdminFormRestore({ formId: 'admin', registry: 'r', op: 'update', ref: JSON.stringify({ type: 'member', scope: { parent: { type: 'team', scope: { namespace: 'acme' }, key: 'devs' } }, key: 'alice' }) }));
  });
});
