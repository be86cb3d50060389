import * as assert from 'node:assert/strict';
import { request } from 'undici';
import * as z from 'zod';
import type { ResourceRef } from '../../src/registry/admin';
import { pollMirroringBody, pushMirroringBody } from '../../src/registry/dtr/bodies';
import { loadDtrSpec, mendDtrSpec } from '../servers/dtrSpec';
import { seedDemo, startDtrServer, type DtrServer } from '../servers/dtrServer';
import { dtrProvider } from '../support/dtrFixture';
import { action, core, create, listType, run as runAction, singletonType, tagAction, update, valuesOf, verifyCreate } from './dtrModel';
import * as s from '../../src/registry/dtr/schemas';
import { specInstance } from '../support/specInstances';
import { Swagger2Validator } from '../support/swagger2';

/**
 * Contract test of the fake DTR: a tour through every operation it implements, with each response body validated
 * against the (mended) Swagger 2.0 document by the fake itself; request bodies the forms refuse are refused; and
 * the defects mended in test/servers/dtrSpec.ts are real defects of the published text.
 */
const implemented = [
  'GET /api/v0/meta/features',
  'GET /api/v0/meta/cluster_status',
  'GET /api/v0/meta/alerts',
  'GET /api/v0/index/autocomplete',
  'GET /api/v0/repositories',
  'POST /api/v0/repositories/scan/toggle',
  'GET /api/v0/repositories/{namespace}',
  'POST /api/v0/repositories/{namespace}',
  'GET /api/v0/repositories/{namespace}/{reponame}',
  'PATCH /api/v0/repositories/{namespace}/{reponame}',
  'DELETE /api/v0/repositories/{namespace}/{reponame}',
  'GET /api/v0/repositories/{namespace}/{reponame}/tags',
  'GET /api/v0/repositories/{namespace}/{reponame}/tags/{reference}',
  'DELETE /api/v0/repositories/{namespace}/{reponame}/tags/{reference}',
  'DELETE /api/v0/repositories/{namespace}/{reponame}/manifests/{reference}',
  'GET /api/v0/repositories/{namespace}/{reponame}/manifests',
  'POST /api/v0/repositories/{namespace}/{reponame}/tags/{tag}/promotion',
  'POST /api/v0/repositories/{namespace}/{reponame}/tags/{tag}/pushMirroring',
  'GET /api/v0/repositories/{namespace}/{reponame}/events',
  'GET /api/v0/repositories/{namespace}/{reponame}/webhooks',
  'GET /api/v0/repositories/{namespace}/{reponame}/teamAccess',
  'PUT /api/v0/repositories/{namespace}/{reponame}/teamAccess/{teamname}',
  'DELETE /api/v0/repositories/{namespace}/{reponame}/teamAccess/{teamname}',
  'GET /api/v0/repositoryNamespaces/{namespace}/teamAccess',
  'GET /api/v0/repositoryNamespaces/{namespace}/teamAccess/{teamname}',
  'PUT /api/v0/repositoryNamespaces/{namespace}/teamAccess/{teamname}',
  'DELETE /api/v0/repositoryNamespaces/{namespace}/teamAccess/{teamname}',
  'GET /api/v0/accounts/{username}/repositoryAccess/{namespace}/{reponame}',
  'GET /api/v0/accounts/{namespace}/webhooks',
  'GET /api/v0/webhooks',
  'POST /api/v0/webhooks',
  'POST /api/v0/webhooks/test',
  'POST /api/v0/webhooks/update',
  'DELETE /api/v0/webhooks/{webhook}',
  'GET /api/v0/api_tokens',
  'POST /api/v0/api_tokens',
  'GET /api/v0/api_tokens/{hashedtoken}',
  'PATCH /api/v0/api_tokens/{hashedtoken}',
  'DELETE /api/v0/api_tokens/{hashedtoken}',
  'GET /api/v0/imagescan/status',
  'GET /api/v0/imagescan/layeroverride',
  'POST /api/v0/imagescan/layeroverride/{layerid}',
  'DELETE /api/v0/imagescan/layeroverride/{layerid}',
  'POST /api/v0/imagescan/scansummary/tags',
  'GET /api/v0/imagescan/scansummary/repositories/{namespace}/{reponame}/{reference}',
  'GET /api/v0/imagescan/scansummary/repositories/{namespace}/{reponame}/{tag}/export',
  'POST /api/v0/imagescan/scan/{namespace}/{reponame}/{tag}/{os}/{arch}',
  'GET /api/v0/jobs',
  'GET /api/v0/jobs/{jobID}/logs',
  'POST /api/v0/jobs/{jobID}/cancel',
  'GET /api/v0/crons',
  ...['pruningPolicies', 'promotionPolicies', 'pollMirroringPolicies', 'pushMirroringPolicies'].flatMap((k) => {
    const id = `{${k.slice(0, -'ies'.length).toLowerCase()}yid}`;
    return [`GET /api/v0/repositories/{namespace}/{reponame}/${k}`, `POST /api/v0/repositories/{namespace}/{reponame}/${k}`, `GET /api/v0/repositories/{namespace}/{reponame}/${k}/${id}`, `PUT /api/v0/repositories/{namespace}/{reponame}/${k}/${id}`, `DELETE /api/v0/repositories/{namespace}/{reponame}/${k}/${id}`];
  }),
  'POST /api/v0/repositories/{namespace}/{reponame}/pruningPolicies/test',
];

