import * as assert from 'node:assert/strict';
import * as z from 'zod';
import type { FormDecl, Scope as AdminScope } from '../../src/registry/admin';
import type { Choice, FieldChoices, Scope as ChoiceScope } from '../../src/registry/choices';
import { ForbiddenError } from '../../src/registry/errors';
import { describeForm } from '../../src/registry/formSpec';
import { registerSecret } from '../../src/registry/redact';
import { boundChoices, choiceFieldTitle, FormChoices, type ChoicesResult, type ChoicesTexts } from '../../src/webviews/formChoices';
import { formHostMessage } from '../../src/webviews/formProtocol';
import { hostMessageProblem, parseWebviewMessage } from '../../src/webviews/messageCheck';

/** A small model's form: team access (one team, picked from the server's), members (several users), rules. */
const schema = z.object({
  team: z.string().min(1).meta({ title: 'Team' }),
  members: z.array(z.string()).optional().meta({ title: 'Members' }),
  rules: z.array(z.object({ values: z.array(z.string()).meta({ title: 'Values' }), field: z.enum(['tag', 'label']) })).optional(),
  role: z.enum(['read', 'write']).meta({ title: 'Role' }),
  token: z.string().optional().meta({ title: 'Token', secret: true }),
});

const teams: Choice[] = [
  { value: 't1', label: 'developers', description: 'Developers of acme' },
  { value: 't2', label: 'ops' },
];

function declaration(load: FieldChoices[string]['load'], extra: Partial<FieldChoices[string]> = {}): FormDecl {
  return {
    schema,
    choices: {
      team: { load, title: 'teams', ...extra },
      members: { load, freeText: true, minQuery: 2 },
      'rules.values': { load, freeText: true },
      role: { load },
      token: { load },
    },
  };
}

const texts: ChoicesTexts = { couldNotLoad: 'Could not load {0}: {1}', choicesOf: 'the choices of “{0}”', noChoices: 'this field offers no choices' };
const scope: AdminScope = { namespace: 'acme', parent: { type: 'team', key: 'devs', scope: { namespace: 'acme' } } };

function handler(form: FormDecl) {
  const posted: ChoicesResult[] = [];
  const h = new FormChoices({ choices: () => form.choices, scope, fieldTitle: (k) => choiceFieldTitle(describeForm(form.schema, form.choices).fields, k) }, texts);
  let n = 0;
  const ask = (field: string, query: string) => h.handle({ type: 'choices', requestId: `c${++n}`, field, query }, (m) => posted.push(m));
  return { h, posted, ask };
}

