import * as assert from 'node:assert/strict';
import * as z from 'zod';
import { describeForm } from '../../src/registry/formSpec';
import type { PanelContext, Reply } from '../../src/webview-ui/context';
import type { FormData, WebviewMessage } from '../../src/webviews/protocol';
import { installFakeDom } from '../support/fakeDom';

// Loaded at run time: the page's code is typed against the DOM, which the test project does not include.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { renderForm } = require('../../src/webview-ui/form') as { renderForm: (app: unknown, data: FormData, ctx: PanelContext) => void };

const schema = z.object({
  username: z.string().min(1).meta({ title: 'User name' }),
  password: z.string().min(1).meta({ title: 'Token or password', secret: true }),
  delivery: z.discriminatedUnion('method', [z.object({ method: z.literal('hipchat'), notificationToken: z.string().meta({ title: 'Notification token', secret: true }) })]),
});

function page(replies: Reply[]) {
  const app = installFakeDom();
  const state = new Map<string, unknown>();
  const posted: WebviewMessage[] = [];
  const sent: WebviewMessage[] = [];
  const ctx: PanelContext = {
    post: (m) => posted.push(m),
    request: async (m) => {
      sent.push(m as WebviewMessage);
      return replies.shift() ?? { ok: true };
    },
    getUiState: <T>(k: string) => state.get(k) as T | undefined,
    setUiState: (k, v) => state.set(k, v),
  };
  const data: FormData = { formId: 'admin', title: 'Set Registry Login', form: describeForm(schema), values: { username: 'acme+ci' }, submitLabel: 'Save' };
  renderForm(app, data, ctx);
  const field = (name: string) => app.find((e) => e.getAttribute('name') === name)!;
  const form = app.find((e) => e.tagName === 'form')!;
  const button = (text: string) => app.find((e) => e.tagName === 'vscode-button' && e.textContent === text)!;
  return { app, state, posted, sent, field, form, button };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));
const everything = (x: unknown) => JSON.stringify(x) ?? '';

describe('form page: secrets typed into a form', () => {
  after(() => {
    delete (globalThis as { document?: unknown }).document;
  });

  it('never go into the page state or the draft the extension keeps, and stay in the field after a refused save', async () => {
    const p = page([{ ok: false, message: '400 Bad Request: invalid credential ***' }, { ok: true, message: 'Saved.' }]);
    const pw = p.field('password');
    assert.equal(pw.getAttribute('type'), 'password');
    pw.value = 'hunter2-secret-pw';
    p.field('delivery.notificationToken').value = 'nt-secret-token';
    p.field('username').value = 'acme+mirror';
    p.form.fire('input');
    const draft = p.state.get('draft');
    assert.match(everything(draft), /acme\+mirror/, 'other input is kept as a draft');
    assert.doesNotMatch(everything(draft), /hunter2|nt-secret/, 'no secret in the page state');
    const dirty = p.posted.filter((m) => m.type === 'dirty');
    assert.ok(dirty.length > 0 && dirty.every((m) => !/hunter2|nt-secret/.test(everything(m))), 'no secret in the draft sent to the extension');

    p.button('Save').fire('click');
    await flush();
    assert.match(everything(p.sent[0]), /hunter2-secret-pw/, 'the save itself carries the secret');
    assert.equal(pw.value, 'hunter2-secret-pw', 'a refused save keeps the input as typed');
    assert.doesNotMatch(everything([...p.state.values()]), /hunter2|nt-secret/);

    p.button('Save').fire('click');
    await flush();
    assert.equal(pw.value, '', 'once saved, the page does not hold the secret either');
    assert.equal(p.field('username').value, 'acme+mirror');
    assert.doesNotMatch(everything([...p.state.values(), ...p.posted]), /hunter2|nt-secret/);
  });
});