async function tour(dtr: DtrServer): Promise<void> {
  const alice = dtrProvider(dtr, 'alice', 'alice-password');
  const admin = dtrProvider(dtr, 'admin', 'admin-password');
  const scope = { namespace: 'engineering', repository: 'engineering/api' };
  try {
    await admin.ping();
    await alice.listNamespaces(undefined);
    for (const ns of ['engineering', undefined]) await alice.listRepositories(ns, undefined);
    await alice.listTags('engineering/api', undefined);
    await alice.getScanReport('engineering/api', 'latest');
    await alice.client.get('/api/v0/repositories/engineering/api/manifests', z.array(z.unknown()), 'manifests');
    const repository = core(alice.admin, 'repository');
    await create(core(alice.admin, 'namespace'), { namespace: 'engineering' }, { name: 'tour' });
    const tourRef: ResourceRef = { type: 'repository', scope: { namespace: 'engineering', repository: 'engineering/tour' }, key: 'engineering/tour' };
    await update(repository, tourRef, await valuesOf(repository, tourRef));
    dtr.addTag('engineering/tour', { name: 'a' });
    dtr.addTag('engineering/tour', { name: 'b' });
    await alice.deleteTag(await alice.planDeleteTag('engineering/tour', 'a'));
    await alice.deleteTag(await alice.planDeleteManifest('engineering/tour', 'b'));
    await repository.remove!.run(tourRef);
    const tag: ResourceRef = { type: 'tag', scope: { ...scope, tag: 'latest' }, key: 'latest' };
    const act = (id: string) => tagAction(alice.admin, id);
    await runAction(act('promote'), tag, { targetRepository: 'engineering/web', targetTag: 'tour' });
    await runAction(act('pushMirror'), tag, { remoteHost: 'https://r.example.com', remoteRepository: 'a/b', remoteTag: 't', username: 'u', credentials: { auth: 'token', authToken: 'x' } });
    await runAction(act('scan'), tag);
    await runAction(act('exportScanSummary'), tag, { format: 'json', platform: 'linux/amd64' });
    await runAction(act('exportScanSummary'), tag, { format: 'csv', platform: 'linux/arm64' });
    const rules = [{ field: 'tag', operator: 'eq', values: ['x'] }];
    const remote = { remoteHost: 'https://r.example.com', remoteRepository: 'a/b', username: 'u', credentials: { auth: 'password', password: 'p' } };
    for (const [t, values] of [
      ['pruningPolicy', { rules }],
      ['promotionPolicy', { targetRepository: 'engineering/web', rules }],
      ['pollMirroringPolicy', remote],
      ['pushMirroringPolicy', { ...remote, rules }],
    ] as const) {
      const rt = listType(alice.admin, t);
      if (rt.create!.form.verify) await verifyCreate(rt, scope, values);
      await create(rt, scope, values);
      const item = (await rt.list(scope, undefined)).items[0];
      const ref: ResourceRef = { type: t, scope, key: rt.key(item) };
      await update(rt, ref, await valuesOf(rt, ref));
      await rt.remove!.run(ref);
    }
    const rta = listType(alice.admin, 'repositoryTeamAccess');
    await create(rta, scope, { team: 'qa', accessLevel: 'read-only' });
    await rta.list(scope, undefined);
    await rta.remove!.run({ type: rta.type, scope, key: 'qa' });
    const nta = listType(alice.admin, 'namespaceTeamAccess');
    await create(nta, { namespace: 'engineering' }, { team: 'qa', accessLevel: 'read-only' });
    await nta.list({ namespace: 'engineering' }, undefined);
    await alice.client.get('/api/v0/repositoryNamespaces/engineering/teamAccess/qa', z.unknown(), 'team access');
    await nta.remove!.run({ type: nta.type, scope: { namespace: 'engineering' }, key: 'qa' });
    await singletonType(alice.admin, 'myRepositoryAccess').get({ type: 'myRepositoryAccess', scope });
    for (const [t, s] of [['repositoryWebhook', scope], ['namespaceWebhook', { namespace: 'engineering' }]] as const) {
      const wt = listType(alice.admin, t);
      await create(wt, s, { type: 'TAG_PUSH', endpoint: 'https://h.example.com' });
      const w = (await wt.list(s, undefined)).items[0];
      const ref: ResourceRef = { type: t, scope: s, key: wt.key(w) };
      await runAction(action(wt.actions, 'test'), ref);
      await update(wt, ref, await valuesOf(wt, ref));
      await wt.remove!.run(ref);
    }
    await alice.client.get('/api/v0/webhooks', z.unknown(), 'webhooks');
    await listType(alice.admin, 'repositoryEvent').list(scope, undefined);
    const tokens = listType(alice.admin, 'apiToken');
    await create(tokens, {}, { tokenLabel: 'tour' });
    const tok = (await tokens.list({}, undefined)).items[0];
    const tref: ResourceRef = { type: 'apiToken', scope: {}, key: tokens.key(tok) };
    await update(tokens, tref, await valuesOf(tokens, tref));
    await tokens.remove!.run(tref);
    const jobs = listType(admin.admin, 'job');
    const job = (await jobs.list({}, undefined)).items.find((j) => (j as { status: string }).status === 'running');
    const jref: ResourceRef = { type: 'job', scope: {}, key: jobs.key(job) };
    await runAction(action(jobs.actions, 'logs'), jref);
    await runAction(action(jobs.actions, 'cancel'), jref);
    await listType(admin.admin, 'cron').list({}, undefined);
    const scanner = singletonType(admin.admin, 'scanner');
    await scanner.get({ type: 'scanner', scope: {} });
    await runAction(scanner.actions![0]!, { type: 'scanner', scope: {} });
    const lo = listType(admin.admin, 'layerOverride');
    const v = (await admin.getScanReport('engineering/web', 'stable')).vulnerabilities[0]!;
    await create(lo, {}, { layer: v.layer, component: v.packageName, cve: v.id });
    await admin.getScanReport('engineering/web', 'stable');
    await lo.remove!.run({ type: lo.type, scope: {}, key: lo.key((await lo.list({}, undefined)).items[0]) });
  } finally {
    alice.dispose();
    admin.dispose();
  }
}

