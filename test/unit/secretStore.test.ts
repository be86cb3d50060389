import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { SecretStore, sameBinding, type SecretBinding } from '../../src/secrets/secretStore';
import { forgetSecret, isPinned, redact, registerSecret } from '../../src/registry/redact';

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

describe('the registry login: a second secret of the same entry', () => {
  const quay: SecretBinding = { kind: 'quay', url: 'https://quay.example.com' };

  it('is stored apart from the API secret, with its user name, and bound like it', async () => {
    const storage = memoryStorage();
    const store = new SecretStore(storage);
    await store.store('q', quay, 'oauth-api-token');
    await store.store('q', quay, 'robot-token-value', 'registry', 'acme+ci');
    assert.equal(await store.get('q', quay), 'oauth-api-token');
    assert.deepEqual(await store.getCredentials('q', quay, 'registry'), { username: 'acme+ci', secret: 'robot-token-value' });
    assert.equal(await store.get('q', quay, 'registry'), 'robot-token-value');
    assert.deepEqual(await store.getCredentials('q', quay, 'api'), { username: undefined, secret: 'oauth-api-token' });
    assert.equal(storage.data.size, 2, 'two keys in SecretStorage, nothing elsewhere');
    for (const a of [{ ...quay, url: 'https://evil.example' }, { ...quay, kind: 'oci' }, { ...quay, insecureSkipTlsVerify: true }, { ...quay, caFile: '/tmp/ca.pem' }] as SecretBinding[]) {
      assert.equal(await store.getCredentials('q', a, 'registry'), undefined, JSON.stringify(a));
      assert.equal(await store.has('q', a, 'registry'), false);
    }
  });

  it('clearing the login keeps the API secret; Sign Out / Remove Registry (delete without purpose) clears both', async () => {
    const storage = memoryStorage();
    const store = new SecretStore(storage);
    await store.store('q', quay, 'oauth-api-token');
    await store.store('q', quay, 'robot-token-value', 'registry', 'acme+ci');
    await store.delete('q', 'registry');
    assert.equal(await store.getCredentials('q', quay, 'registry'), undefined);
    assert.equal(await store.get('q', quay), 'oauth-api-token');
    await store.store('q', quay, 'robot-token-value', 'registry', 'acme+ci');
    await store.delete('q');
    assert.equal(storage.data.size, 0);
  });

  it('both secrets follow a rename only while the binding stays the same', async () => {
    const store = new SecretStore(memoryStorage());
    await store.store('q', quay, 'oauth-api-token');
    await store.store('q', quay, 'robot-token-value', 'registry', 'acme+ci');
    await store.rename({ ...quay, name: 'q' }, { ...quay, name: 'q2' });
    assert.equal(await store.get('q2', quay), 'oauth-api-token');
    assert.deepEqual(await store.getCredentials('q2', quay, 'registry'), { username: 'acme+ci', secret: 'robot-token-value' });
    assert.equal(await store.get('q', quay), undefined);
    const moved = { ...quay, url: 'https://other.example' };
    await store.rename({ ...quay, name: 'q2' }, { ...moved, name: 'q3' });
    assert.equal(await store.get('q3', moved), undefined);
    assert.equal(await store.getCredentials('q3', moved, 'registry'), undefined);
  });

  it('a change of either secret fires onDidChange with the registry name', async () => {
    let fire: ((e: { key: string }) => void) | undefined;
    const storage = { ...memoryStorage(), onDidChange: (l: (e: { key: string }) => void) => ((fire = l), { dispose() {} }) } as unknown as vscode.SecretStorage;
    const store = new SecretStore(storage);
    const seen: string[] = [];
    store.onDidChange((n) => seen.push(n));
    fire!({ key: SecretStore.keyFor('q', 'registry') });
    fire!({ key: SecretStore.keyFor('q') });
    fire!({ key: 'other.extension:q' });
    assert.deepEqual(seen, ['q', 'q']);
  });
});

