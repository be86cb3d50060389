import * as assert from 'node:assert/strict';
import type { Scope as AdminScope } from '../../src/registry/admin';
import type { Scope as ChoiceScope } from '../../src/registry/choices';

/** Choices loaded from the server for a form field: the declaration shape. */
describe('field choices', () => {
  it('loads for the same scope shape as the admin model (each assignable to the other)', () => {
    const admin: AdminScope = { namespace: 'team', parent: { type: 'team', key: 'devs', scope: { namespace: 'team' } } };
    const choice: ChoiceScope = admin;
    const back: AdminScope = choice;
    assert.deepEqual(back, admin);
  });
});
