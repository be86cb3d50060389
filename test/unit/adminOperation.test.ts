import * as assert from 'node:assert/strict';
import * as z from 'zod';
import { actionsFor, resolveOperation } from '../../src/admin/operation';
import { runOperation, type AdminPort } from '../../src/admin/pipeline';
import { defineAction, defineCore, defineResource, type AdminModel, type Confirmation } from '../../src/registry/admin';
import { done, whole } from '../../src/registry/adminKit';

interface Token {
  id: string;
  label: string;
  active: boolean;
}

const calls: unknown[][] = [];
const form = z.object({ label: z.string().trim().min(1) });

const model: AdminModel = {
  groups: [],
  types: [
    defineResource<Token>()({
      type: 'token',
      title: 'Tokens',
      itemTitle: 'token',
      icon: 'key',
      placement: { under: 'registry' },
      shape: 'list',
      key: (t) => t.id,
      view: (t) => ({ label: t.label }),
      list: async () => whole([]),
      get: async (ref) => ({ id: ref.key, label: `read ${ref.key}`, active: true }),
      create: {
        form: { schema: form, verify: async (scope, v) => (calls.push(['verify create', scope, v]), { ok: true, summary: '' }) },
        run: async (scope, v) => (calls.push(['create', scope, v]), done('made')),
      },
      remove: { confirm: async (t, ref) => ({ message: `Revoke ${t.label} (${ref.key})?`, button: 'Revoke' }), run: async () => done('gone') },
      actions: [defineAction<Token>()({ id: 'off', title: 'Deactivate', when: (t) => t.active, run: async (ref) => done(ref.key) })],
    }),
    defineResource<{ on: boolean }>()({
      type: 'scanning',
      title: 'Scanning',
      itemTitle: 'scan settings',
      icon: 'shield',
      placement: { under: 'repository' },
      shape: 'singleton',
      view: (s) => ({ label: String(s.on) }),
      get: async () => ({ on: true }),
      update: {
        form: { schema: z.object({ on: z.boolean() }), verify: async (ref, v) => (calls.push(['verify update', ref, v]), { ok: true, summary: '' }) },
        values: async () => ({ on: true }),
        run: async (ref, v) => (calls.push(['update', ref, v]), done('saved', 'item')),
      },
    }),
    defineCore({ type: 'tag', shape: 'core', actions: [defineAction<import('../../src/registry/admin').ResourceRef>()({ id: 'scan', title: 'Scan', when: (r) => r.key !== 'old', run: async (r) => done(`scanned ${r.key}`) })] }),
  ],
};

const port = (asked: Confirmation[]): AdminPort => ({
  confirm: async (c) => (asked.push(c), true),
  progress: (_s, _t, task) => task(new AbortController().signal),
  log: () => undefined,
  refresh: () => undefined,
  showOutcome: async () => undefined,
});

describe('admin operations resolved from a model', () => {
  beforeEach(() => (calls.length = 0));

  it('gives create its scope and a singleton update its key-less reference, with values parsed once', async () => {
    await runOperation(resolveOperation(model, 'create', { type: 'token', scope: {} }), { label: '  ci ' }, port([]));
    assert.deepEqual(calls, [
      ['verify create', {}, { label: 'ci' }],
      ['create', {}, { label: 'ci' }],
    ]);
    calls.length = 0;
    const scope = { namespace: 'acme', repository: 'acme/app' };
    await runOperation(resolveOperation(model, 'update', { type: 'scanning', scope, key: '' }), { on: false }, port([]));
    assert.deepEqual(calls, [
      ['verify update', { type: 'scanning', scope }, { on: false }],
      ['update', { type: 'scanning', scope }, { on: false }],
    ]);
  });

  it('confirms a delete with the item the caller has, or reads it again from the reference', async () => {
    const ref = { type: 'token', scope: {}, key: 't1' };
    const asked: Confirmation[] = [];
    await runOperation(resolveOperation(model, 'remove', ref, undefined, { id: 't1', label: 'laptop', active: true }), undefined, port(asked));
    await runOperation(resolveOperation(model, 'remove', ref), undefined, port(asked));
    assert.deepEqual(asked.map((c) => c.message), ['Revoke laptop (t1)?', 'Revoke read t1 (t1)?']);
    assert.throws(() => resolveOperation(model, 'remove', { type: 'token', scope: {} }), /offers no such operation/);
  });

  it('offers actions by their when on the item, core nodes by their reference', () => {
    assert.deepEqual(actionsFor(model, { type: 'token', scope: {}, key: 't1' }, { id: 't1', label: 'x', active: false }).map((a) => a.id), []);
    assert.deepEqual(actionsFor(model, { type: 'tag', scope: { repository: 'a/b', tag: 'v1' }, key: 'v1' }, undefined).map((a) => a.id), ['scan']);
    assert.deepEqual(actionsFor(model, { type: 'tag', scope: { repository: 'a/b', tag: 'old' }, key: 'old' }, undefined).map((a) => a.id), []);
  });
});
