import * as assert from 'node:assert/strict';
import { basicAuthorization } from '../../src/registry/auth/basic';
import { BearerTokenCache } from '../../src/registry/auth/bearer';
import { parseWwwAuthenticate } from '../../src/registry/auth/challenge';
import type { Credentials } from '../../src/registry/context';
import { BadResponseError, CancelledError, UnauthorizedError } from '../../src/registry/errors';
import { HttpTransport } from '../../src/registry/http';
import { OciProvider } from '../../src/registry/oci/provider';
import { redact } from '../../src/registry/redact';
import type { OciServer, OciServerOptions } from '../servers/ociServer';
import { closeOciServers, disposeOciProviders, ociProvider, ociServer } from '../support/ociSetup';

const disposables: Array<{ dispose(): void }> = [];
const server = ociServer;

/** A clock shared by a server and a provider, moved by hand. */
function clock(start = Date.UTC(2024, 0, 1)) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const provider = (reg: OciServer, creds?: Credentials, now?: () => number, tokenRealms?: string[]): OciProvider => ociProvider(reg, { creds, now, tokenRealms });

afterEach(async () => {
  for (const d of disposables.splice(0)) d.dispose();
  disposeOciProviders();
  await closeOciServers();
});

describe('WWW-Authenticate parsing', () => {
  it('reads a Bearer challenge with quoted parameters', () => {
    const [c] = parseWwwAuthenticate('Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:team/app:pull,push"');
    assert.equal(c.scheme, 'bearer');
    assert.deepEqual(c.params, { realm: 'https://auth.example.com/token', service: 'registry.example.com', scope: 'repository:team/app:pull,push' });
  });

  it('splits several challenges and keeps unquoted values and escapes', () => {
    const cs = parseWwwAuthenticate('Basic realm="Registry \\"Realm\\"", Bearer realm=https://a/token, service=svc ,error="insufficient_scope"');
    assert.deepEqual(
      cs.map((c) => c.scheme),
      ['basic', 'bearer'],
    );
    assert.equal(cs[0].params.realm, 'Registry "Realm"');
    assert.deepEqual(cs[1].params, { realm: 'https://a/token', service: 'svc', error: 'insufficient_scope' });
  });

  it('returns nothing for an absent or empty header', () => {
    assert.deepEqual(parseWwwAuthenticate(undefined), []);
    assert.deepEqual(parseWwwAuthenticate('  '), []);
  });
});

describe('Basic auth', () => {
  it('builds the header and registers it for redaction', () => {
    const h = basicAuthorization('alice', 'pa55-word');
    assert.equal(h, 'Basic ' + Buffer.from('alice:pa55-word').toString('base64'));
    assert.ok(!redact(`sent ${h} and pa55-word`).includes('pa55-word'));
    assert.ok(!redact(`x ${h.slice(6)} y`).includes(h.slice(6)));
  });

  it('answers the Basic challenge with the configured credentials, then sends them up front', async () => {
    const reg = await server({ auth: { type: 'basic', username: 'alice', password: 'right-pw' } });
    reg.addImage('team/app', ['1.0', '2.0']);
    const p = provider(reg, { username: 'alice', secret: 'right-pw' });
    assert.deepEqual((await p.listTags('team/app', undefined)).items.map((t) => t.name), ['1.0', '2.0']);
    await p.listTags('team/app', undefined);
    await p.listRepositories(undefined, undefined);
    assert.equal(reg.count({ status: 401 }), 1, 'only the very first request meets the challenge');
    assert.ok(reg.requests.slice(1).every((r) => r.auth === 'basic'));
  });

  it('wrong credentials → UnauthorizedError without the secret in the message', async () => {
    const reg = await server({ auth: { type: 'basic', username: 'alice', password: 'right-pw' } });
    reg.addImage('team/app', '1.0');
    const err = await provider(reg, { username: 'alice', secret: 'wrong-pw-123' })
      .listTags('team/app', undefined)
      .then(
        () => assert.fail('resolved'),
        (e: unknown) => e,
      );
    assert.ok(err instanceof UnauthorizedError);
    assert.match(err.message, /rejected the credentials/);
    assert.ok(!JSON.stringify({ m: err.message, r: err.request }).includes('wrong-pw-123'));
    assert.equal(reg.count(), 2, 'one anonymous try, one with credentials, no loop');
  });

  it('no credentials → UnauthorizedError asking to sign in', async () => {
    const reg = await server({ auth: { type: 'basic', username: 'alice', password: 'right-pw' } });
    reg.addImage('team/app', '1.0');
    await assert.rejects(provider(reg).listTags('team/app', undefined), (e: unknown) => e instanceof UnauthorizedError && /sign in/.test(e.message));
  });
});

