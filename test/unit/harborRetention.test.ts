import * as assert from 'node:assert/strict';
import type { Outcome, ResourceRef, Scope } from '../../src/registry/admin';
import { silentLogger } from '../../src/registry/context';
import { ForbiddenError } from '../../src/registry/errors';
import { WAIT } from '../../src/registry/harbor/admin/retentionRun';
import { parseTaskLog } from '../../src/registry/harbor/admin/retentionRules';
import { HarborProvider } from '../../src/registry/harbor/provider';
import { addUser } from '../servers/harborData';
import { HARBOR_ADMIN, HARBOR_ROBOT, seedHarbor } from '../servers/harborSeed';
import { type HarborServer, startHarborServer } from '../servers/harborServer';
import { retentionControl } from '../servers/harbor/retention';
import { drive, type Driven } from '../support/adminDriver';

function provider(h: HarborServer, user: { username: string; password: string }): HarborProvider {
  return new HarborProvider({
    connection: { id: 'h', kind: 'harbor', url: h.url, username: user.username },
    credentials: () => Promise.resolve({ username: user.username, secret: user.password }),
    logger: silentLogger,
    http: { maxRetries: 0, timeoutMs: 5000 },
  });
}

function typeOf(p: HarborProvider, type: string): Driven {
  const t = p.admin.types.find((x) => x.type === type);
  assert.ok(t, `no resource type ${type}`);
  return drive(t);
}

const project: Scope = { namespace: 'team-a' };
const rule = (o: Record<string, unknown> = {}) => ({ template: 'latestPushedK', count: 2, repositoryPattern: '**', tagPattern: '**', untagged: true, ...o });
const listOf = (o: Outcome) => {
  assert.equal(o.kind, 'list');
  return o as Extract<Outcome, { kind: 'list' }>;
};

