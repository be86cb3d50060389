import * as assert from 'node:assert/strict';
import * as z from 'zod';
import type { FieldChoices } from '../../src/registry/choices';
import { describeForm } from '../../src/registry/formSpec';
import type { ChoicesReply, PanelContext, Reply } from '../../src/webview-ui/context';
import type { FormData, WebviewMessage } from '../../src/webviews/protocol';
import { installFakeDom, type FakeElement } from '../support/fakeDom';

// Loaded at run time: the page's code is typed against the DOM, which the test project does not include.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { renderForm } = require('../../src/webview-ui/form') as { renderForm: (app: unknown, data: FormData, ctx: PanelContext) => void };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { QUERY_DELAY_MS } = require('../../src/webview-ui/combobox') as { QUERY_DELAY_MS: number };

const schema = z.object({
  team: z.string().min(1).meta({ title: 'Team' }),
  owner: z.string().optional().meta({ title: 'Owner' }),
  members: z.array(z.string()).optional().meta({ title: 'Members' }),
});
const load = async () => [];
const choices: FieldChoices = { team: { load }, owner: { load, freeText: true }, members: { load, minQuery: 1 } };

type Answer = (field: string, query: string) => ChoicesReply | Promise<ChoicesReply>;

function page(answer: Answer, values: Record<string, unknown> = {}) {
  const app = installFakeDom();
  const asked: { field: string; query: string }[] = [];
  const sent: WebviewMessage[] = [];
  const state = new Map<string, unknown>();
  const ctx: PanelContext = {
    post: () => undefined,
    request: async (m) => {
      sent.push(m as WebviewMessage);
      return { ok: true } satisfies Reply;
    },
    choices: async (field, query) => {
      asked.push({ field, query });
      return answer(field, query);
    },
    getUiState: <T>(k: string) => state.get(k) as T | undefined,
    setUiState: (k, v) => state.set(k, v),
  };
  const data: FormData = { formId: 'admin', title: 'Team Access', form: describeForm(schema, choices), values, submitLabel: 'Save', strings: { chooseFromList: 'Choose one of the listed values', noChoices: 'No matches' } };
  renderForm(app, data, ctx);
  const input = (name: string) => app.find((e) => e.tagName === 'input' && e.getAttribute('name') === name)!;
  const listOf = (name: string) => app.find((e) => e.getAttribute('id') === `${input(name).getAttribute('id')}-list`)!;
  const options = (name: string) => listOf(name).children as FakeElement[];
  const statusOf = (name: string) => input(name).parentNode!.find((e) => e.getAttribute('aria-live') === 'polite')!;
  const save = () => app.find((e) => e.tagName === 'vscode-button' && e.textContent === 'Save')!.fire('click');
  const key = (name: string, k: string) => input(name).fire('keydown', { key: k });
  return { app, asked, sent, input, listOf, options, statusOf, save, key };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));
const typed = () => new Promise((resolve) => setTimeout(resolve, QUERY_DELAY_MS + 30));
const teams = [
  { value: 't1', label: 'developers', description: 'Developers of acme' },
  { value: 't2', label: '<img src=x onerror=alert(1)>' },
];