describe('Bearer token auth', () => {
  const bearer = (extra: Partial<Extract<NonNullable<OciServerOptions['auth']>, { type: 'bearer' }>> = {}): OciServerOptions['auth'] => ({
    type: 'bearer',
    username: 'alice',
    password: 'tok-pw-secret',
    ...extra,
  });

  it('answers the challenge and makes one token request per scope across many calls', async () => {
    const reg = await server({ auth: bearer() });
    reg.addImage('team/app', ['1.0', '2.0']);
    reg.addImage('team/web', ['a', 'b']);
    const p = provider(reg, { username: 'alice', secret: 'tok-pw-secret' });
    for (let i = 0; i < 3; i++) {
      await p.listRepositories(undefined, undefined);
      await p.listTags('team/app', undefined);
      await p.listTags('team/web', undefined);
      await p.getTagDetails('team/app', '1.0');
      await p.getTagDetails('team/web', 'a');
    }
    const scopes = reg.requests.filter((r) => r.kind === 'token').map((r) => new URLSearchParams(r.query).get('scope'));
    assert.deepEqual(scopes.sort(), ['registry:catalog:*', 'repository:team/app:pull', 'repository:team/web:pull']);
    assert.equal(reg.count({ status: 401 }), 1, 'later scopes are requested up front, without another 401');
    // The token request carries the credentials as Basic auth; the registry only ever sees the token.
    assert.ok(reg.requests.filter((r) => r.kind === 'token').every((r) => r.auth === 'basic'));
    assert.ok(reg.requests.filter((r) => r.kind !== 'token' && r.status !== 401).every((r) => r.auth === 'bearer'));
    const service = new URLSearchParams(reg.requests.find((r) => r.kind === 'token')!.query).get('service');
    assert.equal(service, 'oci-test-registry');
  });

  it('concurrent callers share one in-flight token request', async () => {
    const reg = await server({ auth: bearer() });
    reg.addImage('team/app', Array.from({ length: 12 }, (_, i) => `t${i}`));
    const p = provider(reg, { username: 'alice', secret: 'tok-pw-secret' });
    await p.ping();
    await Promise.all(Array.from({ length: 12 }, (_, i) => p.getTagDetails('team/app', `t${i}`)));
    assert.equal(reg.count({ kind: 'token' }), 2, 'one for /v2/, one for repository:team/app:pull');
  });

  it('renews a token when it expires (expires_in), not before', async () => {
    const c = clock();
    const reg = await server({ auth: bearer({ tokenLifetimeSeconds: 300 }), now: c.now });
    reg.addImage('team/app', '1.0');
    const p = provider(reg, { username: 'alice', secret: 'tok-pw-secret' }, c.now);
    await p.listTags('team/app', undefined);
    c.advance(200_000);
    await p.listTags('team/app', undefined);
    assert.equal(reg.count('token'), 1);
    c.advance(101_000);
    await p.listTags('team/app', undefined);
    assert.equal(reg.count('token'), 2);
    assert.equal(reg.count({ status: 401 }), 1, 'renewed before use, not after a 401');
  });

  it('assumes 60 s when expires_in is absent, and accepts a token given only as access_token', async () => {
    const c = clock();
    const reg = await server({ auth: bearer({ tokenLifetimeSeconds: null, tokenField: 'access_token' }), now: c.now });
    reg.addImage('team/app', '1.0');
    const p = provider(reg, { username: 'alice', secret: 'tok-pw-secret' }, c.now);
    await p.listTags('team/app', undefined);
    c.advance(40_000);
    await p.listTags('team/app', undefined);
    assert.equal(reg.count('token'), 1);
    c.advance(21_000);
    await p.listTags('team/app', undefined);
    assert.equal(reg.count('token'), 2);
  });

  it('accepts a token given only as token', async () => {
    const reg = await server({ auth: bearer({ tokenField: 'token' }) });
    reg.addImage('team/app', '1.0');
    const page = await provider(reg, { username: 'alice', secret: 'tok-pw-secret' }).listTags('team/app', undefined);
    assert.equal(page.items.length, 1);
  });

  it('a token the registry stops accepting is replaced once', async () => {
    const reg = await server({ auth: bearer() });
    reg.addImage('team/app', '1.0');
    const p = provider(reg, { username: 'alice', secret: 'tok-pw-secret' });
    await p.listTags('team/app', undefined);
    reg.revokeTokens();
    await p.listTags('team/app', undefined);
    assert.equal(reg.count('token'), 2);
  });

  it('resetAuth drops cached tokens', async () => {
    const reg = await server({ auth: bearer() });
    reg.addImage('team/app', '1.0');
    const p = provider(reg, { username: 'alice', secret: 'tok-pw-secret' });
    await p.listTags('team/app', undefined);
    p.resetAuth();
    await p.listTags('team/app', undefined);
    assert.equal(reg.count('token'), 2);
  });

  it('gets anonymous tokens without credentials', async () => {
    const reg = await server({ auth: bearer({ anonymousPull: true }) });
    reg.addImage('team/app', '1.0');
    const page = await provider(reg).listTags('team/app', undefined);
    assert.equal(page.items.length, 1);
    const tokenReq = reg.requests.find((r) => r.kind === 'token');
    assert.equal(tokenReq?.auth, 'none');
  });

  it('a 401 after a fresh token → UnauthorizedError (no loop)', async () => {
    const reg = await server({ auth: bearer({ anonymousPull: false }) });
    reg.addImage('team/app', '1.0');
    await assert.rejects(provider(reg).listTags('team/app', undefined), (e: unknown) => e instanceof UnauthorizedError && /freshly issued token/.test(e.message));
    assert.equal(reg.count('token'), 1);
    assert.equal(reg.count('tags'), 2);
  });

  it('rejected credentials at the token service → UnauthorizedError, secret not in the message', async () => {
    const reg = await server({ auth: bearer() });
    reg.addImage('team/app', '1.0');
    const p = provider(reg, { username: 'alice', secret: 'not-the-pw-42' });
    const err = await p.listTags('team/app', undefined).then(
      () => assert.fail('resolved'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof UnauthorizedError);
    assert.match(err.message, /token service .* rejected the credentials/);
    assert.ok(!`${err.message} ${err.request}`.includes('not-the-pw-42'));
    const health = await p.ping();
    assert.equal(health.error?.kind, 'unauthorized');
  });

  it('registers obtained tokens for redaction', async () => {
    const reg = await server({ auth: bearer() });
    reg.addImage('team/app', '1.0');
    await provider(reg, { username: 'alice', secret: 'tok-pw-secret' }).listTags('team/app', undefined);
    const token = reg.requests.find((r) => r.kind === 'tags' && r.auth === 'bearer')!.authorization!.slice(7);
    assert.equal(redact(`value ${token} end`), 'value *** end');
  });

  it('sends credentials to a realm on another origin allowed for the entry, and the token only to the registry', async () => {
    const tokens = await server({ auth: bearer() });
    const reg = await server({ auth: { type: 'bearer', realm: `${tokens.url}/token` } });
    reg.addImage('team/app', '1.0');
    const page = await provider(reg, { username: 'alice', secret: 'tok-pw-secret' }, undefined, [tokens.url]).listTags('team/app', undefined);
    assert.equal(page.items.length, 1);
    assert.equal(tokens.count('token'), 1);
    assert.deepEqual(
      tokens.requests.map((r) => r.auth),
      ['basic'],
    );
    assert.ok(reg.requests.every((r) => r.auth !== 'basic'), 'the registry never sees the password');
  });

  it('drops Authorization when a redirect leaves the origin (blob storage elsewhere)', async () => {
    const storage = await server();
    const reg = await server({ auth: bearer() });
    const digest = reg.addImage('team/app', '1.0');
    // The storage copy of the same repository serves the config blob the registry redirects to.
    storage.addImage('team/app', '1.0');
    assert.equal(storage.digestOf('team/app', '1.0'), digest);
    reg.fault({ kind: 'blob', action: 'redirect', location: storage.url });
    const d = await provider(reg, { username: 'alice', secret: 'tok-pw-secret' }).getTagDetails('team/app', '1.0');
    assert.equal(d.digest, digest);
    assert.ok(d.created);
    assert.equal(storage.count('blob'), 1);
    assert.deepEqual(
      storage.requests.map((r) => r.auth),
      ['none'],
    );
    assert.equal(reg.requests.find((r) => r.kind === 'blob')?.auth, 'bearer', 'the registry itself got the token');
  });

  it('drops Basic credentials on a cross-origin redirect too', async () => {
    const other = await server();
    other.addImage('team/app', '1.0');
    const reg = await server({ auth: { type: 'basic', username: 'alice', password: 'right-pw' } });
    reg.addImage('team/app', '1.0');
    const p = provider(reg, { username: 'alice', secret: 'right-pw' });
    await p.ping();
    reg.fault({ kind: 'tags', action: 'redirect', location: other.url });
    const page = await p.listTags('team/app', undefined);
    assert.equal(page.items.length, 1);
    assert.equal(other.count('tags'), 1);
    assert.equal(other.requests[0].authorization, undefined);
  });
});

describe('BearerTokenCache', () => {
  it('an aborted caller does not cancel the shared token request', async () => {
    const reg = await server({ auth: { type: 'bearer', anonymousPull: true } });
    const transport = new HttpTransport({ timeoutMs: 5000 });
    disposables.push(transport);
    const cache = new BearerTokenCache({ transport, credentials: async () => undefined, registryOrigin: reg.url });
    const realm = { realm: `${reg.url}/token`, service: 'oci-test-registry' };
    const ac = new AbortController();
    const first = cache.token(realm, 'repository:a:pull', ac.signal);
    const second = cache.token(realm, 'repository:a:pull');
    ac.abort();
    await assert.rejects(first, CancelledError);
    const t = await second;
    assert.ok(t.value.startsWith('tok-'));
    assert.equal(reg.count('token'), 1);
    assert.equal((await cache.token(realm, 'repository:a:pull')).fresh, false);
  });

  it('a malformed token response → BadResponseError', async () => {
    const reg = await server({ auth: { type: 'bearer', anonymousPull: true } });
    reg.fault({ kind: 'token', action: 'wrongType', field: 'expires_in', value: 'soon', times: 1 });
    const transport = new HttpTransport({ timeoutMs: 5000 });
    disposables.push(transport);
    const cache = new BearerTokenCache({ transport, credentials: async () => undefined, registryOrigin: reg.url });
    await assert.rejects(cache.token({ realm: `${reg.url}/token`, service: 'oci-test-registry' }, undefined), (e: unknown) => e instanceof BadResponseError && /expires_in: must be a number/.test(e.message));
    reg.fault({ kind: 'token', action: 'malformed', times: 1 });
    await assert.rejects(cache.token({ realm: `${reg.url}/token`, service: 'oci-test-registry' }, undefined), (e: unknown) => e instanceof BadResponseError && /not JSON/.test(e.message));
    assert.equal(cache.size, 0);
    assert.ok((await cache.token({ realm: `${reg.url}/token`, service: 'oci-test-registry' }, undefined)).value);
  });

  it('refuses to send credentials to a plain-http realm of an https registry', async () => {
    const reg = await server({ auth: { type: 'bearer', username: 'a', password: 'b-secret' } });
    const transport = new HttpTransport({ timeoutMs: 5000 });
    disposables.push(transport);
    const cache = new BearerTokenCache({ transport, credentials: async () => ({ username: 'a', secret: 'b-secret' }), registryOrigin: 'https://registry.example.com' });
    await assert.rejects(cache.token({ realm: `${reg.url}/token`, service: 'oci-test-registry' }, undefined), UnauthorizedError);
    assert.equal(reg.count(), 0);
  });
});
