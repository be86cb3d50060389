import * as assert from 'node:assert/strict';
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
      ['caFile', 'string', false],
      ['insecureSkipTlsVerify', 'boolean', false],
      ['testConnection', 'boolean', false],
    ]);
    assert.equal(fields[0]!.title, 'Name');
    assert.deepEqual(fields[1]!.options?.map((o) => o.value), ['oci', 'dockerhub', 'dockerhub-v1', 'dtr', 'quay']);
    assert.equal(fields[7]!.defaultValue, true);
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
    assert.deepEqual(fieldErrors(empty.error), { name: 'Enter a name', url: 'Enter the registry URL' });
  });
});