describe('form page: fields with choices from the server', () => {
  after(() => {
    delete (globalThis as { document?: unknown }).document;
  });

  it('renders a combobox that lists the choices on focus, labels as text, and picks one with the keyboard', async () => {
    const p = page(() => ({ items: teams }));
    const team = p.input('team');
    assert.equal(team.getAttribute('role'), 'combobox');
    assert.equal(team.getAttribute('aria-controls'), p.listOf('team').getAttribute('id'));
    team.fire('focus');
    await flush();
    assert.deepEqual(p.asked, [{ field: 'team', query: '' }]);
    assert.equal(p.listOf('team').hidden, false);
    assert.equal(team.getAttribute('aria-expanded'), 'true');
    assert.equal(p.options('team').length, 2);
    assert.equal(p.options('team')[1]!.textContent, '<img src=x onerror=alert(1)> t2', 'a registry label is text');
    assert.equal(p.app.find((e) => e.tagName === 'img'), undefined, 'and never markup');

    p.key('team', 'ArrowDown');
    p.key('team', 'ArrowDown');
    assert.equal(team.getAttribute('aria-activedescendant'), p.options('team')[1]!.getAttribute('id'));
    p.key('team', 'ArrowDown');
    assert.equal(p.options('team')[0]!.getAttribute('aria-selected'), 'true', 'wraps around');
    p.key('team', 'Enter');
    assert.equal(team.value, 'developers', 'the input shows the label');
    assert.equal(p.listOf('team').hidden, true);
    p.save();
    await flush();
    assert.deepEqual((p.sent[0] as { values: unknown }).values, { team: 't1' }, 'the save sends the value');
  });

  it('asks once per pause in typing, and shows only the newest answer', async () => {
    const slow: ((r: ChoicesReply) => void)[] = [];
    const p = page((_f, q) => (q === 'de' ? new Promise<ChoicesReply>((r) => slow.push(r)) : { items: [{ value: 'dev-ops', label: 'dev-ops' }] }));
    const team = p.input('team');
    team.fire('focus');
    await flush();
    team.value = 'd';
    team.fire('input');
    team.value = 'de';
    team.fire('input');
    await typed();
    assert.deepEqual(
      p.asked.map((a) => a.query),
      ['', 'de'],
      'one query for the two keystrokes',
    );
    team.value = 'dev';
    team.fire('input');
    await typed();
    slow[0]!({ items: teams });
    await flush();
    assert.deepEqual(
      p.options('team').map((o) => o.textContent),
      ['dev-ops'],
      'the late answer to "de" is dropped',
    );
  });

  it('does not save text that is not one of the choices where free text is not accepted, and keeps it', async () => {
    const p = page(() => ({ items: teams }));
    const team = p.input('team');
    team.value = 'nobody';
    team.fire('input');
    p.save();
    await flush();
    assert.equal(p.sent.length, 0, 'nothing sent');
    assert.match(p.app.find((e) => e.getAttribute('id') === 'field-team-error')!.textContent, /Choose one of the listed values/);
    assert.equal(team.getAttribute('aria-invalid'), 'true');
    assert.equal(team.value, 'nobody', 'the input is kept');

    // Typed exactly as a loaded choice shows: that choice.
    team.fire('focus');
    await flush();
    team.value = 'developers';
    team.fire('blur');
    p.save();
    await flush();
    assert.deepEqual((p.sent[0] as { values: unknown }).values, { team: 't1' });
  });

  it('saves free text where the field accepts it', async () => {
    const p = page(() => ({ items: teams }), { team: 't2' });
    p.input('owner').value = 'someone-new';
    p.input('owner').fire('input');
    p.save();
    await flush();
    assert.deepEqual((p.sent[0] as { values: unknown }).values, { team: 't2', owner: 'someone-new' }, 'a value set from the server counts as chosen');
  });

  it('shows why choices could not be loaded, at the field', async () => {
    const p = page(() => ({ items: [], error: 'Could not load teams: 403 Forbidden' }));
    p.input('team').fire('focus');
    await flush();
    assert.equal(p.statusOf('team').textContent, 'Could not load teams: 403 Forbidden');
    assert.match(p.statusOf('team').className, /field-error/);
    assert.equal(p.listOf('team').hidden, true);
  });

  it('picks several values for a list field (chips with Remove), asking only after the minimum query', async () => {
    const users = [
      { value: 'u1', label: 'alice' },
      { value: 'u2', label: 'bob' },
    ];
    const p = page((_f, q) => ({ items: users.filter((u) => u.label.includes(q)) }), { team: 't1', members: ['u9'] });
    const members = p.input('members');
    members.fire('focus');
    await flush();
    assert.deepEqual(p.asked, [], 'nothing asked below the minimum query');
    members.value = 'a';
    members.fire('input');
    await typed();
    assert.deepEqual(p.asked, [{ field: 'members', query: 'a' }]);
    p.options('members')[0]!.fire('mousedown');
    assert.equal(members.value, '');
    const chips = () => p.app.all().filter((e) => e.getAttribute('class') === 'combo-chip');
    assert.deepEqual(
      chips().map((c) => c.textContent),
      ['u9', 'alice'],
    );
    members.value = 'b';
    members.fire('input');
    await typed();
    p.key('members', 'ArrowDown');
    p.key('members', 'Enter');
    chips()[0]!.find((e) => e.tagName === 'button')!.fire('click');
    p.save();
    await flush();
    assert.deepEqual((p.sent[0] as { values: unknown }).values, { team: 't1', members: ['u1', 'u2'] });
  });
});
