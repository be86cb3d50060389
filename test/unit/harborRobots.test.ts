import * as assert from 'node:assert/strict';
import type { Outcome, ResourceRef, Scope } from '../../src/registry/admin';
import { ForbiddenError } from '../../src/registry/errors';
import { describeForm } from '../../src/registry/formSpec';
import { expiry } from '../../src/registry/harbor/admin/robots';
import type { HarborProvider } from '../../src/registry/harbor/provider';
import { isRegistered } from '../../src/registry/redact';
import { addUser } from '../servers/harborData';
import { HARBOR_ADMIN, HARBOR_ROBOT } from '../servers/harborSeed';
import type { HarborServer } from '../servers/harborServer';
import { drive } from '../support/adminDriver';
import { adminType, harborProvider, seededHarbor } from '../support/harborSignIn';

function secretOf(o: Outcome): string {
  assert.equal(o.kind, 'secret', JSON.stringify(o));
  return (o as Extract<Outcome, { kind: 'secret' }>).secret;
}

/** Whether the fake's `/api/v2.0/projects` answers `user` with `secret` (a sign-in). */
async function signsIn(h: HarborServer, user: string, secret: string): Promise<number> {
  const res = await fetch(`${h.url}/api/v2.0/projects`, { headers: { authorization: 'Basic ' + Buffer.from(`${user}:${secret}`).toString('base64') } });
  return res.status;
}

