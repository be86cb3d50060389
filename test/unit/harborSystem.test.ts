import * as assert from 'node:assert/strict';
import type { NodeRef, Outcome, ResourceRef } from '../../src/registry/admin';
import { ForbiddenError, ServerError } from '../../src/registry/errors';
import { describeForm } from '../../src/registry/formSpec';
import type { HarborProvider } from '../../src/registry/harbor/provider';
import { HARBOR_ROBOT } from '../servers/harborSeed';
import type { HarborServer } from '../servers/harborServer';
import { UNREACHABLE, systemOf } from '../servers/harbor/system';
import type { Driven } from '../support/adminDriver';
import { adminType, harborProvider, seededHarbor } from '../support/harborSignIn';

function action(t: Driven, id: string) {
  const a = t.actions.find((x) => x.id === id);
  assert.ok(a, `no action ${id}`);
  return a;
}

const SYSTEM_TYPES = ['systemRobot', 'registryEndpoint', 'scanner', 'replicationPolicy', 'gcSchedule'];

describe('Harbor system administration', () => {
  let h: HarborServer;
  let admin: HarborProvider;
  const f = seededHarbor();
  beforeEach(() => {
    ({ h, admin } = f);
  });

  it('is in Administration for system administrators, hidden without an error for users, robots and anonymous callers', async () => {
    for (const type of SYSTEM_TYPES) {
      const t = adminType(admin, type);
      assert.deepEqual(t.placement, { under: 'registry', group: 'administration' }, type);
      assert.equal(await t.available!({}), true, type);
    }
    assert.equal(h.requests.filter((r) => r.path === '/api/v2.0/users/current').length, 1, 'asked once, then remembered');
    for (const user of [{ username: 'alice', password: 'alice-password' }, HARBOR_ROBOT, undefined]) {
      const p = harborProvider(h, user);
      try {
        for (const type of SYSTEM_TYPES) assert.equal(await adminType(p, type).available!({}), false, `${type} for ${user?.username ?? 'anonymous'}`);
        // Harbor refuses them anyway: 403, said as such.
        if (user?.username === 'alice') await assert.rejects(adminType(p, 'registryEndpoint').list({}), (e: Error) => e instanceof ForbiddenError && /system administrator/.test(e.message));
      } finally {
        p.dispose();
      }
    }
    assert.ok(!h.requests.some((r) => r.path === '/api/v2.0/users/current' && r.status === 412), 'a robot is never asked who it is');
  });

  it('counts a member of the LDAP or OIDC admin group (admin_role_in_auth) as a system administrator', async () => {
    h.fault({ path: /\/users\/current$/, method: 'GET', status: 200, body: { user_id: 7, username: 'alice', sysadmin_flag: false, admin_role_in_auth: true }, times: 1 });
    const p = harborProvider(h, { username: 'alice', password: 'alice-password' });
    try {
      assert.equal(await adminType(p, 'gcSchedule').available!({}), true);
    } finally {
      p.dispose();
    }
  });

  it('registry endpoints: list, add with a type from Harbor after a ping, edit keeping the secret, test, delete', async () => {
    const eps = adminType(admin, 'registryEndpoint');
    const listed = (await eps.list({})).items;
    assert.deepEqual(listed.map((e) => eps.view(e).label), ['docker-hub', 'backup']);
    assert.match(eps.view(listed[1]!).description!, /harbor · https:\/\/backup\.example\.com · healthy/);

    const form = eps.create!.form;
    const fields = describeForm(form.schema, form.choices).fields;
    assert.equal(fields.find((f) => f.name === 'accessSecret')!.secret, true);
    assert.deepEqual(fields.find((f) => f.name === 'type')!.choices, { key: 'type', freeText: false });
    assert.deepEqual((await form.choices!.type!.load({}, 'do')).map((c) => c.value), ['docker-hub', 'docker-registry']);

    const good = { type: 'quay', name: 'quay-mirror', url: 'https://quay.example.com', accessKey: 'bot', accessSecret: 'quay-secret', insecure: false };
    assert.deepEqual(await eps.create!.verify!({}, good), { ok: true, summary: 'Harbor reached https://quay.example.com.' });
    const bad = await eps.create!.verify!({}, { ...good, url: `https://${UNREACHABLE}` });
    assert.equal(bad.ok, true);
    assert.match(bad.summary, /could not reach/);
    assert.match(bad.confirm!.message, /Save endpoint quay-mirror anyway\?/);
    await assert.rejects(eps.create!.run({}, { ...good, url: 'javascript:alert(1)' }));

    await eps.create!.run({}, good);
    const added = [...systemOf(h.state).endpoints.values()].find((e) => e.name === 'quay-mirror')!;
    assert.equal(added.secret, 'quay-secret');
    const ref: ResourceRef = { type: 'registryEndpoint', scope: {}, key: String(added.id) };
    const values = await eps.update!.values(ref);
    assert.equal(values.accessSecret, undefined, 'the stored secret is never put in the form');
    await eps.update!.run(ref, { ...values, description: 'Quay mirror' });
    assert.equal(added.description, 'Quay mirror');
    assert.equal(added.secret, 'quay-secret', 'an empty secret keeps the stored one');
    assert.match((await action(eps, 'ping').run(ref)).kind, /done/);

    const c = await eps.remove!.confirm(await eps.get(ref), ref);
    assert.equal(c.message, 'Delete registry endpoint quay-mirror (https://quay.example.com)?');
    await eps.remove!.run(ref);
    assert.ok(!systemOf(h.state).endpoints.has(added.id));
    // Harbor refuses to delete an endpoint a policy uses, and says why.
    await assert.rejects(eps.remove!.run({ type: 'registryEndpoint', scope: {}, key: '2' }), /used by a replication policy/);
  });

  it('replication: a policy read with source, destination, filters and trigger; executed, stopped, its tasks listed', async () => {
    const policies = adminType(admin, 'replicationPolicy');
    const p = (await policies.list({})).items[0]!;
    assert.equal(policies.view(p).description, 'this Harbor → backup (https://backup.example.com) · scheduled (0 0 2 * * *)');
    const ref: ResourceRef = { type: 'replicationPolicy', scope: {}, key: policies.key(p) };
    const details = (await action(policies, 'details').run(ref)) as Extract<Outcome, { kind: 'list' }>;
    assert.equal(details.kind, 'list');
    assert.ok(details.items.includes('Filter: name matches team-a/**'));
    assert.ok(details.items.includes('Filter: tag excludes v*'));
    assert.ok(details.items.includes('Destination namespace: team-a-copy'));
    assert.match((await action(policies, 'execute').confirm!(p, ref))!.message, /Run replication policy mirror-team-a now\?/);
    await action(policies, 'execute').run(ref);

    const executions = adminType(admin, 'replicationExecution');
    assert.deepEqual(executions.placement, { under: { type: 'replicationPolicy' } });
    const under = { parent: ref };
    const list = (await executions.list(under)).items;
    assert.equal(list.length, 2);
    const running = list[0]!;
    assert.equal(running.status, 'InProgress', 'newest first');
    assert.ok(h.requests.some((r) => r.path === '/api/v2.0/replication/executions' && new URLSearchParams(r.query).get('policy_id') === String(p.id)));
    const stop = action(executions, 'stop');
    assert.equal(stop.when!(running), true);
    assert.equal(stop.when!(list[1]!), false, 'no Stop on a finished execution');
    const eref: ResourceRef = { type: 'replicationExecution', scope: under, key: executions.key(running) };
    const tasks = (await action(executions, 'tasks').run(eref)) as Extract<Outcome, { kind: 'list' }>;
    assert.deepEqual(tasks.items, ['InProgress · copy image team-a/app:[latest] → team-a-copy/app:[latest]']);
    await stop.run(eref);
    assert.equal((await executions.get(eref)).status, 'Stopped');
  });

  it('garbage collection: schedule shown and edited, run now (a dry run without asking), history with the log of a run', async () => {
    const gc = adminType(admin, 'gcSchedule');
    const node: NodeRef = { type: 'gcSchedule', scope: {} };
    assert.match(gc.view(await gc.get(node)).description!, /^Daily · next 2030/);
    const values = await gc.update!.values(node);
    assert.deepEqual(values, { type: 'Daily', cron: undefined, deleteUntagged: false, workers: 1 });
    await assert.rejects(gc.update!.run(node, { type: 'Custom', cron: '0 3 * * *' }), /six fields/);
    await gc.update!.run(node, { type: 'Custom', cron: '0 0 3 * * *', deleteUntagged: true, workers: 2 });
    assert.deepEqual(systemOf(h.state).schedule, { type: 'Custom', cron: '0 0 3 * * *', parameters: { delete_untagged: true, workers: 2 } });
    assert.equal((await gc.update!.values(node)).type, 'Custom');
    await gc.update!.run(node, { type: 'None' });
    assert.equal(systemOf(h.state).schedule, undefined);
    assert.equal(gc.view(await gc.get(node)).description, 'not scheduled');
    // No schedule: Harbor answers 200 with no body.
    h.fault({ path: /\/system\/gc\/schedule$/, method: 'GET', status: 200, body: '', times: 2 });
    assert.equal(gc.view(await gc.get(node)).description, 'not scheduled');
    assert.equal((await gc.update!.values(node)).type, 'None');

    const run = action(gc, 'runNow');
    const item = await gc.get(node);
    assert.equal(await run.confirm!(item, node, { dryRun: true }), undefined, 'a dry run deletes nothing: no confirmation');
    const c = await run.confirm!(item, node, { deleteUntagged: true });
    assert.match(c!.message, new RegExp(`Run garbage collection on ${h.url.replace(/\./g, '\\.')} now\\?`));
    assert.match(c!.detail!, /every untagged artifact/);
    await run.run(node, { dryRun: true });
    const post = h.requests.filter((r) => r.method === 'POST' && r.path === '/api/v2.0/system/gc/schedule');
    assert.equal(post.length, 1);

    const history = adminType(admin, 'gcRun');
    assert.deepEqual(history.placement, { under: { type: 'gcSchedule' } });
    const runs = (await history.list({})).items;
    assert.equal(runs.length, 2);
    assert.match(history.view(runs[0]!).description!, /Manual · .* · dry run/);
    const log = await action(history, 'log').run({ type: 'gcRun', scope: {}, key: history.key(runs[0]!) });
    assert.equal(log.kind, 'file');
    const file = log as Extract<Outcome, { kind: 'file' }>;
    assert.equal(file.fileName, `gc-${String(runs[0]!.id)}.log`);
    assert.match(file.content, /^garbage collection \d+: dry run, 3 blobs/);
    assert.match(file.content, /<script>not html<\/script>\n$/, 'the text as Harbor sent it, not JSON');

    const stop = action(history, 'stop');
    assert.equal(stop.when!(runs[0]!), true, 'the new run is running');
    assert.equal(stop.when!(runs[1]!), false);
    const stopRef: ResourceRef = { type: 'gcRun', scope: {}, key: history.key(runs[0]!) };
    assert.match((await stop.confirm!(runs[0]!, stopRef))!.message, new RegExp(`Stop garbage collection ${String(runs[0]!.id)}\\?`));
    await stop.run(stopRef);
    assert.equal((await history.list({})).items[0]!.job_status, 'Stopped');
  });

  it('scanners: the default marked, health from the adapter metadata, set as default', async () => {
    const scanners = adminType(admin, 'scanner');
    const list = (await scanners.list({})).items;
    assert.deepEqual(list.map((s) => scanners.view(s).description), ['default', '']);
    const setDefault = action(scanners, 'setDefault');
    assert.equal(setDefault.when!(list[0]!), false);
    const clair: ResourceRef = { type: 'scanner', scope: {}, key: 'clair-uuid' };
    const health = await action(scanners, 'health').run({ type: 'scanner', scope: {}, key: 'trivy-uuid' });
    assert.equal((health as { message: string }).message, 'Scanner Trivy answers: Trivy v0.50.0 by Aqua Security; scans for vulnerability');
    await assert.rejects(action(scanners, 'health').run(clair), (e: Error) => e instanceof ServerError && /connection refused/.test(e.message));
    assert.match((await setDefault.confirm!(list[1]!, clair))!.message, /Make Clair the default scanner\?/);
    await setDefault.run(clair);
    assert.deepEqual((await scanners.list({})).items.map((s) => s.is_default), [false, true]);
  });
});
