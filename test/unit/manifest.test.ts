import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { descriptors } from '../../src/registry/kinds';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const nls = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
/** A manifest string, with its `%key%` placeholder resolved from package.nls.json. */
const text = (s: string | undefined): string | undefined => (s && /^%[^%]+%$/.test(s) ? nls[s.slice(1, -1)] : s);
const tableSource = fs.readFileSync(path.join(root, 'src/commands/index.ts'), 'utf8');
// The table's keys, read from source: importing it needs the 'vscode' module, which only the extension host has.
const tableIds = [...tableSource.matchAll(/^\s*'(registryExplorer\.[^']+)':/gm)].map((m) => m[1]);

describe('package.json manifest', () => {
  const contributed: { command: string; title: string; category?: string; icon?: string }[] = pkg.contributes.commands;

  it('contributes exactly the commands the command table registers', () => {
    assert.ok(tableIds.length >= 10, 'command table parsed');
    assert.deepEqual([...contributed.map((c) => c.command)].sort(), [...tableIds].sort());
  });

  it('has a walkthrough whose steps exist, are translated, and complete on commands the extension contributes', () => {
    const [w] = pkg.contributes.walkthroughs as { steps: { id: string; title: string; description: string; media: { markdown: string }; completionEvents: string[] }[] }[];
    assert.ok(w && w.steps.length >= 5);
    const ids = new Set(contributed.map((c) => c.command));
    for (const step of w.steps) {
      assert.ok(text(step.title) && text(step.description), `${step.id}: translated`);
      assert.ok(fs.existsSync(path.join(root, step.media.markdown)), `${step.id}: ${step.media.markdown}`);
      assert.ok(step.completionEvents.length, `${step.id}: completes`);
      for (const e of step.completionEvents) {
        const m = /^onCommand:(.+)$/.exec(e);
        if (m) assert.ok(ids.has(m[1]!), `${step.id}: ${e} is a contributed command`);
        else assert.match(e, /^(onSettingChanged:registryExplorer\.|onContext:registryExplorer\.)/, `${step.id}: ${e}`);
      }
      for (const link of (text(step.description) ?? '').matchAll(/\(command:([^)?]+)/g)) {
        assert.ok(ids.has(link[1]!) || link[1] === 'registryExplorer.registries.focus', `${step.id}: link to ${link[1]}`);
      }
    }
  });

  it('titles every command "Registry Explorer: …" with a codicon', () => {
    for (const c of contributed) {
      assert.equal(text(c.category), 'Registry Explorer', c.command);
      assert.match(text(c.title) ?? '', /^[A-Z]/, c.command);
      assert.match(c.icon ?? '', /^\$\([a-z-]+\)$/, `${c.command} icon`);
      assert.match(c.command, /^registryExplorer\.[a-zA-Z]+(\.[a-zA-Z]+)?$/);
    }
  });

  it('menus reference only contributed commands, and tree menus use contextValue when-clauses', () => {
    const ids = new Set(contributed.map((c) => c.command));
    for (const [menu, entries] of Object.entries(pkg.contributes.menus as Record<string, { command: string; when?: string }[]>)) {
      for (const e of entries) {
        assert.ok(ids.has(e.command), `${menu}: ${e.command}`);
        if (menu === 'view/item/context') assert.match(e.when ?? '', /viewItem =~ \//, `${e.command} has a viewItem when-clause`);
      }
    }
  });

  it('takes every manifest string from package.nls.json, and every key there is used', () => {
    const raw = fs.readFileSync(path.join(root, 'package.json'), 'utf8');
    const used = new Set([...raw.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]!));
    for (const k of used) assert.ok(k in nls, `package.nls.json has ${k}`);
    for (const k of Object.keys(nls)) assert.ok(used.has(k), `${k} is used in package.json`);
    for (const c of contributed) assert.match(c.title, /^%command\./, `${c.command} title is localisable`);
  });

  it('uses only contextValue traits that the code sets', () => {
    const traits = new Set<string>();
    for (const e of pkg.contributes.menus['view/item/context'] as { when: string }[]) for (const m of e.when.matchAll(/viewItem =~ \/\(\^\|;\)(\w+)\(;\|\$\)\//g)) traits.add(m[1]!);
    assert.ok(traits.size > 5, 'traits parsed');
    const treeDir = path.join(root, 'src/tree');
    const code = fs.readdirSync(treeDir).map((f) => fs.readFileSync(path.join(treeDir, f), 'utf8')).join('\n');
    const set = new Set([...code.matchAll(/'([a-zA-Z]+)'/g)].map((m) => m[1]!));
    // Message nodes carry the error kind as a trait (`unauthorized`).
    const errorKinds = [...fs.readFileSync(path.join(root, 'src/registry/errors.ts'), 'utf8').matchAll(/'([a-zA-Z]+)'/g)].map((m) => m[1]!);
    for (const t of traits) assert.ok(set.has(t) || errorKinds.includes(t), `the trait "${t}" is set somewhere in src/tree`);
    for (const gone of ['hub', 'accessTokens', 'personalAccessToken', 'orgAccessToken', 'immutableTags', 'orgGroup', 'groupMember', 'repositoryCreatable']) assert.ok(!traits.has(gone), `no registry-specific trait ${gone}`);
  });

  it('declares the Registries view container, tree view and welcome content', () => {
    assert.equal(text(pkg.contributes.viewsContainers.activitybar[0].title), 'Registries');
    assert.equal(pkg.contributes.views.registryExplorer[0].id, 'registryExplorer.registries');
    assert.match(text(pkg.contributes.viewsWelcome[0].contents) ?? '', /command:registryExplorer\.registry\.add/);
    assert.equal(pkg.engines.vscode, '^1.100.0');
  });

  it('keeps the settings contract: registries entries with name, kind, url and the kinds of src/registry/kinds.ts', () => {
    const reg = pkg.contributes.configuration.properties['registryExplorer.registries'];
    assert.deepEqual(reg.items.required, ['name', 'kind', 'url']);
    assert.deepEqual(reg.items.properties.kind.enum, descriptors.map((d) => d.kind));
    for (const k of ['username', 'namespaces', 'caFile', 'insecureSkipTlsVerify']) assert.ok(reg.items.properties[k], k);
    assert.ok(!('password' in reg.items.properties) && !('token' in reg.items.properties), 'no secret in settings');
  });

  it('ships only the bundle, media and docs', () => {
    const ignore = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8');
    assert.match(ignore, /^\*\*$/m);
    assert.match(ignore, /^!dist\/extension\.js$/m);
  });
});
