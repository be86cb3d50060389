import * as assert from 'node:assert/strict';
import { describeForm } from '../../src/registry/formSpec';
import { PLAIN_HTTP_WARNING, isPlainHttp, urlField } from '../../src/registry/formFields';
import * as z from 'zod';
import { pollMirroringForm, pushMirroringForm, webhookForm } from '../../src/registry/dtr/admin/forms';
import { notificationForm } from '../../src/registry/quay/forms';

/** The `url` field of one delivery method of Quay's notification form. */
function quayUrl(method: string): z.ZodType {
  const option = notificationForm.shape.delivery.options.find((o) => o.shape.method.value === method);
  return (option!.shape as Record<string, z.ZodType>).url!;
}

const hostile = [
  'javascript:alert(1)',
  'JavaScript:alert(document.cookie)//https://x.example',
  'data:text/html,<script>alert(1)</script>',
  'file:///etc/passwd',
  'ftp://files.example.com',
  'vbscript:msgbox(1)',
  'https:hooks.example.com',
  'https:/hooks.example.com',
  'hooks.example.com/path',
  'not a url',
  '//hooks.example.com',
  'https://user:pw@hooks.example.com',
  '',
  '   ',
];

describe('the shared URL form field', () => {
  it('accepts only https URLs by default', () => {
    const f = urlField();
    assert.equal(f.parse(' https://hooks.example.com/a?b=c '), 'https://hooks.example.com/a?b=c');
    assert.equal(f.safeParse('http://hooks.example.com').success, false);
    for (const v of hostile) assert.equal(f.safeParse(v).success, false, v);
  });

  it('accepts http only when allowed, and then its help says plain http is unencrypted', () => {
    const f = urlField({ allowHttp: true, description: 'Where events are sent.' });
    assert.equal(f.parse('http://hooks.internal:8080/x'), 'http://hooks.internal:8080/x');
    for (const v of hostile) assert.equal(f.safeParse(v).success, false, v);
    const described = describeForm(z.object({ endpoint: f.meta({ title: 'Endpoint URL' }) })).fields[0]!;
    assert.equal(described.title, 'Endpoint URL');
    assert.equal(described.description, `Where events are sent. ${PLAIN_HTTP_WARNING}`);
    assert.match(PLAIN_HTTP_WARNING, /unencrypted/);
    assert.equal(describeForm(z.object({ u: urlField() })).fields[0]!.description, undefined, 'https-only fields need no warning');
  });

  it('names the problem: the scheme refused, or credentials in the URL', () => {
    const r = urlField().safeParse('javascript:alert(1)');
    assert.ok(!r.success);
    assert.match(r.error.issues[0]!.message, /https:\/\/.*javascript: is not accepted/);
    const ftp = urlField({ allowHttp: true }).safeParse('ftp://nowhere');
    assert.ok(!ftp.success);
    assert.match(ftp.error.issues[0]!.message, /http\(s\) URL.*ftp: is not accepted/);
    const c = urlField().safeParse('https://u:p@x.example');
    assert.ok(!c.success);
    assert.match(c.error.issues[0]!.message, /credentials/);
    assert.equal(isPlainHttp(' http://x.example'), true);
    assert.equal(isPlainHttp('https://x.example'), false);
  });

  it('is what every provider URL field uses: DTR webhooks and mirrors, Quay webhook and Slack notifications', () => {
    const fields: Array<[string, z.ZodType, boolean]> = [
      ['DTR webhook endpoint', webhookForm.shape.endpoint, true],
      ['DTR poll mirror remote', pollMirroringForm.shape.remoteHost, true],
      ['DTR push mirror remote', pushMirroringForm.shape.remoteHost, true],
      ['Quay webhook', quayUrl('webhook'), true],
      ['Quay Slack webhook', quayUrl('slack'), false],
    ];
    for (const [what, f, http] of fields) {
      for (const v of hostile) assert.equal(f.safeParse(v).success, false, `${what}: ${v}`);
      assert.equal(f.safeParse('https://hooks.example.com/x').success, true, what);
      assert.equal(f.safeParse('http://hooks.example.com/x').success, http, `${what}: plain http`);
      if (http) assert.ok(describeForm(z.object({ f })).fields[0]!.description?.includes(PLAIN_HTTP_WARNING), `${what} warns about plain http`);
    }
  });
});