describe('DTR contract (fake vs dtr-api.json)', () => {
  let dtr: DtrServer;
  before(async () => {
    dtr = await startDtrServer({ validateResponses: true });
    seedDemo(dtr);
  });
  after(() => dtr.close());

  it('answers every implemented operation with bodies the spec allows', async () => {
    await tour(dtr);
    assert.deepEqual(dtr.violations, []);
    const missing = implemented.filter((op) => !dtr.answered.has(op));
    assert.deepEqual(missing, [], 'operations the tour did not reach');
    assert.ok(dtr.answered.size >= implemented.length);
  });

  it('refuses request bodies the forms refuse (400 with the reason)', async () => {
    const auth = { authorization: `Basic ${Buffer.from('alice:alice-password').toString('base64')}`, 'content-type': 'application/json' };
    const send = async (method: 'POST' | 'PATCH' | 'PUT', path: string, body: unknown) => {
      const res = await request(`${dtr.url}${path}`, { method, headers: auth, body: JSON.stringify(body) });
      return { status: res.statusCode, text: await res.body.text() };
    };
    // CreateRepo: every field is required.
    let r = await send('POST', '/api/v0/repositories/engineering', { name: 'only-a-name' });
    assert.equal(r.status, 400);
    assert.match(r.text, /shortDescription/);
    // UpdateRepo: immutableTags is required even on PATCH.
    r = await send('PATCH', '/api/v0/repositories/engineering/api', { shortDescription: 'x' });
    assert.equal(r.status, 400);
    assert.match(r.text, /immutableTags/);
    // Access: an access level outside the enum.
    r = await send('PUT', '/api/v0/repositories/engineering/api/teamAccess/qa', { accessLevel: 'owner' });
    assert.equal(r.status, 400);
    // Webhook: tlsCert and skipTLSVerification are required.
    r = await send('POST', '/api/v0/webhooks', { type: 'TAG_PUSH', key: 'engineering/api', endpoint: 'https://h.example.com' });
    assert.equal(r.status, 400);
    // Mirroring: neither a password nor a token.
    r = await send('POST', '/api/v0/repositories/engineering/api/tags/latest/pushMirroring', { remoteHost: 'h', remoteRepository: 'a/b', remoteCA: '', skipTLSVerification: false, remoteTag: 't', username: 'u' });
    assert.equal(r.status, 400);
    assert.match(r.text, /password or authToken/);
    // Rules: an operator the field does not take.
    r = await send('POST', '/api/v0/repositories/engineering/api/pruningPolicies', { enabled: true, rules: [{ field: 'updated_at', operator: 'eq', values: ['x'] }] });
    assert.equal(r.status, 400);
    // Not JSON.
    const raw = await request(`${dtr.url}/api/v0/webhooks`, { method: 'POST', headers: auth, body: '{' });
    assert.equal(raw.statusCode, 400);
    await raw.body.text();
  });

  it('the client bodies match even the published forms (all CreateRepo fields, immutableTags on PATCH, both credential fields)', () => {
    const v = new Swagger2Validator(loadDtrSpec());
    const mirror = pushMirroringBody({ remoteHost: 'h', remoteRepository: 'a/b', remoteCA: '', skipTLSVerification: false, username: 'u', password: 'p', rules: [], tagTemplate: '%n', enabled: true });
    assert.deepEqual(v.validateRequestBody('POST', '/api/v0/repositories/a/b/pushMirroringPolicies', mirror), []);
    const poll = pollMirroringBody({ remoteHost: 'h', remoteRepository: 'a/b', remoteCA: '', skipTLSVerification: false, username: 'u', authToken: 't', enabled: true });
    assert.deepEqual(v.validateRequestBody('POST', '/api/v0/repositories/a/b/pollMirroringPolicies', poll), []);
  });

  it('the mended defects are defects of the published document', () => {
    const pristine = new Swagger2Validator(loadDtrSpec());
    const mended = new Swagger2Validator(mendDtrSpec(loadDtrSpec()));
    const promotion = { promotionPolicyID: '', sourceRepository: 'a/b', sourceTag: 't' };
    const path = '/api/v0/repositories/a/b/tags/t/promotion';
    assert.match(JSON.stringify(pristine.validateResponse('POST', path, 201, promotion).issues), /\$\.string/);
    assert.deepEqual(mended.validateResponse('POST', path, 201, promotion).issues, []);
    const team = pristine.doc.definitions!['responses.Team']!;
    assert.equal('name' in (team.properties ?? {}), false);
    const form = pristine.doc.definitions!['forms.CreateMirroring']!;
    assert.ok(form.required!.includes('password') && form.required!.includes('authToken'));
    assert.equal('vuln_summary' in (pristine.doc.definitions!['responses.ListTag']!.properties ?? {}), false);
    const exportPath = '/api/v0/imagescan/scansummary/repositories/a/b/t/export';
    assert.throws(() => pristine.validateResponse('GET', exportPath, 200, []), /declares no 200/);
    assert.deepEqual(mended.validateResponse('GET', exportPath, 200, []).issues, []);
  });
});

