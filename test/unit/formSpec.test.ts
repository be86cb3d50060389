import * as assert from 'node:assert/strict';
import * as z from 'zod';
import { coerceFormValues, describeForm, fieldErrors } from '../../src/registry/formSpec';

/** Form descriptions from zod 4 schemas and `.meta()`: what the webview renders without seeing the schema. */
describe('form descriptions', () => {
  const policy = z.object({
    name: z.string().min(1).meta({ title: 'Name', placeholder: 'nightly' }),
    enabled: z.boolean().default(true).meta({ title: 'Enabled' }),
    keep: z.number().int().min(1).optional().meta({ title: 'Keep' }),
    rules: z
      .array(
        z.object({
          field: z.enum(['tag', 'label']).meta({ title: 'Field', labels: { tag: 'Tag name', label: 'Label' } }),
          operator: z.enum(['eq', 'matches']).meta({ title: 'Operator' }),
          values: z.array(z.string().min(1)).min(1, 'Give at least one value').meta({ title: 'Values' }),
        }),
      )
      .meta({ title: 'Rules', addLabel: 'Add Rule', itemTitle: 'Rule' }),
    scopes: z.array(z.enum(['pull', 'push'])).optional().meta({ title: 'Scopes' }),
    notify: z
      .discriminatedUnion('method', [
        z.object({ method: z.literal('email').meta({ title: 'E-mail' }), address: z.string().email().meta({ title: 'Address' }) }),
        z.object({ method: z.literal('webhook').meta({ title: 'Webhook' }), url: z.string().url().meta({ title: 'URL' }), secret: z.string().optional().meta({ title: 'Secret', secret: true }) }),
      ])
      .meta({ title: 'Notify by' }),
  });

  it('describes scalars, enums with labels, lists of objects, multi-choice lists and discriminated unions', () => {
    const { fields } = describeForm(policy);
    assert.deepEqual(fields.map((f) => [f.name, f.kind, f.required]), [
      ['name', 'string', true],
      ['enabled', 'boolean', false],
      ['keep', 'number', false],
      ['rules', 'objectList', true],
      ['scopes', 'multiEnum', false],
      ['notify', 'union', true],
    ]);
    assert.equal(fields[0]!.placeholder, 'nightly');
    assert.equal(fields[1]!.defaultValue, true);
    const rules = fields[3]!;
    assert.equal(rules.addLabel, 'Add Rule');
    assert.equal(rules.itemTitle, 'Rule');
    assert.deepEqual(rules.fields!.map((f) => [f.name, f.kind]), [['field', 'enum'], ['operator', 'enum'], ['values', 'stringList']]);
    assert.deepEqual(rules.fields![0]!.options, [{ value: 'tag', label: 'Tag name' }, { value: 'label', label: 'Label' }]);
    const notify = fields[5]!;
    assert.equal(notify.discriminator, 'method');
    assert.deepEqual(notify.variants!.map((v) => [v.value, v.label, v.fields.map((f) => f.name)]), [['email', 'E-mail', ['address']], ['webhook', 'Webhook', ['url', 'secret']]]);
    assert.equal(notify.variants![1]!.fields[1]!.secret, true);
    // Plain JSON: what crosses to the webview.
    assert.deepEqual(JSON.parse(JSON.stringify(fields)), fields);
  });

  it('coerces nested input and reports errors with paths into lists', () => {
    const form = describeForm(policy);
    const v = coerceFormValues(form, {
      name: ' p ',
      enabled: 'true',
      keep: '3',
      rules: [{ field: 'tag', operator: 'matches', values: 'v1\n\n v2 ' }, { field: 'label', operator: 'eq', values: '' }],
      scopes: ['push'],
      notify: { method: 'webhook', url: 'https://hooks.example.com/x', address: 'left over' },
    });
    assert.deepEqual(v, {
      name: 'p',
      enabled: true,
      keep: 3,
      rules: [{ field: 'tag', operator: 'matches', values: ['v1', 'v2'] }, { field: 'label', operator: 'eq', values: [] }],
      scopes: ['push'],
      notify: { method: 'webhook', url: 'https://hooks.example.com/x' },
    });
    const r = policy.safeParse(v);
    assert.ok(!r.success);
    assert.deepEqual(fieldErrors(r.error), { 'rules.1.values': 'Give at least one value' });
    const bad = policy.safeParse({ ...v, rules: [], notify: { method: 'email', address: 'nope' } });
    assert.ok(!bad.success);
    assert.deepEqual(Object.keys(fieldErrors(bad.error)), ['notify.address']);
  });

  it('describes a top-level discriminated union as one union field standing for the whole form', () => {
    const u = z.discriminatedUnion('kind', [z.object({ kind: z.literal('a'), x: z.string() }), z.object({ kind: z.literal('b'), y: z.number() })]);
    const form = describeForm(u);
    assert.deepEqual(form.fields.map((f) => [f.name, f.kind]), [['', 'union']]);
    assert.deepEqual(coerceFormValues(form, { kind: 'b', y: '2', x: 'gone' }), { kind: 'b', y: 2 });
  });
});
