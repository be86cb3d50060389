import * as assert from 'node:assert/strict';
import { registryEntrySchema } from '../../src/config/schema';
import { descriptors } from '../../src/registry/kinds';
import { coerceFormValues, describeForm, fieldErrors, registryForm } from '../../src/webviews/forms';

describe('schema-driven forms', () => {
  const { fields } = describeForm(registryForm);

  it('derives fields, kinds, titles and defaults from the zod schema', () => {
    assert.deepEqual(fields.map((f) => [f.name, f.kind, f.required]), [
      ['name', 'string', true],
      ['kind', 'enum', true],
      ['url', 'string', true],
      ['username', 'string', false],
      ['namespaces', 'stringList', false],
      ['repositories', 'stringList', false],
      ['caFile', 'string', false],
      ['insecureSkipTlsVerify', 'boolean', false],
      ['registryUrl', 'string', false],
      ['tokenRealms', 'stringList', false],
      ['testConnection', 'boolean', false],
    ]);
    assert.equal(fields[0]!.title, 'Name');
    assert.deepEqual(fields[1]!.options?.map((o) => o.value), descriptors.map((d) => d.kind));
    assert.equal(fields[10]!.defaultValue, true);
    assert.deepEqual(fields[1]!.options?.map((o) => o.label), descriptors.map((d) => d.label));
    assert.match(fields[2]!.description!, /Base URL/);
  });

  it('coerces raw input and validates it with field-level messages', () => {
    const values = coerceFormValues(fields, { name: ' local ', kind: 'oci', url: 'ftp://x', username: '', namespaces: 'a\n\n b \r\nc', caFile: '', insecureSkipTlsVerify: false, testConnection: 'true' });
    assert.deepEqual(values, { name: 'local', kind: 'oci', url: 'ftp://x', namespaces: ['a', 'b', 'c'], insecureSkipTlsVerify: false, testConnection: true });
    assert.deepEqual(coerceFormValues(fields, { namespaces: 'v\\d{1,3}\nrelease-.*' }).namespaces, ['v\\d{1,3}', 'release-.*'], 'commas are data, lines separate items');
    const r = registryForm.safeParse(values);
    assert.ok(!r.success);
    assert.deepEqual(Object.keys(fieldErrors(r.error)), ['url']);
    const ok = registryForm.safeParse({ ...values, url: 'https://registry.example.com' });
    assert.ok(ok.success);
    const empty = registryForm.safeParse(coerceFormValues(fields, { name: '', kind: 'oci', url: '' }));
    assert.ok(!empty.success);
    assert.deepEqual(fieldErrors(empty.error), { name: 'is empty', url: 'is empty' });
  });

  it('is derived from the settings entry schema: every setting field is in the form, with the same help', () => {
    const entryFields = describeForm(registryEntrySchema).fields;
    assert.deepEqual(
      fields.slice(0, entryFields.length).map((f) => [f.name, f.description]),
      entryFields.map((f) => [f.name, f.description]),
    );
    assert.ok(fields.some((f) => f.name === 'registryUrl'), 'registryUrl is edited, so Save cannot drop it');
  });

  it('takes only http(s) origins as allowed token services', () => {
    const base = { name: 'n', kind: 'oci', url: 'https://r.example', testConnection: false };
    assert.ok(registryForm.safeParse({ ...base, tokenRealms: ['https://auth.example.com'] }).success);
    const bad = registryForm.safeParse({ ...base, tokenRealms: ['javascript:alert(1)'] });
    assert.ok(!bad.success);
    assert.deepEqual(Object.keys(fieldErrors(bad.error)), ['tokenRealms.0']);
  });
});