describe('Harbor robot accounts', () => {
  let h: HarborServer;
  let admin: HarborProvider;
  const project: Scope = { namespace: 'team-a' };
  const f = seededHarbor();
  beforeEach(() => {
    ({ h, admin } = f);
  });

  it('lists the robots of a project with their expiry, state and permissions', async () => {
    const robots = adminType(admin, 'projectRobot');
    assert.deepEqual(robots.placement, { under: 'namespace', group: 'access' });
    const page = await robots.list(project);
    assert.equal(page.items.length, 1);
    const v = robots.view(page.items[0]!);
    assert.equal(v.label, HARBOR_ROBOT.username);
    assert.match(v.description!, /never expires/);
    assert.match(v.description!, /repository: pull, list · artifact: read/);
    const listed = h.requests.find((r) => r.path === '/api/v2.0/robots');
    assert.equal(new URLSearchParams(listed!.query).get('q'), 'Level=project,ProjectID=' + String(h.state.projects.get('team-a')!.id));
    assert.ok(!JSON.stringify(page.items).includes(HARBOR_ROBOT.password), 'no secret in a listing');
  });

  it('creates a project robot from server-listed permissions: the secret is shown once, redacted, and signs in', async () => {
    const robots = adminType(admin, 'projectRobot');
    const form = robots.create!.form;
    const field = describeForm(form.schema, form.choices).fields.find((f) => f.name === 'permissions')!;
    assert.equal(field.kind, 'stringList');
    assert.deepEqual(field.choices, { key: 'permissions', freeText: false });
    const choices = await form.choices!.permissions!.load(project, 'repo');
    assert.ok(choices.some((c) => c.value === 'repository:push'));
    assert.ok(choices.every((c) => c.value.startsWith('repository:')), 'filtered by what is typed');

    const o = await robots.create!.run(project, { name: 'deploy', description: 'CD', duration: -1, permissions: ['repository:pull', 'repository:push', 'artifact:delete'] });
    const secret = secretOf(o);
    assert.match((o as { message: string }).message, /robot\$team-a\+deploy/);
    assert.match((o as { message: string }).message, /only once/);
    assert.ok(isRegistered(secret), 'registered for redaction');
    assert.equal(await signsIn(h, 'robot$team-a+deploy', secret), 200);
    // Signed in as the new robot, the provider browses its project.
    const asRobot = harborProvider(h, { username: 'robot$team-a+deploy', password: secret });
    try {
      assert.deepEqual((await asRobot.listRepositories('team-a', undefined)).items.map((r) => r.name).sort(), ['team-a/app', 'team-a/tools/cli']);
    } finally {
      asRobot.dispose();
    }

    const listed = (await robots.list(project)).items.map((r) => robots.view(r));
    const mine = listed.find((v) => v.label === 'robot$team-a+deploy')!;
    assert.match(mine.description!, /never expires · repository: pull, push · artifact: delete · CD/);
    // The secret never comes back: not in the robot, not in the list.
    const created = h.state.principals.get('robot$team-a+deploy')!;
    assert.equal(created.robotProject, 'team-a');
    assert.ok(!JSON.stringify((await robots.list(project)).items).includes(secret));
  });

  it('offers the permissions robots had before Harbor listed them (no GET /permissions: 404)', async () => {
    h.fault({ path: /\/permissions$/, method: 'GET', status: 404, times: 1 });
    const form = adminType(admin, 'projectRobot').create!.form;
    const choices = (await form.choices!.permissions!.load(project, '')).map((c) => c.value);
    assert.ok(choices.includes('repository:pull') && choices.includes('repository:push') && choices.includes('artifact:delete'));
    h.fault({ path: /\/permissions$/, method: 'GET', status: 500, times: 1 });
    const fresh = harborProvider(h, HARBOR_ADMIN);
    try {
      await assert.rejects(adminType(fresh, 'projectRobot').create!.form.choices!.permissions!.load(project, ''), /permissions robot accounts may have/);
    } finally {
      fresh.dispose();
    }
  });

  it('refuses a name or permission Harbor would refuse before sending it', async () => {
    const robots = adminType(admin, 'projectRobot');
    await assert.rejects(robots.create!.run(project, { name: 'Bad Name', permissions: ['repository:pull'] }));
    await assert.rejects(robots.create!.run(project, { name: 'ok', permissions: [] }));
    await assert.rejects(robots.create!.run(project, { name: 'ok', duration: 0, permissions: ['repository:pull'] }));
    assert.ok(!h.requests.some((r) => r.method === 'POST'), 'nothing sent');
  });

  it('says so when Harbor creates a robot but sends no secret, and names a robot answer it cannot read', async () => {
    const robots = adminType(admin, 'projectRobot');
    h.fault({ path: /\/robots$/, method: 'POST', status: 201, body: { id: 99, name: 'robot$team-a+x' }, times: 1 });
    await assert.rejects(robots.create!.run(project, { name: 'x', permissions: ['repository:pull'] }), /created robot account robot\$team-a\+x but sent no secret: use Refresh Secret/);
    h.fault({ path: /\/robots$/, method: 'GET', status: 200, body: [{ name: 'robot$team-a+y' }], times: 1 });
    await assert.rejects(robots.list(project), /robot accounts of team-a: unexpected response/);
  });

  it('refreshes a secret (generated: shown once; given: not echoed), and the old one stops working', async () => {
    const robots = adminType(admin, 'projectRobot');
    const item = (await robots.list(project)).items[0]!;
    const ref: ResourceRef = { type: 'projectRobot', scope: project, key: robots.key(item) };
    const refresh = robots.actions.find((a) => a.id === 'refreshSecret')!;
    const c = await refresh.confirm!(item, ref, {});
    assert.match(c!.message, /robot\$team-a\+ci/);
    const fresh = secretOf(await refresh.run(ref, {}));
    assert.ok(isRegistered(fresh));
    assert.equal(await signsIn(h, HARBOR_ROBOT.username, HARBOR_ROBOT.password), 401);
    assert.equal(await signsIn(h, HARBOR_ROBOT.username, fresh), 200);
    const patch = h.requests.filter((r) => r.method === 'PATCH');
    assert.equal(patch.length, 1);

    const own = await refresh.run(ref, { secret: 'MyOwnSecret42' });
    assert.equal(own.kind, 'done');
    assert.equal(await signsIn(h, HARBOR_ROBOT.username, 'MyOwnSecret42'), 200);
    await assert.rejects(refresh.run(ref, { secret: 'weak' }));
  });

  it('disables and enables with the whole robot, and deletes after naming its full name', async () => {
    const robots = adminType(admin, 'projectRobot');
    let item = (await robots.list(project)).items[0]!;
    const ref: ResourceRef = { type: 'projectRobot', scope: project, key: robots.key(item) };
    const disable = robots.actions.find((a) => a.id === 'disable')!;
    const enable = robots.actions.find((a) => a.id === 'enable')!;
    assert.equal(enable.when!(item), false);
    assert.match((await disable.confirm!(item, ref))!.message, /robot\$team-a\+ci/);
    await disable.run(ref);
    assert.equal(await signsIn(h, HARBOR_ROBOT.username, HARBOR_ROBOT.password), 401);
    item = (await robots.list(project)).items[0]!;
    assert.match(robots.view(item).description!, /^disabled/);
    assert.equal(enable.when!(item), true);
    await enable.run(ref);
    assert.equal(await signsIn(h, HARBOR_ROBOT.username, HARBOR_ROBOT.password), 200);

    const c = await robots.remove!.confirm(item, ref);
    assert.match(c.message, /Delete robot account robot\$team-a\+ci\?/);
    await robots.remove!.run(ref);
    assert.equal((await robots.list(project)).items.length, 0);
    assert.equal(await signsIn(h, HARBOR_ROBOT.username, HARBOR_ROBOT.password), 401);
  });

  it('system robots: shown to system admins only, created with system and project permissions', async () => {
    const sys = adminType(admin, 'systemRobot');
    assert.deepEqual(sys.placement, { under: 'registry', group: 'administration' });
    assert.equal(await sys.available!({}), true);
    const alice = harborProvider(h, { username: 'alice', password: 'alice-password' });
    const robot = harborProvider(h, HARBOR_ROBOT);
    try {
      assert.equal(await drive(alice.admin.types.find((x) => x.type === 'systemRobot')!).available!({}), false);
      assert.equal(await drive(robot.admin.types.find((x) => x.type === 'systemRobot')!).available!({}), false);
      await assert.rejects(drive(alice.admin.types.find((x) => x.type === 'systemRobot')!).list({}), ForbiddenError);
    } finally {
      alice.dispose();
      robot.dispose();
    }
    assert.ok(!h.requests.some((r) => r.path === '/api/v2.0/users/current' && r.authorization?.includes(Buffer.from('robot$').toString('base64').slice(0, 6))));

    const projects = await sys.create!.form.choices!.projects!.load({}, '');
    assert.deepEqual(projects.map((c) => c.value).slice(0, 2), ['*', 'team-a']);
    await assert.rejects(sys.create!.run({}, { name: 'x', projectPermissions: ['repository:pull'] }), /projects/);
    const o = await sys.create!.run({}, { name: 'ops', duration: 7, systemPermissions: ['audit-log:list'], projects: ['team-a', 'library'], projectPermissions: ['repository:pull'] });
    const secret = secretOf(o);
    assert.equal(await signsIn(h, 'robot$ops', secret), 200);
    const item = (await sys.list({})).items.find((r) => r.name === 'robot$ops')!;
    assert.ok(item);
    assert.deepEqual(
      (item.permissions as { kind: string; namespace: string }[]).map((p) => `${p.kind} ${p.namespace}`),
      ['system /', 'project team-a', 'project library'],
    );
    assert.match(sys.view(item).description!, /expires \d{4}-\d\d-\d\d · 3 permissions on system, team-a, library/);
  });

  it('shows project robots to those who may list them: project admins, maintainers, system admins', async () => {
    addUser(h.state, 'maria', 'maria-password', { 'team-a': 4 });
    addUser(h.state, 'paul', 'paul-password', { 'team-a': 1 });
    const cases: [{ username: string; password: string } | undefined, boolean][] = [
      [HARBOR_ADMIN, true],
      [{ username: 'paul', password: 'paul-password' }, true],
      [{ username: 'maria', password: 'maria-password' }, true],
      [{ username: 'alice', password: 'alice-password' }, false],
      [{ username: 'guest', password: 'guest-password' }, false],
      [HARBOR_ROBOT, false],
      [undefined, false],
    ];
    for (const [user, shown] of cases) {
      const p = harborProvider(h, user);
      try {
        assert.equal(await adminType(p, 'projectRobot').available!(project), shown, user?.username ?? 'anonymous');
      } finally {
        p.dispose();
      }
    }
    const asked = h.requests.filter((r) => r.path === '/api/v2.0/users/current/permissions');
    assert.equal(asked.length, 4, 'users who are no system admin are asked for their permissions in the project');
    assert.equal(new URLSearchParams(asked[0]!.query).get('scope'), `/project/${h.state.projects.get('team-a')!.id}`);
  });

  it('says what a refused call needs, and reads expiry in words', async () => {
    const guest = harborProvider(h, { username: 'guest', password: 'guest-password' });
    try {
      await assert.rejects(drive(guest.admin.types.find((x) => x.type === 'projectRobot')!).list(project), (e: Error) => e instanceof ForbiddenError && /project admin or maintainer/.test(e.message));
    } finally {
      guest.dispose();
    }
    const anonymous = harborProvider(h);
    try {
      assert.equal(await drive(anonymous.admin.types.find((x) => x.type === 'projectRobot')!).available!(project), false);
      assert.equal(await drive(anonymous.admin.types.find((x) => x.type === 'systemRobot')!).available!({}), false);
    } finally {
      anonymous.dispose();
    }
    assert.equal(expiry({ id: 1, name: 'r', expires_at: 1_000, duration: 3 }, 2_000_000), 'expired 1970-01-01');
    assert.equal(expiry({ id: 1, name: 'r', expires_at: -1, duration: -1 }), 'never expires');
  });
});
