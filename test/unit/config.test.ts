import * as assert from 'node:assert/strict';
import { describeProblem, parseRegistries, toConnection } from '../../src/config/schema';

describe('registryExplorer.registries validation', () => {
  it('accepts valid entries and normalises the URL', () => {
    const r = parseRegistries([{ name: 'local', kind: 'oci', url: 'https://127.0.0.1:5000/', username: 'u', caFile: '/tmp/ca.pem' }]);
    assert.deepEqual(r.problems, []);
    assert.equal(r.entries[0]!.url, 'https://127.0.0.1:5000');
    assert.deepEqual(toConnection(r.entries[0]!), { id: 'local', kind: 'oci', url: 'https://127.0.0.1:5000', username: 'u', namespaces: undefined, caFile: '/tmp/ca.pem', insecureSkipTlsVerify: undefined });
  });

  it('reports a malformed entry naming the bad field while keeping the others', () => {
    const r = parseRegistries([
      { name: 'good', kind: 'oci', url: 'https://a.example' },
      { name: 'bad-kind', kind: 'nope', url: 'https://b.example' },
      { name: 'no-url', kind: 'oci' },
      { name: 'ftp', kind: 'oci', url: 'ftp://c.example' },
      { name: 'creds', kind: 'oci', url: 'https://user:pw@d.example' },
      { name: 'ns', kind: 'dockerhub', url: 'https://hub.docker.com', namespaces: ['library', ''] },
      { name: 'flag', kind: 'oci', url: 'https://e.example', insecureSkipTlsVerify: 'yes' },
      'just a string',
    ]);
    assert.deepEqual(r.entries.map((e) => e.name), ['good']);
    const byLabel = Object.fromEntries(r.problems.map((p) => [p.label, p]));
    assert.equal(byLabel['bad-kind']!.field, 'kind');
    assert.match(describeProblem(byLabel['bad-kind']!), /"kind" must be one of oci, dockerhub/);
    assert.equal(byLabel['no-url']!.field, 'url');
    assert.match(byLabel['no-url']!.message, /required/);
    assert.equal(byLabel['ftp']!.field, 'url');
    assert.match(byLabel['creds']!.message, /credentials/);
    assert.equal(byLabel['ns']!.field, 'namespaces.1');
    assert.equal(byLabel['flag']!.field, 'insecureSkipTlsVerify');
    assert.equal(byLabel['registry #8']!.message, 'must be an object with name, kind and url');
  });

  it('rejects duplicate names (they key the stored secrets)', () => {
    const r = parseRegistries([
      { name: 'Same', kind: 'oci', url: 'https://a.example' },
      { name: 'same', kind: 'oci', url: 'https://b.example' },
    ]);
    assert.equal(r.entries.length, 1);
    assert.equal(r.problems[0]!.field, 'name');
  });

  it('treats a non-array setting as one problem', () => {
    const r = parseRegistries({ name: 'x' });
    assert.equal(r.entries.length, 0);
    assert.match(r.problems[0]!.message, /array/);
    assert.deepEqual(parseRegistries(undefined), { entries: [], problems: [] });
  });
});
