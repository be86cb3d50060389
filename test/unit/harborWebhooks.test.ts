import * as assert from 'node:assert/strict';
import * as z from 'zod';
import type { ResourceRef, Scope } from '../../src/registry/admin';
import { silentLogger } from '../../src/registry/context';
import { ForbiddenError } from '../../src/registry/errors';
import { webhookCreateForm, webhookUpdateForm } from '../../src/registry/harbor/admin/webhooks';
import { HarborProvider } from '../../src/registry/harbor/provider';
import { addUser } from '../servers/harborData';
import { HARBOR_ADMIN, seedHarbor } from '../servers/harborSeed';
import { type HarborServer, startHarborServer } from '../servers/harborServer';
import { addWebhookExecution, webhookControl } from '../servers/harbor/webhooks';
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
const SECRET = 'Bearer s3cr3t-header-value';
const values = (o: Record<string, unknown> = {}) => ({
  name: 'ci-notify',
  description: 'Tells CI',
  eventTypes: ['PUSH_ARTIFACT', 'SCANNING_COMPLETED'],
  notifyType: 'http',
  address: 'https://hooks.example.com/harbor/T0KEN?x=1',
  skipCertVerify: false,
  payloadFormat: 'CloudEvents',
  enabled: true,
  auth: { kind: 'header', authHeader: SECRET },
  ...o,
});

