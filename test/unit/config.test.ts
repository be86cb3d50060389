import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import { syncManifest, type Manifest } from '../../scripts/manifest';
import { describeProblem, kindSummary, mergeEntry, parseRegistries, registryEntrySchema, toConnection } from '../../src/config/schema';
import { descriptors } from '../../src/registry/kinds';

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

describe('the registry entry is declared once', () => {
  const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { items: JsonSchema }> } };
  };
  const nls = JSON.parse(readFileSync(path.join(__dirname, '../../package.nls.json'), 'utf8')) as Record<string, string>;
  const declared = manifest.contributes.configuration.properties['registryExplorer.registries']!.items;
  const derived = z.toJSONSchema(registryEntrySchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const KEYWORDS = ['type', 'enum', 'minLength', 'maxLength'] as const;
  const pick = (s: JsonSchema | undefined) => Object.fromEntries(KEYWORDS.filter((k) => s?.[k] !== undefined).map((k) => [k, s![k]]));

  it("package.json's JSON schema of registryExplorer.registries matches the zod schema: fields, types, limits, kinds", () => {
    assert.deepEqual(Object.keys(declared.properties!).sort(), Object.keys(derived.properties!).sort());
    assert.deepEqual([...(declared.required ?? [])].sort(), [...(derived.required ?? [])].sort());
    for (const [name, d] of Object.entries(derived.properties!)) {
      const m = declared.properties![name]!;
      assert.deepEqual(pick(m), pick(d), name);
      assert.deepEqual(pick(m.items), pick(d.items), `${name} items`);
      const key = /^%(.+)%$/.exec(m.description ?? '')?.[1];
      assert.equal(key && nls[key], d.description, `${name}: the manifest's help is the schema's`);
    }
    assert.deepEqual(declared.properties!.kind!.enum, descriptors.map((d) => d.kind));
    assert.equal(declared.properties!.kind!.enumDescriptions?.length, descriptors.length);
  });

  it('the kinds in package.json and package.nls.json (enum, descriptions, extension description) come from src/registry/kinds.ts; run `node scripts/syncManifest.mjs` after changing a kind', () => {
    const synced = syncManifest(manifest as unknown as Manifest, nls);
    const hint = 'out of date: run `node scripts/syncManifest.mjs`';
    assert.deepEqual(manifest, synced.manifest, `package.json is ${hint}`);
    assert.deepEqual(nls, synced.nls, `package.nls.json is ${hint}`);
    // Each kind's description is its descriptor's label and detail, in descriptor order.
    const keys = declared.properties!.kind!.enumDescriptions!.map((d) => /^%(.+)%$/.exec(d)?.[1] ?? '');
    assert.deepEqual(keys.map((k) => nls[k]), descriptors.map(kindSummary));
  });

  it('saving keeps every field it does not edit (registryUrl, fields of newer versions) and removes cleared ones', () => {
    const raw = { name: 'hub', kind: 'dockerhub', url: 'https://hub.docker.com', registryUrl: 'https://registry.example.com', username: 'old', futureField: { a: 1 } };
    const entry = registryEntrySchema.parse({ ...raw, username: 'new' });
    assert.deepEqual(mergeEntry(raw, entry), { ...raw, username: 'new' });
    // A form (or sign-in) that edits only some fields leaves the others alone, even when its entry lacks them.
    assert.deepEqual(mergeEntry(raw, { name: 'hub', kind: 'dockerhub', url: 'https://hub.docker.com', username: undefined }, ['username']), {
      name: 'hub',
      kind: 'dockerhub',
      url: 'https://hub.docker.com',
      registryUrl: 'https://registry.example.com',
      futureField: { a: 1 },
    });
    const cleared = registryEntrySchema.parse({ name: 'hub', kind: 'dockerhub', url: 'https://hub.docker.com' });
    assert.deepEqual(mergeEntry(raw, cleared), { name: 'hub', kind: 'dockerhub', url: 'https://hub.docker.com', futureField: { a: 1 } });
  });

  it('refuses registry URLs that are no http(s) URL', () => {
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/plain,x', 'https:registry.example.com', 'registry.example.com', 'https://u:p@r.example']) {
      assert.equal(registryEntrySchema.shape.url.safeParse(url).success, false, url);
    }
    assert.equal(registryEntrySchema.shape.url.parse(' http://localhost:5000/ '), 'http://localhost:5000');
  });
});

interface JsonSchema {
  type?: string;
  enum?: string[];
  enumDescriptions?: string[];
  minLength?: number;
  maxLength?: number;
  description?: string;
  required?: string[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
}
