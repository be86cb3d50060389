import * as assert from 'node:assert/strict';
import { silentLogger } from '../../src/registry/context';
import { DockerHubProvider } from '../../src/registry/dockerhub/provider';
import { DockerHubV1Provider } from '../../src/registry/dockerhubV1/provider';
import { hubTransport } from '../../src/registry/dockerhub/transport';
import { basicAuthorization, releaseBasic } from '../../src/registry/auth/basic';
import { HttpTransport } from '../../src/registry/http';
import { forgetSecret, isPinned, isRegistered, pinSecret, redact, registerSecret, unpinSecret } from '../../src/registry/redact';
import { startHubServer } from '../servers/hubServer';
import { startHubV1Server } from '../servers/hubV1Server';
import { startOciServer } from '../servers/ociServer';
import { OciProvider } from '../../src/registry/oci/provider';

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

describe('redact: HTML character references', () => {
  const secret = 'S3cret.pa&ss<wo"rd';
  before(() => registerSecret(secret));
  after(() => forgetSecret(secret));

  /** The secret with every character from `at` on written as a reference built by `ref`. */
  const encoded = (ref: (c: string) => string): string => [...secret].map(ref).join('');

  it('strips a secret echoed with decimal, hexadecimal and named references, in any mix', () => {
    const named: Record<string, string> = { '&': '&amp;', '<': '&lt;', '"': '&quot;', '.': '&period;' };
    const forms = [
      'S3cr&#101;t&#46;pa&amp;ss&lt;wo&quot;rd',
      encoded((c) => `&#${c.codePointAt(0)};`),
      encoded((c) => `&#x${c.codePointAt(0)!.toString(16)};`),
      encoded((c) => `&#X${c.codePointAt(0)!.toString(16).toUpperCase()};`),
      encoded((c) => `&#00${c.codePointAt(0)}`),
      encoded((c) => named[c] ?? c),
      [...secret].map((c, i) => (i % 3 === 0 ? `&#${c.codePointAt(0)};` : i % 3 === 1 ? `&#x${c.codePointAt(0)!.toString(16)};` : (named[c] ?? c))).join(''),
    ];
    for (const form of forms) {
      const out = redact(`<p>invalid password ${form} for alice</p>`);
      assert.equal(out, '<p>invalid password *** for alice</p>', form);
    }
  });

  it('strips a secret percent-encoded by any encoder (every character, some, or mixed with references)', () => {
    const pct = (c: string): string => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');
    for (const form of ['S3cr%65t%2Epa%26ss%3Cwo%22rd', [...secret].map(pct).join(''), 'S3cr&#101;t%2epa&amp;ss%3cwo&quot;rd']) {
      assert.equal(redact(`echo ${form} end`), 'echo *** end', form);
    }
  });

  it('strips the JSON-escaped form written with references too', () => {
    const json = JSON.stringify(secret).slice(1, -1).replace(/"/g, '&quot;').replace(/&(?!quot;)/g, '&amp;');
    assert.equal(redact(`{&quot;detail&quot;:&quot;${json}&quot;}`), '{&quot;detail&quot;:&quot;***&quot;}');
  });

  it('leaves references that do not spell a secret alone', () => {
    const text = 'Tom &amp; Jerry &lt;3 &#169; &#x1F600; &bogus; &#0; &constructor; a&b 100% %41%42 %zz';
    assert.equal(redact(text), text);
  });

  it('stays linear: a long text full of references is redacted quickly', () => {
    const text = '&#65;&amp;&#x42;'.repeat(50_000) + 'S3cr&#101;t&#46;pa&amp;ss&lt;wo&quot;rd';
    const started = process.hrtime.bigint();
    const out = redact(text);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.ok(out.endsWith('***'), out.slice(-40));
    assert.ok(ms < 1000, `${ms} ms`);
  });
});

describe('redact: credentials in use are pinned', () => {
  it('a pinned token survives any number of secrets registered after it; unpinned, it ages out like the rest', () => {
    const oauth = 'oauth-token-in-use-4b1d9e7c';
    pinSecret(oauth);
    try {
      // A robot list of 1,500 tokens, each in all its forms: far more than the bounded list holds.
      for (let i = 0; i < 1500; i++) registerSecret(`robot-token-${i}-${'x'.repeat(20)}`);
      assert.equal(redact(`401: token ${oauth} rejected`), '401: token *** rejected');
      assert.ok(isRegistered(oauth));
      unpinSecret(oauth);
      assert.equal(redact(`echo ${oauth}`), 'echo ***', 'unpinned, it is still on the bounded list');
      for (let i = 0; i < 1500; i++) registerSecret(`robot-token-b${i}-${'x'.repeat(20)}`);
      assert.ok(redact(`echo ${oauth}`).includes(oauth), 'unpinned, it is dropped like any other');
    } finally {
      forgetSecret(oauth);
    }
  });

  it('forgetting a pinned secret (sign-out) removes it at once', () => {
    pinSecret('pinned-then-forgotten-77');
    forgetSecret('pinned-then-forgotten-77');
    assert.ok(!isPinned('pinned-then-forgotten-77'));
    assert.equal(redact('x pinned-then-forgotten-77'), 'x pinned-then-forgotten-77');
  });

  it('registering a secret again moves it to the fresh end of the bounded list', () => {
    const kept = 'refreshed-secret-5c2a';
    registerSecret(kept);
    try {
      // Each batch adds far fewer forms than the list holds; the whole run adds several times as many.
      for (let batch = 0; batch < 40; batch++) {
        for (let i = 0; i < 50; i++) registerSecret(`filler-${batch}-${i}-${'y'.repeat(12)}`);
        assert.equal(redact(`x ${kept}`), 'x ***', `batch ${batch}`);
        registerSecret(kept);
      }
    } finally {
      forgetSecret(kept);
    }
  });

  it('a Basic header in use is pinned until released', () => {
    const secret = 'basic-pinned-secret-31';
    const header = basicAuthorization('dave', secret);
    const encoded = header.slice('Basic '.length);
    for (let i = 0; i < 1500; i++) registerSecret(`robot-token-c${i}-${'z'.repeat(20)}`);
    assert.equal(redact(`${secret} ${encoded}`), '*** ***');
    releaseBasic('dave', secret);
    assert.ok(!isPinned(secret) && !isPinned(encoded));
    forgetSecret(secret);
    forgetSecret(encoded);
  });
});

describe('redact: bearer tokens in use are pinned', () => {
  it('a token the registry issued stays redacted through a flood of other secrets, and is unpinned on sign-out', async () => {
    const reg = await startOciServer({ auth: { type: 'bearer', username: 'alice', password: 'bearer-pw-7731' } });
    reg.addImage('team/app', '1.0');
    const p = new OciProvider({ connection: { id: 'o', kind: 'oci', url: reg.url }, credentials: async () => ({ username: 'alice', secret: 'bearer-pw-7731' }), logger: silentLogger, http: { maxRetries: 0 } });
    try {
      await p.listTags('team/app', undefined);
      const token = reg.requests.map((r) => r.authorization).find((a) => a?.startsWith('Bearer '))!.slice('Bearer '.length);
      for (let i = 0; i < 1500; i++) registerSecret(`robot-token-d${i}-${'w'.repeat(20)}`);
      assert.equal(redact(`rejected ${token}`), 'rejected ***');
      assert.equal(redact('pw bearer-pw-7731'), 'pw ***', 'and the password sent to the realm');
      p.resetAuth();
      assert.equal(isPinned(token), false);
    } finally {
      p.dispose();
      await reg.close();
    }
  });
});
