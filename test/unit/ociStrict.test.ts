import * as assert from 'node:assert/strict';
import { nextLink } from '../../src/registry/distribution/client';
import { redact } from '../../src/registry/redact';
import { MEDIA_TYPES, startOciServer, type OciServer, type OciServerOptions } from '../servers/ociServer';

/**
 * The OCI fake refuses what distribution and its token servers refuse, so a client that gets a request wrong fails
 * here instead of passing; and the small parsers the safety of a delete or a log line rests on.
 */
const servers: OciServer[] = [];
async function server(opts: OciServerOptions = {}): Promise<OciServer> {
  const s = await startOciServer(opts);
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

async function token(reg: OciServer, query: string, authorization?: string): Promise<{ status: number; token?: string }> {
  const res = await fetch(`${reg.url}/token?${query}`, { headers: authorization ? { Authorization: authorization } : {} });
  const body = (await res.json()) as { token?: string };
  return { status: res.status, token: body.token };
}

describe('the OCI fake is as strict as distribution', () => {
  it('a manifest whose media type the Accept header does not name → 404 (no Accept: no manifest)', async () => {
    const reg = await server();
    reg.addImage('team/app', 'oci');
    reg.addImage('team/app', 'docker', { format: 'docker', salt: 'd' });
    const get = async (tag: string, accept?: string) => (await fetch(`${reg.url}/v2/team/app/manifests/${tag}`, { headers: accept ? { Accept: accept } : {} })).status;
    assert.equal(await get('oci'), 404);
    assert.equal(await get('oci', '*/*'), 404);
    assert.equal(await get('oci', MEDIA_TYPES.dockerManifest), 404);
    assert.equal(await get('oci', `${MEDIA_TYPES.dockerManifest}, ${MEDIA_TYPES.ociManifest}`), 200);
    assert.equal(await get('docker'), 404);
    assert.equal(await get('docker', MEDIA_TYPES.ociManifest), 404);
    assert.equal(await get('docker', MEDIA_TYPES.dockerManifest), 200);
    const head = await fetch(`${reg.url}/v2/team/app/manifests/oci`, { method: 'HEAD' });
    assert.equal(head.status, 404);
  });

  it('a token works only at the registry whose realm issued it, for its service', async () => {
    const auth = { type: 'bearer' as const, username: 'alice', password: 'pw-secret' };
    const a = await server({ auth });
    const b = await server({ auth });
    a.addImage('team/app', '1.0');
    b.addImage('team/app', '1.0');
    const t = await token(a, 'service=oci-test-registry&scope=repository:team/app:pull', basic('alice', 'pw-secret'));
    assert.equal(t.status, 200);
    const tags = (reg: OciServer) => fetch(`${reg.url}/v2/team/app/tags/list`, { headers: { Authorization: `Bearer ${t.token!}` } });
    assert.equal((await tags(a)).status, 200);
    assert.equal((await tags(b)).status, 401, 'registry B refuses a token issued by registry A');
  });

  it('/token refuses another or a missing service, and malformed scopes', async () => {
    const reg = await server({ auth: { type: 'bearer', username: 'alice', password: 'pw-secret', anonymousPull: true } });
    const cred = basic('alice', 'pw-secret');
    assert.equal((await token(reg, 'service=other&scope=repository:team/app:pull', cred)).status, 400);
    assert.equal((await token(reg, 'scope=repository:team/app:pull', cred)).status, 400);
    for (const scope of ['team/app:pull', 'repository:team/app', 'repository:Team/App:pull', 'repository:team/app:pull,read', 'registry:catalog:pull', 'repository::pull']) {
      assert.equal((await token(reg, `service=oci-test-registry&scope=${encodeURIComponent(scope)}`, cred)).status, 400, scope);
    }
    assert.equal((await token(reg, 'service=oci-test-registry&scope=repository:team/app:pull,push', cred)).status, 200);
    assert.equal((await token(reg, 'service=oci-test-registry&scope=registry:catalog:*')).status, 200);
  });

  it('/token answers 401 to a non-Basic Authorization instead of treating it as anonymous', async () => {
    const reg = await server({ auth: { type: 'bearer', username: 'alice', password: 'pw-secret', anonymousPull: true } });
    for (const h of ['Bearer abc.def.ghi', 'Token xyz', 'alice:pw-secret']) {
      assert.equal((await token(reg, 'service=oci-test-registry&scope=repository:team/app:pull', h)).status, 401, h);
    }
  });
});

describe('Link header: the rel="next" target, wherever it stands', () => {
  it('picks next among several links, next not first', () => {
    assert.equal(nextLink('</v2/_catalog?last=a&n=2>; rel="prev", </v2/_catalog?last=c&n=2>; rel="next"'), '/v2/_catalog?last=c&n=2');
    assert.equal(nextLink('<https://r/first>; rel="first", <https://r/last>; rel="last", <https://r/next?n=5&last=x>; rel=next'), 'https://r/next?n=5&last=x');
    assert.equal(nextLink('<https://r/a>; title="next page"; rel="prev"'), undefined, 'a link whose rel is not next');
    assert.equal(nextLink('<https://r/a>; rel="last"'), undefined);
    assert.equal(nextLink('<https://r/a>; rel="prev next"'), 'https://r/a');
  });
});

describe('redaction of docker config credentials', () => {
  it('strips the value of an "auth" field (base64 user:password) that was never registered as a secret', () => {
    const value = Buffer.from('config-user:Unregistered-Pa55').toString('base64');
    for (const text of [`{"auths":{"registry.example.com":{"auth":"${value}"}}}`, `auth=${value}`, `"auth": "${value}", "email": "x"`]) {
      const out = redact(text);
      assert.ok(!out.includes(value), out);
      assert.ok(!out.includes(value.slice(0, 12)), out);
    }
  });
});