describe('DTR response schemas vs dtr-api.json', () => {
  // Each definition the provider reads, and the zod schema that reads it.
  const pairs: [string, z.ZodType][] = [
    ['responses.Repository', s.repository],
    ['responses.Repositories', s.repositories],
    ['responses.ListTag', s.listTag],
    ['responses.Manifest', s.manifest],
    ['responses.Features', s.features],
    ['responses.ClusterStatus', s.clusterStatus],
    ['responses.Alert', s.alerts.element],
    ['responses.Account', s.account],
    ['responses.Autocomplete', s.autocomplete],
    ['responses.Team', s.team],
    ['responses.TeamAccess', s.teamAccess],
    ['responses.ListRepoTeamAccess', s.repoTeamAccessList],
    ['responses.ListRepoNamespaceTeamAccess', s.namespaceTeamAccessList],
    ['responses.NamespaceTeamAccess', s.namespaceTeamAccess],
    ['responses.RepoUserAccess', s.repoUserAccess],
    ['responses.PruningPolicy', s.pruningPolicy],
    ['responses.PromotionPolicy', s.promotionPolicy],
    ['responses.PollMirroringPolicy', s.pollMirroringPolicy],
    ['responses.PushMirroringPolicy', s.pushMirroringPolicy],
    ['responses.Promotion', s.promotion],
    ['responses.Mirroring', s.mirroring],
    ['responses.Webhook', s.webhook],
    ['responses.Events', s.events],
    ['responses.APIToken', s.apiToken],
    ['responses.NewAPIToken', s.newApiToken],
    ['responses.ThinScanSummaries', s.thinScanSummaries],
    ['responses.ScanSummary', s.scanSummary],
  ];
  const doc = mendDtrSpec(loadDtrSpec());
  for (const [name, schema] of pairs) {
    it(`accepts every ${name} the document allows (all properties, and only the required ones)`, () => {
      const def = doc.definitions![name];
      assert.ok(def, `${name} is in the document`);
      for (const mode of ['all', 'required'] as const) {
        const r = schema.safeParse(specInstance(def, doc, mode));
        assert.ok(r.success, `${name} (${mode}): ${r.success ? '' : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      }
    });
  }
});
