import * as assert from 'node:assert/strict';
import type { Outcome, ResourceRef, Scope } from '../../src/registry/admin';
import { BadResponseError } from '../../src/registry/errors';
import type { HarborProvider } from '../../src/registry/harbor/provider';
import { SCAN_POLL_MS } from '../../src/registry/harbor/provider';
import { addProject, addRepository, pushImage } from '../servers/harborData';
import { copiesOf, setBuildHistory, setScanTiming } from '../servers/harbor/artifacts';
import { addLabel } from '../servers/harbor/labels';
import { HARBOR_ADMIN, HARBOR_ROBOT, seedHarbor } from '../servers/harborSeed';
import { type HarborServer, startHarborServer } from '../servers/harborServer';
import { drive, type Driven, type DrivenAction } from '../support/adminDriver';
import { harborProvider } from './harborProvider.test';

function typeOf(p: HarborProvider, type: string): Driven {
  const t = p.admin.types.find((x) => x.type === type);
  assert.ok(t, `no resource type ${type}`);
  return drive(t);
}

function action(p: HarborProvider, type: string, id: string): DrivenAction {
  const a = typeOf(p, type).actions.find((x) => x.id === id);
  assert.ok(a, `no action ${id} on ${type}`);
  return a;
}

function message(o: Outcome): string {
  assert.ok(o.kind === 'done', `a done outcome, not ${o.kind}`);
  return o.message;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Harbor artifacts: tags, platforms, accessories, scans, labels, copies, repositories', () => {
  let h: HarborServer;
  let admin: HarborProvider;
  let robot: HarborProvider;
  /** The scope of the tree's row for `team-a/app:<tag>`, as the tree builds it (digest from the listing). */
  const rowScope = async (tag: string): Promise<Scope> => {
    const rows = (await admin.listTags('team-a/app', undefined)).items;
    const row = rows.find((r) => r.name === tag);
    assert.ok(row, `a row ${tag}`);
    return { namespace: 'team-a', repository: 'team-a/app', tag: row.name, digest: row.digest! };
  };
  const rowRef = async (tag: string): Promise<ResourceRef> => ({ type: 'tag', scope: await rowScope(tag), key: tag });

  beforeEach(async () => {
    h = await startHarborServer();
    await seedHarbor(h);
    setScanTiming(h.state, { pendingMs: 150, runningMs: 250 });
    admin = harborProvider(h, HARBOR_ADMIN);
    robot = harborProvider(h, HARBOR_ROBOT);
  });
  afterEach(async () => {
    admin.dispose();
    robot.dispose();
    assert.deepEqual(h.violations, [], 'every request and answer matched the document');
    await h.close();
  });

  it("lists an artifact's tags with their immutable flag and times, adds one (201) and deletes one naming repo:tag", async () => {
    const tags = typeOf(admin, 'artifactTag');
    assert.deepEqual(tags.placement, { under: 'tag' });
    h.state.artifacts.get('team-a/app')!.find((a) => a.tags.some((t) => t.name === 'latest'))!.tags[1]!.immutable = true;
    const scope = await rowScope('latest');
    const listed = (await tags.list(scope)).items;
    assert.deepEqual(listed.map((x) => x.name), ['latest', '2.0']);
    assert.match(tags.view(listed[1]!).description ?? '', /^immutable · pushed 20\d\d-\d\d-\d\d \d\d:\d\d · never pulled$/);
    assert.equal(tags.view(listed[1]!).icon, 'lock');

    assert.equal(message(await tags.create!.run(scope, { name: 'stable' })), 'Added tag team-a/app:stable');
    const post = h.requests.find((r) => r.method === 'POST' && r.path.endsWith('/tags'))!;
    assert.equal(post.status, 201);
    assert.equal(post.path, `/api/v2.0/projects/team-a/repositories/app/artifacts/${encodeURIComponent(scope.digest!)}/tags`);
    assert.deepEqual((await tags.list(scope)).items.map((x) => x.name), ['latest', '2.0', 'stable']);
    await assert.rejects(tags.create!.run(scope, { name: 'bad tag' }), /valid tag name/);

    const ref: ResourceRef = { type: 'artifactTag', scope, key: 'stable' };
    const c = await tags.remove!.confirm({ name: 'stable' }, ref);
    assert.equal(c.message, 'Delete tag team-a/app:stable?');
    assert.match(c.detail ?? '', new RegExp(`the artifact ${scope.digest} stays`));
    assert.equal(c.button, 'Delete Tag');
    await tags.remove!.run(ref);
    assert.deepEqual((await tags.list(scope)).items.map((x) => x.name), ['latest', '2.0']);
    assert.match((await tags.remove!.confirm(listed[1]!, { ...ref, key: '2.0' })).detail ?? '', /immutable/);
  });

  it('refuses adding a tag for a guest with the permission named (403)', async () => {
    const guest = harborProvider(h, { username: 'guest', password: 'guest-password' });
    try {
      await assert.rejects(typeOf(guest, 'artifactTag').create!.run(await rowScope('1.1'), { name: 'x' }), /403.*"create tag" permission/);
    } finally {
      guest.dispose();
    }
  });

  it("lists an index's platform artifacts (platform, digest, size, their own scan badge) and opens their details and reports", async () => {
    const platforms = typeOf(admin, 'platformArtifact');
    const index = await rowScope('latest');
    assert.equal(await platforms.available!(index), true);
    assert.equal(await platforms.available!(await rowScope('1.1')), false, 'a plain image has no platforms node');
    const rows = (await platforms.list(index)).items;
    assert.deepEqual(rows.map((r) => r.platform), ['linux/amd64', 'linux/arm64']);
    assert.match(platforms.view(rows[0]!).description ?? '', /^sha256:[0-9a-f]{12} · \d+(\.\d)? (B|KB) · 1 critical · 1 high · 1 medium · 1 low$/);
    assert.match(platforms.view(rows[1]!).description ?? '', / · 1 high · 1 medium · 1 low$/);
    const ref: ResourceRef = { type: 'platformArtifact', scope: index, key: rows[1]!.digest as string };
    assert.deepEqual(await action(admin, 'platformArtifact', 'platformScan').run(ref), { kind: 'panel', panel: 'scan', repository: 'team-a/app', reference: rows[1]!.digest, refresh: 'none' });
    assert.deepEqual(await action(admin, 'platformArtifact', 'platformDetails').run(ref), { kind: 'panel', panel: 'tagDetails', repository: 'team-a/app', reference: rows[1]!.digest, refresh: 'none' });
    const report = await admin.getScanReport('team-a/app', rows[1]!.digest as string);
    assert.equal(report.counts.critical, 0, "the arm64 report is the platform's own");
  });

  it('lists accessories (signatures, SBOMs) only for artifacts that have them', async () => {
    const acc = typeOf(admin, 'accessory');
    const signed = await rowScope('1.1');
    assert.equal(await acc.available!(signed), true);
    assert.equal(await acc.available!(await rowScope('1.0')), false, 'an artifact without accessories shows no accessories node');
    const rows = (await acc.list(signed)).items;
    assert.deepEqual(rows.map((r) => acc.view(r).label), ['Signature (cosign)', 'SBOM']);
    assert.match(acc.view(rows[0]!).description ?? '', /^sha256:[0-9a-f]{12} · 512 B · /);
    assert.ok(h.requests.some((r) => r.path.endsWith('/accessories') && /page_size=/.test(r.query)), 'accessories are paged');
  });

  it('shows the badge as "1 critical · 1 high" and the scan status on artifact rows', async () => {
    const rows = (await admin.listTags('team-a/app', undefined)).items;
    const by = Object.fromEntries(rows.map((r) => [r.name, r]));
    assert.deepEqual(by['1.1']!.vulnerabilities, { critical: 1, high: 1, medium: 1, low: 1 });
    assert.ok(by['1.0']!.facts!.includes('scanning 40%'));
    assert.equal(by['1.0']!.refreshAfterMs, SCAN_POLL_MS, 'a running scan asks the tree to read the row again');
    assert.equal(by['1.1']!.refreshAfterMs, undefined, 'a finished scan does not');
  });

  it('Scan Now starts a scan (202), the row goes queued → scanning → badge, and Stop Scan is offered only while it runs', async () => {
    const scan = action(admin, 'tag', 'scanNow');
    const stop = action(admin, 'tag', 'stopScan');
    const ref = await rowRef('1.1');
    assert.equal(scan.when!(ref as never), true);
    assert.equal(stop.when!(ref as never), false, 'no Stop Scan on a finished scan');
    const o = await scan.run(ref);
    assert.equal(o.kind, 'done');
    assert.equal((o as { refresh?: string }).refresh, 'list', 'the repository lists again, showing the scan queued');
    assert.equal(h.requests.find((r) => r.path.endsWith('/scan'))!.status, 202);
    let row = await admin.readTag('team-a/app', '1.1');
    assert.ok(row.facts!.includes('scan queued'), row.facts!.join());
    assert.equal(row.refreshAfterMs, SCAN_POLL_MS);
    assert.equal(stop.when!(ref as never), true, 'Stop Scan while the scan waits or runs');
    assert.equal(scan.when!(ref as never), false);
    await sleep(500);
    row = await admin.readTag('team-a/app', '1.1');
    assert.deepEqual(row.vulnerabilities, { critical: 1, high: 1, medium: 1, low: 1 });
    assert.equal(row.refreshAfterMs, undefined);
    assert.equal(stop.when!(ref as never), false);
  });

  it('Stop Scan turns a running scan into stopped, after a confirmation naming the artifact', async () => {
    const ref = await rowRef('1.0');
    const stop = action(admin, 'tag', 'stopScan');
    assert.equal(stop.when!(ref as never), true);
    const c = await stop.confirm!(ref, ref);
    assert.equal(c!.message, 'Stop the scan of team-a/app:1.0?');
    assert.equal(message(await stop.run(ref)), 'Stopped the scan of team-a/app:1.0');
    const row = await admin.readTag('team-a/app', '1.0');
    assert.ok(row.facts!.includes('scan stopped'), row.facts!.join());
    assert.equal(row.refreshAfterMs, undefined);
  });

  it('adds a label picked from the global and project labels, and removes one after naming it', async () => {
    const projectId = h.state.projects.get('team-a')!.id;
    addLabel(h.state, 'qa-passed', projectId, 'Passed QA');
    addLabel(h.state, 'other-project', h.state.projects.get('library')!.id);
    const add = action(admin, 'tag', 'addLabel');
    const ref = await rowRef('1.0');
    const choices = await add.input!.choices!.label!.load(ref.scope, '');
    assert.deepEqual(choices.map((c) => [c.label, c.description]), [['qa-passed', 'project label'], ['release', 'global label']]);
    assert.deepEqual((await add.input!.choices!.label!.load(ref.scope, 'QA')).map((c) => c.label), ['qa-passed']);
    await assert.rejects(add.run(ref, { label: 'qa-passed' }), /pick a label/);
    assert.equal(message(await add.run(ref, { label: choices[0]!.value })), 'Added the label to team-a/app:1.0');
    assert.ok(h.state.artifacts.get('team-a/app')!.find((a) => a.digest === ref.scope.digest)!.labels!.includes('qa-passed'));

    const remove = action(admin, 'tag', 'removeLabel');
    assert.equal(remove.when!(ref as never), false, 'Remove Label is offered only on an artifact with labels');
    assert.equal(remove.when!((await rowRef('1.0')) as never), true);
    const on = await remove.input!.choices!.label!.load(ref.scope, '');
    assert.deepEqual(on.map((c) => c.label), ['qa-passed']);
    const c = await remove.confirm!(ref, ref, { label: on[0]!.value });
    assert.equal(c!.message, 'Remove label qa-passed from team-a/app:1.0?');
    await remove.run(ref, { label: on[0]!.value });
    assert.deepEqual(h.state.artifacts.get('team-a/app')!.find((a) => a.digest === ref.scope.digest)!.labels, []);
  });

  it('copies an artifact to another repository with from=project/repo@digest (201 with Location)', async () => {
    addProject(h.state, 'team-b');
    const ref = await rowRef('1.1');
    const copy = action(admin, 'tag', 'copyArtifact');
    assert.match(message(await copy.run(ref, { target: 'team-b/mirror/app' })), /^Copied team-a\/app:1\.1 \(sha256:[0-9a-f]{12}\) to team-b\/mirror\/app$/);
    assert.deepEqual(copiesOf(h.state), [{ from: `team-a/app@${ref.scope.digest}`, to: 'team-b/mirror/app' }]);
    const req = h.requests.find((r) => r.method === 'POST' && r.path.startsWith('/api/v2.0/projects/team-b/'))!;
    assert.equal(req.path, '/api/v2.0/projects/team-b/repositories/mirror%252Fapp/artifacts', 'the target name is encoded twice');
    assert.equal(req.status, 201);
    assert.deepEqual((await admin.listTags('team-b/mirror/app', undefined)).items.map((t) => t.name), ['1.1']);
    await assert.rejects(copy.run(ref, { target: 'team-a/app' }), BadResponseError);
    await assert.rejects(copy.run(ref, { target: 'noslash' }), /project\/repository/);
  });

  it('deleting an artifact names every tag it takes', async () => {
    const plan = await admin.planDeleteTag('team-a/app', 'latest');
    assert.deepEqual(plan.affectedTags, ['latest', '2.0']);
    assert.equal(plan.byDigest, true);
    assert.equal(admin.capabilities.scanSummary, true, 'Show Scan Summary is offered on artifact rows');
  });

  it("edits a repository's description (current value from GET, PUT the Repository body)", async () => {
    const core = typeOf(admin, 'repository');
    const ref: ResourceRef = { type: 'repository', scope: { namespace: 'team-a', repository: 'team-a/tools/cli' }, key: 'team-a/tools/cli' };
    assert.deepEqual(await core.update!.values(ref), { description: 'Command line tools' });
    assert.equal(message(await core.update!.run(ref, { description: 'The CLI' })), 'Saved the description of team-a/tools/cli');
    assert.equal(h.state.repositories.get('team-a/tools/cli')!.description, 'The CLI');
    assert.ok(h.requests.some((r) => r.method === 'PUT' && r.path === '/api/v2.0/projects/team-a/repositories/tools%252Fcli' && r.status === 200));
  });

  it('deletes a repository after a confirmation naming it, its artifact and tag counts and its tags', async () => {
    const core = typeOf(admin, 'repository');
    const ref: ResourceRef = { type: 'repository', scope: { namespace: 'team-a', repository: 'team-a/app' }, key: 'team-a/app' };
    const c = await core.remove!.confirm(ref, ref);
    assert.equal(c.message, 'Delete repository team-a/app with its 4 artifacts and 4 tags?');
    assert.match(c.detail ?? '', /Tags deleted: latest, 2\.0, 1\.1, 1\.0\./);
    assert.equal(c.button, 'Delete Repository');
    await core.remove!.run(ref);
    assert.equal(h.state.repositories.has('team-a/app'), false);
    const forbidden = typeOf(robot, 'repository');
    await assert.rejects(forbidden.remove!.run({ ...ref, key: 'team-a/tools/cli', scope: { ...ref.scope, repository: 'team-a/tools/cli' } }), /403.*"delete repository" permission/);
  });

  it("fills an image's history from Harbor's build_history when its config has none, and keeps going on a 404", async () => {
    addRepository(h.state, 'team-a/bare');
    const bare = await pushImage(h.state, 'team-a/bare', ['v1'], { layerSizes: [], salt: 'bare' });
    setBuildHistory(h.state, bare.digest, [{ created: '2024-01-01T00:00:00Z', created_by: '/bin/sh -c #(nop) CMD ["sh"]', empty_layer: true }]);
    const d = await admin.getImageDetails('team-a/bare', 'v1');
    assert.deepEqual(d.images[0]!.config!.history, [{ created: '2024-01-01T00:00:00Z', createdBy: '/bin/sh -c #(nop) CMD ["sh"]', emptyLayer: true }]);
    // An image whose config has history is read from the registry alone.
    const before = h.requests.filter((r) => r.path.endsWith('/build_history')).length;
    const plain = await admin.getImageDetails('team-a/app', '1.1');
    assert.ok(plain.images[0]!.config!.history.length > 0);
    assert.equal(h.requests.filter((r) => r.path.endsWith('/build_history')).length, before);
    h.fault({ path: /build_history$/, status: 404 });
    const again = await admin.getImageDetails('team-a/bare', 'v1');
    assert.deepEqual(again.images[0]!.config!.history, [], 'a 404 leaves the history empty, no failure');
    h.fault({ path: /build_history$/, body: '{"not": "a list"' });
    assert.deepEqual((await admin.getImageDetails('team-a/bare', 'v1')).images[0]!.config!.history, [], 'a malformed addition does not fail the details');
  });

  it('filters artifacts on the server by any of their tags (q=tags=~) and orders them by push or pull time', async () => {
    assert.deepEqual(admin.capabilities.tagOrderings, ['-pushed', 'pushed', '-pulled', 'pulled']);
    assert.equal(admin.capabilities.serverTagFilter, true);
    const found = await admin.listTags('team-a/app', undefined, { nameFilter: '2.' });
    assert.deepEqual(found.items.map((t) => t.name), ['latest'], 'the index matches on its second tag');
    const req = h.requests.filter((r) => r.path.endsWith('/repositories/app/artifacts')).at(-1)!;
    assert.equal(new URLSearchParams(req.query).get('q'), 'tags=~2.');
    const oldest = await admin.listTags('team-a/app', undefined, { ordering: 'pushed' });
    assert.equal(oldest.items[0]!.digest, h.state.artifacts.get('team-a/app')!.find((a) => a.pushed.startsWith('2023'))!.digest);
    assert.equal(new URLSearchParams(h.requests.at(-1)!.query).get('sort'), 'push_time');
    await admin.listTags('team-a/app', undefined, { ordering: '-pulled' });
    assert.equal(new URLSearchParams(h.requests.at(-1)!.query).get('sort'), '-pull_time');
    await assert.rejects(admin.listTags('team-a/app', undefined, { ordering: 'size' }), /cannot order artifacts by "size"/);
    assert.equal((await admin.listTags('team-a/app', undefined, { nameFilter: ',=~"' })).items.length, 4, 'query syntax is left out, not sent');
  });
});
