import * as assert from 'node:assert/strict';
import { silentLogger } from '../../src/registry/context';
import { DockerHubProvider } from '../../src/registry/dockerhub/provider';
import { DockerHubV1Provider } from '../../src/registry/dockerhubV1/provider';
import { hubTransport } from '../../src/registry/dockerhub/transport';
import { basicAuthorization } from '../../src/registry/auth/basic';
import { HttpTransport } from '../../src/registry/http';
import { forgetSecret, redact, registerSecret } from '../../src/registry/redact';
import { startHubServer } from '../servers/hubServer';
import { startHubV1Server } from '../servers/hubV1Server';

describe('redact', () => {
  it('strips credentials embedded in URLs', () => {
    assert.equal(redact('GET https://alice:s3cr3t@reg.example.com/v2/'), 'GET https://***@reg.example.com/v2/');
  });

  it('strips Authorization values in headers, JSON and messages', () => {
    assert.doesNotMatch(redact('Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.payload.sig'), /eyJ/);
    assert.doesNotMatch(redact('{"authorization":"Basic YWxpY2U6c2VjcmV0"}'), /YWxp/);
    assert.doesNotMatch(redact('sent Bearer abcdefghijklmnop to x'), /abcdefghijklmnop/);
  });

  it('strips token-like JSON fields and query parameters', () => {
    const out = redact('{"token":"tok-123456","access_token":"acc-7890","password":"pw-hunter2"} ?token=qq-999999&x=1');
    for (const s of ['tok-123456', 'acc-7890', 'pw-hunter2', 'qq-999999']) assert.ok(!out.includes(s), out);
    assert.match(out, /x=1/);
  });

  it('strips a registered secret wherever it appears, and its base64 form', () => {
    registerSecret('plain-secret-value');
    const b64 = Buffer.from('plain-secret-value').toString('base64');
    const out = redact(`failed with plain-secret-value in the body and ${b64} in a header`);
    assert.ok(!out.includes('plain-secret-value'));
    assert.ok(!out.includes(b64.replace(/=+$/, '')));
    forgetSecret('plain-secret-value');
    assert.ok(redact('plain-secret-value').includes('plain-secret-value'));
  });

  it('leaves ordinary text alone', () => {
    const text = 'GET https://reg.example.com/v2/team/app/tags/list → 200 (12 ms)';
    assert.equal(redact(text), text);
  });
});

describe('redact: every form of a secret', () => {
  const secret = 'Zx9!pa ss/wörd"+?&=';
  before(() => registerSecret(secret));
  after(() => forgetSecret(secret));

  it('strips base64 and base64url at every byte alignment (inside user:secret of a Basic header)', () => {
    for (const prefix of ['', 'a:', 'ab:', 'abc:', 'alice:']) {
      const b64 = Buffer.from(prefix + secret).toString('base64');
      for (const form of [b64, b64.replace(/\+/g, '-').replace(/\//g, '_')]) {
        const out = redact(`header ${form} end`);
        // At most the few characters that also encode the prefix may stay.
        const core = Buffer.from(secret).toString('base64').slice(4, -4);
        assert.ok(!out.includes(core.slice(0, 8)) || !form.includes(core.slice(0, 8)), `${prefix}: ${out}`);
        assert.ok(out.includes('***'), `${prefix}: ${out}`);
        assert.ok(out.length < form.length, `${prefix}: ${out}`);
      }
    }
  });

  it('strips the URL-encoded and JSON-escaped forms', () => {
    for (const form of [encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), JSON.stringify({ p: secret })]) {
      const out = redact(`body: ${form}`);
      assert.ok(!out.includes('Zx9'), out);
    }
  });

  it('a Hub sign-in token echoed in an error body is stripped', async () => {
    const hub = await startHubServer();
    hub.addUser('demo', 'demo-password-1');
    let token = '';
    const inner = hubTransport(new HttpTransport({ timeoutMs: 5000 }));
    const transport = {
      async send(req: Parameters<typeof inner.send>[0]) {
        const res = await inner.send(req);
        if (req.url.endsWith('/v2/auth/token')) token = (JSON.parse(res.text) as { access_token: string }).access_token;
        return res;
      },
    };
    const p = new DockerHubProvider({ connection: { id: 'h', kind: 'dockerhub', url: hub.url }, credentials: async () => ({ username: 'demo', secret: 'demo-password-1' }), logger: silentLogger }, { registry: null, transport });
    try {
      await p.signIn();
      assert.ok(token.length > 20);
      assert.ok(!redact(`{"detail":"bad token ${token}"}`).includes(token));
    } finally {
      p.dispose();
      await hub.close();
    }
  });

  it('the v1 client registers its Basic header', async () => {
    const v1 = await startHubV1Server();
    v1.addUser('foobar', 'v1-secret-pass');
    const p = new DockerHubV1Provider({ connection: { id: 'v', kind: 'dockerhub-v1', url: v1.url }, credentials: async () => ({ username: 'foobar', secret: 'v1-secret-pass' }), logger: silentLogger });
    try {
      forgetSecret('v1-secret-pass');
      await p.signIn();
      const header = Buffer.from('foobar:v1-secret-pass').toString('base64');
      assert.ok(!redact(`echo ${header}`).includes(header));
    } finally {
      p.dispose();
      await v1.close();
    }
  });
});

describe('redact: Basic headers reused across requests', () => {
  it('registers the secret and its header again once they were forgotten, though the header is reused', () => {
    const secret = 'reused-basic-secret-9f3';
    const first = basicAuthorization('carol', secret);
    assert.equal(basicAuthorization('carol', secret), first);
    forgetSecret(secret);
    forgetSecret(first.slice('Basic '.length));
    assert.ok(redact(`x ${secret} y`).includes(secret), 'forgotten, so not redacted any more');
    assert.equal(basicAuthorization('carol', secret), first);
    assert.ok(!redact(`x ${secret} y`).includes(secret), 'the next use registered the secret again');
    assert.ok(!redact(`echo ${first.slice('Basic '.length)}`).includes(first.slice('Basic '.length)), 'and its base64 form');
  });
});
