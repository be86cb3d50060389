import * as assert from 'node:assert/strict';
import { adminFormKey, parseAdminFormRestore, restoreOf, type AdminFormTarget } from '../../src/webviews/adminFormTarget';
import { restoreState } from '../../src/webviews/protocol';

describe('admin form restore state', () => {
  /** What the webview hands back after a reload: the panel's restore state, through JSON and the protocol schema. */
  const roundTrip = (state: unknown) => {
    const parsed = restoreState.safeParse(JSON.parse(JSON.stringify(state)));
    return parsed.success ? parseAdminFormRestore(parsed.data) : undefined;
  };

  it('brings back the operation and the typed reference, nested parents included', () => {
    const edit: AdminFormTarget = { registry: 'hub', op: 'update', ref: { type: 'repository', scope: { namespace: 'demo', repository: 'demo/hello' }, key: 'demo/hello' } };
    assert.deepEqual(roundTrip(restoreOf(edit)), edit);
    const create: AdminFormTarget = {
      registry: 'Docker Hub',
      op: 'create',
      ref: { type: 'groupMember', scope: { parent: { type: 'group', scope: { parent: { type: 'org', scope: {}, key: 'acme' } }, key: 'devs' } } },
    };
    assert.deepEqual(roundTrip(restoreOf(create)), create);
    const action: AdminFormTarget = { registry: 'hub', op: 'action', actionId: 'verifyRule', ref: { type: 'immutableTags', scope: { repository: 'acme/api' } } };
    assert.deepEqual(roundTrip(restoreOf(action)), action);
  });

  it('reads a list or singleton reference saved with an empty key as one without a key', () => {
    const saved = { formId: 'admin', registry: 'hub', op: 'create', ref: JSON.stringify({ type: 'pat', scope: {}, key: '' }) };
    assert.deepEqual(roundTrip(saved), { registry: 'hub', op: 'create', ref: { type: 'pat', scope: {} } });
  });

  it('keys panels by the canonical reference, whatever the key order', () => {
    const a = adminFormKey({ registry: 'hub', op: 'update', ref: { type: 't', scope: { namespace: 'n', repository: 'n/r' }, key: 'k' } });
    const b = adminFormKey({ registry: 'hub', op: 'update', ref: { key: 'k', scope: { repository: 'n/r', namespace: 'n' }, type: 't' } });
    assert.equal(a, b);
  });

  it('leaves other forms and malformed states alone', () => {
    assert.equal(roundTrip({ formId: 'registry', target: 'hub' }), undefined);
    assert.equal(roundTrip({ formId: 'admin', registry: 'hub', op: 'update' }), undefined);
    assert.equal(roundTrip({ formId: 'admin', registry: 'hub', op: 'update', ref: '{not json' }), undefined);
    assert.equal(roundTrip({ formId: 'admin', registry: 'hub', op: 'update', ref: JSON.stringify({ type: 'x', scope: { parent: 7 }, key: '' }) }), undefined);
    assert.equal(roundTrip({ formId: 'admin', registry: 'hub', op: 'action', ref: JSON.stringify({ type: 'x', scope: {}, key: '' }) }), undefined, 'an action needs its id');
    assert.equal(roundTrip({ formId: 'admin', registry: '', op: 'update', ref: JSON.stringify({ type: 'x', scope: {}, key: '' }) }), undefined);
    assert.equal(parseAdminFormRestore(undefined), undefined);
  });
});
