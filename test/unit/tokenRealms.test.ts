import * as assert from 'node:assert/strict';
import type { Credentials, ProviderContext } from '../../src/registry/context';
import { UnauthorizedError } from '../../src/registry/errors';
import { hubTokenRealms } from '../../src/registry/dockerhub/registrySide';
import { OciProvider } from '../../src/registry/oci/provider';
import type { OciServer } from '../servers/ociServer';
import { startQuayServer } from '../servers/quayServer';
import { disposeQuayProviders, quayProvider } from '../support/quaySetup';
import { closeOciServers, disposeOciProviders, ociProvider, ociServer } from '../support/ociSetup';

const creds: Credentials = { username: 'alice', secret: 'realm-test-secret' };

afterEach(async () => {
  disposeOciProviders();
  await closeOciServers();
});

/** A registry whose Bearer challenge names a token server on another origin (as distribution's `auth.token`). */
async function splitRegistry(): Promise<{ reg: OciServer; tokens: OciServer }> {
  const tokens = await ociServer({ auth: { type: 'bearer', username: 'alice', password: creds.secret, anonymousPull: true } });
  const reg = await ociServer({ auth: { type: 'bearer', username: 'alice', password: creds.secret, realm: `${tokens.url}/token` } });
  reg.addImage('team/app', ['1.0', '2.0']);
  return { reg, tokens };
}

function provider(reg: OciServer, extra: Partial<ProviderContext> & { tokenRealms?: string[] } = {}): OciProvider {
  const { tokenRealms, ...context } = extra;
  return ociProvider(reg, { creds, tokenRealms, context });
}

const sentCredentials = (s: OciServer) => s.requests.filter((r) => r.authorization?.startsWith('Basic '));

describe('token realms on another origin', () => {
  it('never sends the credentials to a realm on another origin that nobody allowed, and says how to allow it', async () => {
    const { reg, tokens } = await splitRegistry();
    const p = provider(reg);
    await assert.rejects(
      p.listTags('team/app', undefined),
      (e: unknown) => e instanceof UnauthorizedError && e.message.includes(tokens.url) && e.message.includes(reg.url) && /allow/.test(e.message),
    );
    assert.deepEqual(sentCredentials(tokens), [], 'no Basic credentials reached the other origin');
    assert.ok(!JSON.stringify(tokens.requests).includes(Buffer.from(`alice:${creds.secret}`).toString('base64')));
  });

  it('asks the host once, naming both origins, and sends nothing when it says no', async () => {
    const { reg, tokens } = await splitRegistry();
    const asked: Array<{ realmOrigin: string; registryOrigin: string }> = [];
    const p = provider(reg, {
      allowTokenRealm: async (r) => {
        asked.push(r);
        await new Promise((res) => setTimeout(res, 20));
        return false;
      },
    });
    const results = await Promise.allSettled([p.listTags('team/app', undefined), p.listTags('team/app', undefined), p.getTagDetails('team/app', '1.0')]);
    assert.ok(results.every((r) => r.status === 'rejected' && r.reason instanceof UnauthorizedError));
    await assert.rejects(p.listTags('team/app', undefined), UnauthorizedError);
    assert.deepEqual(asked, [{ realmOrigin: tokens.url, registryOrigin: reg.url }], 'one question for concurrent and later requests');
    assert.deepEqual(sentCredentials(tokens), []);
    // Signing in again (reset) asks again.
    p.resetAuth();
    await assert.rejects(p.listTags('team/app', undefined), UnauthorizedError);
    assert.equal(asked.length, 2);
  });

  it('sends the credentials to a realm the host allowed', async () => {
    const { reg, tokens } = await splitRegistry();
    let asked = 0;
    const p = provider(reg, { allowTokenRealm: async () => (asked++, true) });
    assert.deepEqual((await p.listTags('team/app', undefined)).items.map((t) => t.name), ['1.0', '2.0']);
    assert.equal(asked, 1);
    assert.ok(sentCredentials(tokens).length >= 1);
  });

  it('sends the credentials without asking to a realm the connection lists (a provider pair, or a test token server)', async () => {
    const { reg, tokens } = await splitRegistry();
    const p = provider(reg, { tokenRealms: [`${tokens.url}/`], allowTokenRealm: async () => assert.fail('not asked for a listed realm') });
    assert.deepEqual((await p.listTags('team/app', undefined)).items.map((t) => t.name), ['1.0', '2.0']);
    assert.ok(sentCredentials(tokens).length >= 1);
  });

  it('asks nothing for a realm on the registry own origin', async () => {
    const reg = await ociServer({ auth: { type: 'bearer', username: 'alice', password: creds.secret } });
    reg.addImage('team/app', ['1.0']);
    const p = provider(reg, { allowTokenRealm: async () => assert.fail('not asked for the registry own realm') });
    assert.deepEqual((await p.listTags('team/app', undefined)).items.map((t) => t.name), ['1.0']);
  });

  it('asks nothing and sends nothing without credentials: the token is requested anonymously', async () => {
    const { reg, tokens } = await splitRegistry();
    const p = ociProvider(reg, { context: { connection: { id: 'anon', kind: 'oci', url: reg.url }, allowTokenRealm: async () => assert.fail('no question without credentials') } });
    assert.deepEqual((await p.listTags('team/app', undefined)).items.map((t) => t.name), ['1.0', '2.0']);
    assert.deepEqual(sentCredentials(tokens), []);
  });

  it("lets Quay's OAuth token go to Quay's own token service when registryUrl names another origin", async () => {
    const quay = await startQuayServer({ registry: true });
    try {
      const registryUrl = quay.registry!.url;
      assert.notEqual(new URL(registryUrl).origin, new URL(quay.url).origin);
      const { provider } = quayProvider(quay, quay.token, { registryUrl });
      assert.equal((await provider.getTagDetails('acme/app', '1.0')).isIndex, false);
      assert.ok(quay.requests.some((r) => r.path === '/v2/auth'), 'the token came from the Quay API origin');
    } finally {
      disposeQuayProviders();
      await quay.close();
    }
  });

  it("allows Docker Hub's documented pair only for Docker's own registry", () => {
    assert.deepEqual(hubTokenRealms('https://registry-1.docker.io', undefined), ['https://auth.docker.io']);
    assert.deepEqual(hubTokenRealms('https://registry-1.docker.io/', ['https://x.example']), ['https://x.example', 'https://auth.docker.io']);
    assert.deepEqual(hubTokenRealms('https://mirror.example.com', undefined), []);
  });
});
