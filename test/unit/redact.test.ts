import * as assert from 'node:assert/strict';
import { forgetSecret, redact, registerSecret } from '../../src/registry/redact';

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