describe('Harbor webhooks', () => {
  let h: HarborServer;
  let admin: HarborProvider;
  const providers: HarborProvider[] = [];
  const as = (name: string, password: string) => {
    const p = provider(h, { username: name, password });
    providers.push(p);
    return p;
  };
  const hooks = () => typeOf(admin, 'harborWebhook');
  const refOf = async (p: HarborProvider = admin): Promise<ResourceRef> => {
    const [item] = (await typeOf(p, 'harborWebhook').list(project)).items;
    return { type: 'harborWebhook', scope: project, key: typeOf(p, 'harborWebhook').key(item!) };
  };

  beforeEach(async () => {
    h = await startHarborServer();
    await seedHarbor(h);
    addUser(h.state, 'mara', 'mara-password', { 'team-a': 4 });
    addUser(h.state, 'pat', 'pat-password', { 'team-a': 1 });
    admin = as(HARBOR_ADMIN.username, HARBOR_ADMIN.password);
  });
  afterEach(async () => {
    for (const p of providers.splice(0)) p.dispose();
    assert.deepEqual(h.violations, [], 'every request and answer matched the document');
    await h.close();
  });

  it('creates a webhook with the body the document describes; the auth header is a secret field never shown again', async () => {
    assert.deepEqual(hooks().placement, { under: 'namespace' });
    await hooks().create!.run(project, values());
    assert.deepEqual(webhookControl(h.state).received[0], {
      name: 'ci-notify',
      description: 'Tells CI',
      enabled: true,
      event_types: ['PUSH_ARTIFACT', 'SCANNING_COMPLETED'],
      targets: [{ type: 'http', address: 'https://hooks.example.com/harbor/T0KEN?x=1', auth_header: SECRET, skip_cert_verify: false, payload_format: 'CloudEvents' }],
    });
    const auth = (webhookCreateForm.shape.auth.unwrap().options[1].shape.authHeader as z.ZodType).meta();
    assert.equal(auth?.secret, true);
    const items = (await hooks().list(project)).items;
    assert.equal(items.length, 1);
    assert.ok(!JSON.stringify(items).includes('s3cr3t'), 'the listed item holds no auth header');
    const view = hooks().view(items[0]!);
    assert.equal(view.label, 'ci-notify');
    assert.equal(view.description, 'https://hooks.example.com/…', 'no path or query: they may carry a token');
    assert.match(view.tooltip!, /Events: PUSH_ARTIFACT, SCANNING_COMPLETED/);
    assert.match(view.tooltip!, /Sends an auth header/);
    assert.ok(!JSON.stringify(view).includes('s3cr3t') && !JSON.stringify(view).includes('T0KEN'));
    const current = await hooks().update!.values(await refOf());
    assert.deepEqual(current.auth, { kind: 'keep' });
    assert.ok(!JSON.stringify(current).includes('s3cr3t'), 'the edit form is not filled with the header');
  });

  it('edits keeping, replacing or removing the auth header', async () => {
    await hooks().create!.run(project, values());
    const ref = await refOf();
    const upd = hooks().update!;
    await upd.run(ref, { ...values({ name: 'renamed', auth: { kind: 'keep' } }) });
    const sent = () => (webhookControl(h.state).received.at(-1) as { name: string; targets: { auth_header?: string }[] });
    assert.equal(sent().name, 'renamed');
    assert.equal(sent().targets[0]!.auth_header, SECRET, 'keep sends back the header Harbor has');
    await upd.run(ref, values({ auth: { kind: 'header', authHeader: 'Basic bmV3' } }));
    assert.equal(sent().targets[0]!.auth_header, 'Basic bmV3');
    await upd.run(ref, values({ auth: { kind: 'none' } }));
    assert.equal(sent().targets[0]!.auth_header, undefined);
    assert.deepEqual(webhookUpdateForm.parse({ ...values(), auth: undefined }).auth, { kind: 'keep' });
  });

  it('picks event types, notify types and payload formats from Harbor and refuses others before saving', async () => {
    const form = hooks().create!.form;
    assert.deepEqual(
      (await form.choices!.eventTypes!.load(project, '')).map((c) => c.value),
      ['DELETE_ARTIFACT', 'PULL_ARTIFACT', 'PUSH_ARTIFACT', 'QUOTA_EXCEED', 'QUOTA_WARNING', 'REPLICATION', 'SCANNING_FAILED', 'SCANNING_STOPPED', 'SCANNING_COMPLETED', 'TAG_RETENTION'],
    );
    assert.deepEqual((await form.choices!.notifyType!.load(project, '')).map((c) => c.value), ['http', 'slack']);
    assert.deepEqual((await form.choices!.payloadFormat!.load(project, '')).map((c) => c.value), ['Default', 'CloudEvents']);
    assert.equal(form.choices!.eventTypes!.freeText, undefined, 'picked, not typed');
    assert.equal((await hooks().create!.verify!(project, values())).ok, true);
    const wrongEvent = await hooks().create!.verify!(project, values({ eventTypes: ['PUSH_IMAGE'] }));
    assert.equal(wrongEvent.ok, false);
    assert.match(wrongEvent.summary, /no event type PUSH_IMAGE/);
    const wrongFormat = await hooks().create!.verify!(project, values({ notifyType: 'slack', payloadFormat: 'CloudEvents' }));
    assert.equal(wrongFormat.ok, false);
    assert.throws(() => webhookCreateForm.parse(values({ address: 'ftp://hooks.example.com' })));
    assert.throws(() => webhookCreateForm.parse(values({ eventTypes: [] })), /at least one event type/);
  });

  it('disables and enables a webhook keeping its header, deletes it after a confirmation naming it and the project', async () => {
    await hooks().create!.run(project, values());
    const ref = await refOf();
    const [item] = (await hooks().list(project)).items;
    const disable = hooks().actions.find((a) => a.id === 'disable')!;
    assert.equal(disable.when!(item!), true);
    await disable.run(ref);
    const w = webhookControl(h.state).policies[0]!;
    assert.equal(w.enabled, false);
    assert.equal(w.targets[0]!.auth_header, SECRET);
    const [off] = (await hooks().list(project)).items;
    assert.match(hooks().view(off!).description!, /^disabled · /);
    await hooks().actions.find((a) => a.id === 'enable')!.run(ref);
    assert.equal(webhookControl(h.state).policies[0]!.enabled, true);
    const c = await hooks().remove!.confirm(off!, ref);
    assert.equal(c.message, 'Delete webhook "ci-notify" of project team-a?');
    assert.equal(c.button, 'Delete Webhook');
    await hooks().remove!.run(ref);
    assert.deepEqual((await hooks().list(project)).items, []);
  });

  it("lists a policy's last executions, newest first and paged, with status, event type and time", async () => {
    await hooks().create!.run(project, values());
    const ref = await refOf();
    const id = Number(ref.key);
    for (let i = 0; i < 120; i++) addWebhookExecution(h.state, id, i % 2 ? 'PUSH_ARTIFACT' : 'SCANNING_COMPLETED', i === 119 ? 'Error' : 'Success', new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString());
    const ex = typeOf(admin, 'harborWebhookExecution');
    assert.deepEqual(ex.placement, { under: { type: 'harborWebhook' } });
    const scope: Scope = { ...project, parent: ref };
    const first = await ex.list(scope);
    assert.equal(first.items.length, 100);
    assert.ok(first.next);
    const view = ex.view(first.items[0]!);
    assert.equal(view.label, 'PUSH_ARTIFACT · Error');
    assert.equal(view.description, '2024-01-01T01:59:00.000Z');
    assert.match(view.tooltip!, /Message: endpoint answered 500/);
    assert.equal((await ex.list(scope, first.next)).items.length, 20);
  });

  it('lets a maintainer read and a project admin change webhooks; a developer is refused with what it needs', async () => {
    const pat = as('pat', 'pat-password');
    await typeOf(pat, 'harborWebhook').create!.run(project, values());
    const mara = as('mara', 'mara-password');
    assert.equal((await typeOf(mara, 'harborWebhook').list(project)).items.length, 1);
    const err = await typeOf(mara, 'harborWebhook').create!.run(project, values({ name: 'other' })).catch((e: unknown) => e);
    assert.ok(err instanceof ForbiddenError, String(err));
    assert.match(err.message, /project admin/);
    const alice = as('alice', 'alice-password');
    await assert.rejects(typeOf(alice, 'harborWebhook').list(project), (e: unknown) => e instanceof ForbiddenError && /maintainer/.test(e.message));
  });
});