describe('token services allowed on another origin', () => {
  const reg: SecretBinding = { kind: 'oci', url: 'https://registry.example.com' };

  it('are kept with the binding: a re-declared entry (another origin, kind or TLS setting) has none', async () => {
    const store = new SecretStore(memoryStorage());
    await store.allowTokenRealm('r', reg, 'https://auth.example.com/token?x=1');
    await store.allowTokenRealm('r', reg, 'https://auth.example.com');
    assert.deepEqual(await store.tokenRealms('r', reg), ['https://auth.example.com'], 'origins, once each');
    for (const a of [{ ...reg, url: 'https://evil.example' }, { ...reg, kind: 'dtr' }, { ...reg, insecureSkipTlsVerify: true }, { ...reg, registryUrl: 'https://x.example' }]) {
      assert.deepEqual(await store.tokenRealms('r', a), [], JSON.stringify(a));
    }
  });

  it('refuses what is not an http(s) origin, and an empty list removes them', async () => {
    const storage = memoryStorage();
    const store = new SecretStore(storage);
    await store.setTokenRealms('r', reg, ['javascript:alert(1)', 'file:///etc/passwd', 'not a url', 'https://user:pw@auth.example.com', 'https://ok.example.com/']);
    assert.deepEqual(await store.tokenRealms('r', reg), ['https://ok.example.com']);
    let writes = 0;
    const write = storage.store.bind(storage);
    storage.store = async (k: string, v: string) => (writes++, write(k, v));
    await store.setTokenRealms('r', reg, ['https://ok.example.com']);
    assert.equal(writes, 0, 'an unchanged list is not written (a write resets the sign-in state of the registry)');
    await store.setTokenRealms('r', reg, []);
    assert.deepEqual(await store.tokenRealms('r', reg), []);
    assert.equal(storage.data.size, 0);
  });

  it('stay through Sign Out, go with Remove Registry, and follow a rename only while the binding stays', async () => {
    const storage = memoryStorage();
    const store = new SecretStore(storage);
    await store.store('r', reg, 'pw-secret');
    await store.allowTokenRealm('r', reg, 'https://auth.example.com');
    await store.delete('r');
    assert.deepEqual(await store.tokenRealms('r', reg), ['https://auth.example.com']);
    await store.rename({ ...reg, name: 'r' }, { ...reg, name: 'r2' });
    assert.deepEqual(await store.tokenRealms('r2', reg), ['https://auth.example.com']);
    assert.deepEqual(await store.tokenRealms('r', reg), []);
    await store.rename({ ...reg, name: 'r2' }, { ...reg, name: 'r3', url: 'https://other.example' });
    assert.deepEqual(await store.tokenRealms('r3', { ...reg, url: 'https://other.example' }), []);
    await store.allowTokenRealm('r3', reg, 'https://auth.example.com');
    await store.forget('r3');
    assert.equal(storage.data.size, 0);
  });
});

describe('stored secrets are pinned for redaction while stored', () => {
  it('a stored secret stays redacted however many others are registered, until Sign Out deletes it', async () => {
    const store = new SecretStore(memoryStorage());
    await store.store('quay', { kind: 'quay', url: 'https://quay.example' }, 'quay-oauth-token-in-use-91');
    for (let i = 0; i < 1500; i++) registerSecret(`robot-token-s${i}-${'q'.repeat(20)}`);
    assert.equal(redact('bad quay-oauth-token-in-use-91'), 'bad ***');
    await store.delete('quay');
    assert.equal(isPinned('quay-oauth-token-in-use-91'), false);
    forgetSecret('quay-oauth-token-in-use-91');
  });
});

describe('the editor account an entry signs in with', () => {
  const gh: SecretBinding = { kind: 'ghcr', url: 'https://github.com' };

  it('is kept with the binding and no token: a re-declared entry (another origin or kind) does not use the account', async () => {
    const storage = memoryStorage();
    const store = new SecretStore(storage);
    await store.setAccount('gh', gh, 'github');
    assert.equal(await store.account('gh', gh), 'github');
    assert.equal(await store.account('gh', { ...gh, url: 'https://evil.example' }), undefined);
    assert.equal(await store.account('gh', { ...gh, registryUrl: 'https://evil.example' }), undefined);
    assert.equal(await store.account('gh', { ...gh, kind: 'oci' }), undefined);
    assert.ok(![...storage.data.values()].some((v) => /token|secret/i.test(v)), 'only the choice is stored');
  });

  it('goes with Sign Out, stays when only the registry login is cleared, and follows a rename while the binding stays', async () => {
    const store = new SecretStore(memoryStorage());
    await store.setAccount('gh', gh, 'github');
    await store.delete('gh', 'registry');
    assert.equal(await store.account('gh', gh), 'github');
    await store.rename({ ...gh, name: 'gh' }, { ...gh, name: 'github' });
    assert.equal(await store.account('github', gh), 'github');
    assert.equal(await store.account('gh', gh), undefined);
    await store.delete('github');
    assert.equal(await store.account('github', gh), undefined);
    await store.setAccount('x', gh, 'github');
    await store.rename({ ...gh, name: 'x' }, { ...gh, url: 'https://evil.example', name: 'y' });
    assert.equal(await store.account('y', { ...gh, url: 'https://evil.example' }), undefined);
  });
});
