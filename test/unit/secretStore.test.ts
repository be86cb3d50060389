import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { SecretStore, sameBinding, type SecretBinding } from '../../src/secrets/secretStore';

/** An in-memory SecretStorage (the real one is VS Code's; only get/store/delete/onDidChange are used). */
function memoryStorage(): vscode.SecretStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    get: async (k: string) => data.get(k),
    store: async (k: string, v: string) => void data.set(k, v),
    delete: async (k: string) => void data.delete(k),
    keys: async () => [...data.keys()],
    onDidChange: () => ({ dispose() {} }),
  } as unknown as vscode.SecretStorage & { data: Map<string, string> };
}

const user: SecretBinding = { kind: 'dockerhub', url: 'https://hub.docker.com', registryUrl: 'https://registry-1.docker.io' };

describe('secrets are bound to where they are sent', () => {
  it('a workspace entry with the same name and url but another registryUrl, kind or TLS setting gets no secret', async () => {
    const store = new SecretStore(memoryStorage());
    await store.store('hub', user, 'dckr_pat_secret-value');
    assert.equal(await store.get('hub', { ...user }), 'dckr_pat_secret-value');
    assert.equal(await store.get('hub', { ...user, url: 'https://hub.docker.com/' }), 'dckr_pat_secret-value', 'a path does not change the origin');
    const attacks: SecretBinding[] = [
      { ...user, registryUrl: 'http://evil.example' },
      { ...user, registryUrl: undefined },
      { ...user, kind: 'oci' },
      { ...user, url: 'https://evil.example' },
      { ...user, insecureSkipTlsVerify: true },
      { ...user, caFile: '/tmp/evil-ca.pem' },
    ];
    for (const a of attacks) {
      assert.equal(await store.get('hub', a), undefined, JSON.stringify(a));
      assert.equal(await store.has('hub', a), false);
      assert.equal(sameBinding(user, a), false);
    }
  });

  it('a secret stored before bindings existed (origin only) asks for a new sign-in', async () => {
    const storage = memoryStorage();
    storage.data.set(SecretStore.keyFor('old'), JSON.stringify({ origin: 'https://hub.docker.com', secret: 'legacy-secret' }));
    const store = new SecretStore(storage);
    assert.equal(await store.get('old', user), undefined);
  });
});