describe('Harbor tag retention', () => {
  let h: HarborServer;
  let admin: HarborProvider;
  const providers: HarborProvider[] = [];
  const as = (name: string, password: string) => {
    const p = provider(h, { username: name, password });
    providers.push(p);
    return p;
  };

  beforeEach(async () => {
    h = await startHarborServer();
    await seedHarbor(h);
    addUser(h.state, 'mara', 'mara-password', { 'team-a': 4 });
    admin = as(HARBOR_ADMIN.username, HARBOR_ADMIN.password);
  });
  afterEach(async () => {
    for (const p of providers.splice(0)) p.dispose();
    assert.deepEqual(h.violations, [], 'every request and answer matched the document');
    await h.close();
  });

  const policyRef = async (p: HarborProvider): Promise<ResourceRef> => {
    const items = (await typeOf(p, 'harborRetention').list(project)).items;
    assert.equal(items.length, 1);
    return { type: 'harborRetention', scope: project, key: typeOf(p, 'harborRetention').key(items[0]!) };
  };
  const create = (p: HarborProvider, rules = [rule()], schedule: Record<string, unknown> = { kind: 'daily' }) => typeOf(p, 'harborRetention').create!.run(project, { rules, schedule });

  it('creates the project policy with the body the document describes, in the Policies group, and shows it', async () => {
    const t = typeOf(admin, 'harborRetention');
    assert.deepEqual(t.placement, { under: 'namespace', group: 'policies' });
    assert.deepEqual((await t.list(project)).items, [], 'no policy yet: an empty list, with Create');
    await create(admin, [rule(), rule({ template: 'always', count: undefined, repositoryDecoration: 'repoExcludes', repositoryPattern: 'app', tagDecoration: 'excludes', tagPattern: 'v*', untagged: false })]);
    const sent = retentionControl(h.state).received.find((x) => x.method === 'POST')!.body;
    assert.deepEqual(sent, {
      algorithm: 'or',
      rules: [
        { disabled: false, action: 'retain', template: 'latestPushedK', params: { latestPushedK: 2 }, tag_selectors: [{ kind: 'doublestar', decoration: 'matches', pattern: '**', extras: '{"untagged":true}' }], scope_selectors: { repository: [{ kind: 'doublestar', decoration: 'repoMatches', pattern: '**' }] } },
        { disabled: false, action: 'retain', template: 'always', params: {}, tag_selectors: [{ kind: 'doublestar', decoration: 'excludes', pattern: 'v*', extras: '{"untagged":false}' }], scope_selectors: { repository: [{ kind: 'doublestar', decoration: 'repoExcludes', pattern: 'app' }] } },
      ],
      trigger: { kind: 'Schedule', settings: { cron: '0 0 0 * * *' }, references: {} },
      scope: { level: 'project', ref: h.state.projects.get('team-a')!.id },
    });
    const [item] = (await t.list(project)).items;
    const view = t.view(item!);
    assert.equal(view.description, '2 rules · daily');
    assert.match(view.tooltip!, /1\. retain the most recently pushed 2 artifacts · repositories matching \*\* · tags matching \*\* \(untagged too\)/);
    assert.match(view.tooltip!, /2\. retain always · repositories excluding app · tags excluding v\*/);
    await assert.rejects(create(admin), /already has retention policy/);
  });

  it('saves the schedule as Harbor crons (none, hourly, weekly, custom) and reads them back', async () => {
    await create(admin, [rule()], { kind: 'none' });
    const ref = await policyRef(admin);
    const upd = typeOf(admin, 'harborRetention').update!;
    assert.deepEqual(await upd.values(ref), { schedule: { kind: 'none' } });
    for (const [schedule, cron] of [
      [{ kind: 'hourly' }, '0 0 * * * *'],
      [{ kind: 'weekly' }, '0 0 0 * * 0'],
      [{ kind: 'custom', cron: '0  30 2 * * 1-5' }, '0 30 2 * * 1-5'],
    ] as const) {
      await upd.run(ref, { schedule });
      const last = retentionControl(h.state).received.at(-1)!.body as { trigger: { settings: { cron: string } }; rules: unknown[] };
      assert.equal(last.trigger.settings.cron, cron);
      assert.equal(last.rules.length, 1, 'the rules are kept');
    }
    assert.deepEqual(await upd.values(ref), { schedule: { kind: 'custom', cron: '0 30 2 * * 1-5' } });
    assert.throws(() => upd.form.schema.parse({ schedule: { kind: 'custom', cron: '0 3 * * *' } }), /Six fields/);
  });

  it('Dry Run lists the artifacts the rules would delete and deletes nothing; Run Now names the policy, the project and those artifacts, then deletes them', async () => {
    await create(admin);
    const ref = await policyRef(admin);
    const t = typeOf(admin, 'harborRetention');
    const before = h.state.artifacts.get('team-a/app')!.filter((a) => !a.child).length;
    const dry = listOf(await t.actions.find((a) => a.id === 'dryRun')!.run(ref));
    assert.match(dry.title, /Dry run of retention policy \d+ of team-a: 2 of 5 artifacts would be deleted/);
    const deleted = dry.items.filter((x) => x.startsWith('Delete: '));
    assert.equal(deleted.length, 2);
    assert.ok(deleted.some((x) => /^Delete: team-a\/app@sha256:[0-9a-f]{12} \(latest, 2\.0\)$/.test(x)), deleted.join('\n'));
    assert.ok(deleted.some((x) => /^Delete: team-a\/app@sha256:[0-9a-f]{12} \(untagged\)$/.test(x)));
    assert.ok(dry.items.some((x) => /^Retain: team-a\/tools\/cli@sha256:\w+ \(v1\)$/.test(x)));
    assert.equal(h.state.artifacts.get('team-a/app')!.filter((a) => !a.child).length, before, 'a dry run deletes nothing');
    assert.equal(retentionControl(h.state).executions.at(-1)!.dry_run, true);

    const runNow = t.actions.find((a) => a.id === 'runNow')!;
    const c = await runNow.confirm!(ref, ref);
    assert.match(c!.message, new RegExp(`Run retention policy ${ref.key} of project team-a now\\?`));
    assert.match(c!.detail!, /The dry run deletes 2 artifacts:\nteam-a\/app@sha256:\w+ \((latest, 2\.0|untagged)\)/);
    assert.equal(c!.button, 'Run Now');
    assert.ok(retentionControl(h.state).executions.every((e) => e.dry_run), 'the confirmation ran only a dry run');
    const done = await runNow.run(ref);
    assert.equal(done.kind, 'done');
    assert.deepEqual(
      h.state.artifacts.get('team-a/app')!.filter((a) => !a.child).map((a) => a.tags.map((x) => x.name).join(',')).sort(),
      ['1.0', '1.1'],
    );
    assert.equal(retentionControl(h.state).received.at(-1)!.body && (retentionControl(h.state).received.at(-1)!.body as { dry_run: boolean }).dry_run, false);
  });

  it('adds, edits, disables, enables and deletes rules, each saved with the whole policy', async () => {
    await create(admin);
    const ref = await policyRef(admin);
    const rules = typeOf(admin, 'harborRetentionRule');
    assert.deepEqual(rules.placement, { under: { type: 'harborRetention' } });
    const scope: Scope = { ...project, parent: ref };
    await rules.create!.run(scope, rule({ template: 'nDaysSinceLastPull', count: 30 }));
    let items = (await rules.list(scope)).items;
    assert.equal(items.length, 2);
    assert.equal(rules.view(items[1]!).label, '2. retain pulled within the last 30 days · repositories matching ** · tags matching ** (untagged too)');
    const second: ResourceRef = { type: 'harborRetentionRule', scope, key: rules.key(items[1]!) };
    const disable = rules.actions.find((a) => a.id === 'disable')!;
    assert.equal(disable.when!(items[1]!), true);
    await disable.run(second);
    const put = retentionControl(h.state).received.at(-1)!.body as { rules: { disabled: boolean }[] };
    assert.deepEqual(put.rules.map((r) => r.disabled), [false, true]);
    items = (await rules.list(scope)).items;
    assert.equal(rules.view(items[1]!).description, 'disabled');
    assert.equal(rules.actions.find((a) => a.id === 'enable')!.when!(items[1]!), true);
    assert.deepEqual(await rules.update!.values(second), { template: 'nDaysSinceLastPull', count: 30, repositoryDecoration: 'repoMatches', repositoryPattern: '**', tagDecoration: 'matches', tagPattern: '**', untagged: true, enabled: false });
    await rules.update!.run(second, rule({ template: 'nDaysSinceLastPush', count: 7, enabled: true }));
    items = (await rules.list(scope)).items;
    assert.match(rules.view(items[1]!).label, /^2\. retain pushed within the last 7 days/);
    await assert.rejects(rules.remove!.run(second), /changed or moved/, 'a key listed before the edit no longer matches');
    const fresh: ResourceRef = { type: 'harborRetentionRule', scope, key: rules.key(items[0]!) };
    const c = await rules.remove!.confirm(items[0]!, fresh);
    assert.match(c.message, /Delete rule 1 "retain the most recently pushed 2 artifacts .*" of the retention policy of project team-a\?/);
    await rules.remove!.run(fresh);
    assert.equal((await rules.list(scope)).items.length, 1);
  });

  it('checks rule forms: N is required by count and day templates, templates come from Harbor', async () => {
    const form = typeOf(admin, 'harborRetentionRule').create!.form;
    assert.throws(() => form.schema.parse(rule({ count: undefined })), /needs N/);
    assert.doesNotThrow(() => form.schema.parse(rule({ template: 'always', count: undefined })));
    const choices = await form.choices!.template!.load(project, '');
    assert.deepEqual(choices.map((c) => c.value), ['latestPushedK', 'latestPulledN', 'nDaysSinceLastPush', 'nDaysSinceLastPull', 'always']);
    await create(admin);
    const ref = await policyRef(admin);
    const verdict = await typeOf(admin, 'harborRetentionRule').create!.verify!({ ...project, parent: ref }, rule({ template: 'latestK' }));
    assert.equal(verdict.ok, false);
    assert.match(verdict.summary, /no template "latestK"/);
  });

  it('lists executions with their tasks and logs, and stops a running one', async () => {
    await create(admin);
    const ref = await policyRef(admin);
    const scope: Scope = { ...project, parent: ref };
    await typeOf(admin, 'harborRetention').actions.find((a) => a.id === 'dryRun')!.run(ref);
    retentionControl(h.state).hold = true;
    await typeOf(admin, 'harborRetention').actions.find((a) => a.id === 'runNow')!.run(ref);
    const ex = typeOf(admin, 'harborRetentionExecution');
    const [running, dry] = (await ex.list(scope)).items;
    assert.match(ex.view(running!).label, /· run$/);
    assert.match(ex.view(running!).description!, /^Running · /);
    assert.match(ex.view(dry!).label, /· dry run$/);
    const stop = ex.actions.find((a) => a.id === 'stop')!;
    assert.equal(stop.when!(running!), true);
    assert.equal(stop.when!(dry!), false);
    const runningRef: ResourceRef = { type: 'harborRetentionExecution', scope, key: ex.key(running!) };
    assert.match((await stop.confirm!(running!, runningRef))!.message, /Stop execution \d+ of the retention policy of project team-a\?/);
    await stop.run(runningRef);
    assert.match(ex.view((await ex.list(scope)).items[0]!).description!, /^Stopped/);
    assert.equal(h.state.artifacts.get('team-a/app')!.filter((a) => !a.child).length, 4, 'a stopped run deleted nothing');

    const dryRef: ResourceRef = { type: 'harborRetentionExecution', scope, key: ex.key(dry!) };
    const tasks = typeOf(admin, 'harborRetentionTask');
    const taskScope: Scope = { ...project, parent: dryRef };
    const list = (await tasks.list(taskScope)).items;
    assert.deepEqual(list.map((x) => tasks.view(x).label).sort(), ['team-a/app', 'team-a/tools/cli']);
    const app = list.find((x) => x.repository === 'team-a/app')!;
    assert.equal(tasks.view(app).description, 'Success · retained 2 of 4');
    const log = listOf(await tasks.actions.find((a) => a.id === 'log')!.run({ type: 'harborRetentionTask', scope: taskScope, key: tasks.key(app) }));
    assert.match(log.title, /Task \d+ of execution \d+ of retention policy \d+: 2 of 4 artifacts deleted/);
    const result = listOf(await ex.actions.find((a) => a.id === 'result')!.run(dryRef));
    assert.equal(result.items.filter((x) => x.startsWith('Delete: ')).length, 2);
  });

  it('needs the tag-retention permission: a maintainer may, a guest is refused with what it needs', async () => {
    const mara = as('mara', 'mara-password');
    await create(mara);
    const ref = await policyRef(mara);
    listOf(await typeOf(mara, 'harborRetention').actions.find((a) => a.id === 'dryRun')!.run(ref));
    assert.equal(await typeOf(mara, 'harborRetention').available!(project), true);
    assert.equal(await typeOf(as(HARBOR_ROBOT.username, HARBOR_ROBOT.password), 'harborRetention').available!(project), false, 'Harbor refuses robots the project that holds the policy id');
    const guest = as('guest', 'guest-password');
    const err = await typeOf(guest, 'harborRetention').list(project).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof ForbiddenError, String(err));
    assert.match(err.message, /tag-retention/);
  });

  it('says so when a task log has no table or the project names an invalid policy id, instead of an empty result', async () => {
    await create(admin);
    const ref = await policyRef(admin);
    h.fault({ path: /\/tasks\/\d+$/, body: 'job log rotated', times: 10 });
    const dry = listOf(await typeOf(admin, 'harborRetention').actions.find((a) => a.id === 'dryRun')!.run(ref));
    assert.ok(dry.items.some((x) => /^team-a\/app: the log of task \d+ has no table of artifacts/.test(x)), dry.items.join('\n'));
    h.clearFaults();
    h.state.projects.get('team-a')!.metadata.retention_id = '../1';
    await assert.rejects(typeOf(admin, 'harborRetention').list(project), /Invalid retention id of the project/);
  });

  it('answers "still running" when the dry run does not finish in time, and Run Now says what it deletes is not known', async () => {
    await create(admin);
    const ref = await policyRef(admin);
    const saved = { ...WAIT };
    Object.assign(WAIT, { totalMs: 150, stepMs: 50 });
    retentionControl(h.state).hold = true;
    try {
      const t = typeOf(admin, 'harborRetention');
      const dry = listOf(await t.actions.find((a) => a.id === 'dryRun')!.run(ref));
      assert.match(dry.title, /^Dry run \d+ of retention policy \d+ of team-a is still running$/);
      assert.deepEqual(dry.items, []);
      const c = await t.actions.find((a) => a.id === 'runNow')!.confirm!(ref, ref);
      assert.match(c!.detail!, /did not finish; what the run deletes is not known yet/);
    } finally {
      Object.assign(WAIT, saved);
    }
  });

  it('reads the table of a Harbor task log, skipping the empty rows Harbor writes first', () => {
    const log = [
      '2024-06-01T00:00:00Z [INFO] [/pkg/retention/job.go:113]: ',
      '|  DIGEST   |    TAG     | KIND  | LABELS |     PUSHEDTIME      | PULLEDTIME | CREATEDTIME | RETENTION |',
      '|-----------|------------|-------|--------|---------------------|------------|-------------|-----------|',
      '|           |            |       |        |                     |            |             |           |',
      '| sha256:ab | latest,1.0 | image |        | 2024/06/01 00:00:00 |            |             | RETAIN    |',
      '| sha256:cd |            | image |        | 2023/01/01 00:00:00 |            |             | DEL       |',
    ].join('\n');
    assert.deepEqual(parseTaskLog(log), [
      { digest: 'sha256:ab', tags: 'latest,1.0', retention: 'RETAIN', pushed: '2024/06/01 00:00:00' },
      { digest: 'sha256:cd', tags: '', retention: 'DEL', pushed: '2023/01/01 00:00:00' },
    ]);
    assert.equal(parseTaskLog('no table here'), undefined);
  });
});
