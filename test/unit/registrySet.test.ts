import * as assert from 'node:assert/strict';
import { RegistrySet } from '../../src/tree/registrySet';

/**
 * Signing in to one registry must not reload the whole tree: a full reload leaves every row (of every registry)
 * without its element until VS Code fetches it again, and a command run from a row then gets no node (the e2e
 * "Copy Pull Reference" spec failed its first try that way, right after signing in to another registry). Only a
 * change of the registry set (settings, trust, rebuilt providers) reloads everything.
 */
describe('the registry set behind the tree', () => {
  const entry = (name: string, url = `https://${name}.example`) => ({ name, kind: 'oci', url });

  it('is unchanged when only credentials changed (same states, same entries)', () => {
    const set = new RegistrySet();
    const states = [{ entry: entry('a') }, { entry: entry('b') }];
    assert.equal(set.changed(states, []), true, 'the first look is a change');
    assert.equal(set.changed(states, []), false, 'a secret stored for b leaves the set as it was');
  });

  it('changes when an entry, the providers (new state objects) or the settings problems change', () => {
    const set = new RegistrySet();
    const a = { entry: entry('a') };
    set.changed([a], []);
    assert.equal(set.changed([a, { entry: entry('b') }], []), true, 'a registry added');
    const b = { entry: entry('b') };
    set.changed([a, b], []);
    assert.equal(set.changed([a, { entry: entry('b') }], []), true, 'providers rebuilt (same entries, new states)');
    const c = { entry: entry('b', 'https://other.example') };
    assert.equal(set.changed([a, c], []), true, 'an entry edited');
    assert.equal(set.changed([a, c], [{ index: 2, message: 'url: required' }]), true, 'a settings problem');
    assert.equal(set.changed([a, c], [{ index: 2, message: 'url: required' }]), false);
  });
});