describe('field choices', () => {
  it('loads for the same scope shape as the admin model (each assignable to the other)', () => {
    const admin: AdminScope = scope;
    const choice: ChoiceScope = admin;
    const back: AdminScope = choice;
    assert.deepEqual(back, admin);
  });

  describe('form descriptions', () => {
    it('mark the text and list fields that declare choices, by path, with free text and the minimum query', () => {
      const { fields } = describeForm(schema, declaration(async () => []).choices);
      const by = (name: string) => fields.find((f) => f.name === name)!;
      assert.deepEqual(by('team').choices, { key: 'team', freeText: false });
      assert.deepEqual(by('members').choices, { key: 'members', freeText: true, minQuery: 2 });
      assert.deepEqual(by('rules').fields!.find((f) => f.name === 'values')!.choices, { key: 'rules.values', freeText: true });
      assert.equal(by('role').choices, undefined, 'an enum keeps its own options');
      assert.equal(by('token').choices, undefined, 'a secret is never a combobox');
      assert.equal(describeForm(schema).fields.find((f) => f.name === 'team')!.choices, undefined, 'no declaration, no choices');
    });

    it('pass the page check, choices included', () => {
      const form = describeForm(schema, declaration(async () => []).choices);
      assert.equal(hostMessageProblem({ type: 'init', panel: 'form', data: { formId: 'admin', title: 'Add Team', form, values: {} }, restore: {} }), undefined);
    });
  });

  describe('the messages', () => {
    it('a choices request is checked: field and query bounded, request id required', () => {
      assert.ok(parseWebviewMessage({ type: 'choices', requestId: 'c1', field: 'team', query: 'dev' }).ok);
      assert.ok(!parseWebviewMessage({ type: 'choices', requestId: 'c1', field: 'team', query: 'x'.repeat(201) }).ok, 'query too long');
      assert.ok(!parseWebviewMessage({ type: 'choices', requestId: 'c1', field: '', query: '' }).ok, 'no field');
      assert.ok(!parseWebviewMessage({ type: 'choices', field: 'team', query: '' }).ok, 'no request id');
      assert.ok(!parseWebviewMessage({ type: 'choices', requestId: 'c1', field: 'team', query: 7 }).ok, 'query not text');
    });

    it('the form page checks with its own part of the protocol: form messages only', () => {
      const form = describeForm(schema, declaration(async () => []).choices);
      assert.ok(formHostMessage.safeParse({ type: 'init', panel: 'form', data: { formId: 'admin', title: 'Add Team', form, values: {} }, restore: {} }).success);
      assert.ok(formHostMessage.safeParse({ type: 'choicesResult', requestId: 'c1', field: 'team', items: teams, error: 'x' }).success);
      assert.ok(formHostMessage.safeParse({ type: 'reply', requestId: 'r1', ok: true }).success);
      assert.ok(!formHostMessage.safeParse({ type: 'init', panel: 'scan', data: {}, restore: {} }).success);
    });

    it('a result the page would refuse is caught before it is sent (too many items, an empty value)', () => {
      const many = Array.from({ length: 201 }, (_, i) => ({ value: `v${i}`, label: `v${i}` }));
      assert.match(hostMessageProblem({ type: 'choicesResult', requestId: 'c1', field: 'team', items: many }) ?? '', /items/);
      assert.ok(hostMessageProblem({ type: 'choicesResult', requestId: 'c1', field: 'team', items: [{ value: '', label: 'x' }] }));
      assert.equal(hostMessageProblem({ type: 'choicesResult', requestId: 'c1', field: 'team', items: teams, more: true }), undefined);
    });
  });

  describe('the form panel’s handler', () => {
    it('loads the declared choices for the operation’s scope and the trimmed query', async () => {
      const calls: { scope: AdminScope; query: string }[] = [];
      const { posted, ask } = handler(declaration(async (s, q) => (calls.push({ scope: s, query: q }), teams)));
      await ask('team', '  dev ');
      assert.deepEqual(calls, [{ scope, query: 'dev' }]);
      assert.deepEqual(posted, [{ type: 'choicesResult', requestId: 'c1', field: 'team', items: teams }]);
    });

    it('cancels a query still loading when a newer one for the same field arrives; its result is never sent', async () => {
      const signals: AbortSignal[] = [];
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const { posted, ask } = handler(
        declaration(async (_s, q, signal) => {
          signals.push(signal!);
          if (q === 'd') await gate;
          return [{ value: q, label: q }];
        }),
      );
      const first = ask('team', 'd');
      await ask('members', 'other field');
      await ask('team', 'de');
      assert.equal(signals[0]!.aborted, true, 'the stale query is cancelled');
      assert.equal(signals[1]!.aborted, false, 'another field’s query is not');
      release();
      await first;
      assert.deepEqual(
        posted.map((m) => [m.requestId, m.items.map((i) => i.value)]),
        [
          ['c2', ['other field']],
          ['c3', ['de']],
        ],
      );
    });

    it('bounds what it sends: 200 choices at most (more: true), malformed and repeated entries dropped, long labels cut', async () => {
      const raw = [
        { value: 'dup', label: 'first' },
        { value: 'dup', label: 'again' },
        { value: 42, label: 'not text' },
        null,
        { value: '', label: 'empty' },
        { value: 'long', label: 'L'.repeat(5000), description: 'D'.repeat(5000) },
        ...Array.from({ length: 300 }, (_, i) => ({ value: `u${i}`, label: `user ${i}` })),
      ];
      const { posted, ask } = handler(declaration(async () => raw as Choice[]));
      await ask('team', '');
      const [r] = posted;
      assert.equal(r!.items.length, 200);
      assert.equal(r!.more, true);
      assert.deepEqual(r!.items[0], { value: 'dup', label: 'first' });
      assert.equal(r!.items[1]!.label.length, 500);
      assert.equal(r!.items[1]!.description!.length, 1000);
      assert.equal(hostMessageProblem(r!), undefined, 'the page accepts it');
      assert.deepEqual(boundChoices(teams), { items: teams }, 'a short list is sent whole, without `more`');
    });

    it('says what could not be loaded and why (redacted), never an empty list in its place', async () => {
      registerSecret('s3cr3t-token-value');
      const { posted, ask } = handler(
        declaration(async () => {
          throw new ForbiddenError('403 Forbidden for s3cr3t-token-value');
        }),
      );
      await ask('team', 'x');
      assert.equal(posted.length, 1);
      assert.deepEqual(posted[0]!.items, []);
      assert.match(posted[0]!.error ?? '', /^Could not load teams: .*403 Forbidden/);
      assert.doesNotMatch(posted[0]!.error ?? '', /s3cr3t/);
      await ask('members', 'xy');
      assert.match(posted[1]!.error ?? '', /^Could not load the choices of “Members”: /, 'without a title, the field’s');
    });

    it('answers a field without choices with an error, and loads nothing below the minimum query', async () => {
      let calls = 0;
      const { posted, ask } = handler(declaration(async () => (calls++, teams)));
      await ask('role', '');
      await ask('nothing', '');
      await ask('members', ' a ');
      assert.equal(calls, 0);
      assert.match(posted[0]!.error ?? '', /Could not load .*role.*no choices/, 'declared, but an enum: not loaded');
      assert.match(posted[1]!.error ?? '', /no choices/);
      assert.deepEqual(posted[2], { type: 'choicesResult', requestId: 'c3', field: 'members', items: [] });
    });

    it('a load that returns something other than a list is an error, not a crash', async () => {
      const { posted, ask } = handler(declaration(async () => ({ teams }) as unknown as Choice[]));
      await ask('team', '');
      assert.match(posted[0]!.error ?? '', /Could not load teams: .*not a list/);
    });

    it('closing the form cancels what is loading and answers nothing more', async () => {
      const signals: AbortSignal[] = [];
      const { h, posted, ask } = handler(
        declaration(
          (_s, _q, signal) =>
            new Promise((_resolve, reject) => {
              signals.push(signal!);
              signal!.addEventListener('abort', () => reject(new Error('aborted')));
            }),
        ),
      );
      const pending = ask('team', 'dev');
      h.dispose();
      await pending;
      await ask('team', 'dev');
      assert.equal(signals.length, 1);
      assert.equal(signals[0]!.aborted, true);
      assert.deepEqual(posted, []);
    });
  });
});
