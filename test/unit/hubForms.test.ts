import * as assert from 'node:assert/strict';
import { parseHubFormRestore } from '../../src/webviews/hubForms';
import { restoreState } from '../../src/webviews/protocol';

describe('Hub form restore state', () => {
  /** What the webview hands back after a reload: the panel's restore state, through JSON and the protocol schema. */
  const roundTrip = (state: unknown) => {
    const parsed = restoreState.safeParse(JSON.parse(JSON.stringify(state)));
    return parsed.success ? parseHubFormRestore(parsed.data) : undefined;
  };

  it('brings back the repository form and the immutable-tag form with their registry and repository', () => {
    assert.deepEqual(roundTrip({ formId: 'hubRepository', registry: 'hub', repository: 'demo/hello' }), { formId: 'hubRepository', registry: 'hub', repository: 'demo/hello' });
    assert.deepEqual(roundTrip({ formId: 'hubImmutableTags', registry: 'Docker Hub', repository: 'acme/api' }), { formId: 'hubImmutableTags', registry: 'Docker Hub', repository: 'acme/api' });
  });

  it('leaves other forms and malformed states alone', () => {
    assert.equal(roundTrip({ formId: 'registry', target: 'hub' }), undefined);
    assert.equal(roundTrip({ formId: 'hubRepository', registry: 'hub' }), undefined);
    assert.equal(roundTrip({ formId: 'hubImmutableTags', registry: '', repository: 'acme/api' }), undefined);
    assert.equal(roundTrip({ formId: 'hubRepository', registry: 'hub', repository: 7 }), undefined);
    assert.equal(parseHubFormRestore(undefined), undefined);
  });
});
