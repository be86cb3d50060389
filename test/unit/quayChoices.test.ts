import * as assert from 'node:assert/strict';
import type { FormDecl, ResourceRef, Scope } from '../../src/registry/admin';
import type { QuayProvider } from '../../src/registry/quay/provider';
import { startQuayServer, type QuayServer } from '../servers/quayServer';
import { drive } from '../support/adminDriver';
import { disposeQuayProviders, quayProvider } from '../support/quaySetup';

/** The choices a form of resource type `type` offers for `field`. */
function choicesOf(p: QuayProvider, type: string, op: 'create' | 'update', field: string) {
  const t = p.admin.types.find((x) => x.type === type);
  assert.ok(t, `no resource type ${type}`);
  const form: FormDecl | undefined = drive(t)[op]?.form;
  const source = form?.choices?.[field];
  assert.ok(source, `${type} ${op} offers choices for ${field}`);
  return source;
}

const values = (list: { value: string; description?: string }[]) => list.map((c) => `${c.value} (${c.description ?? ''})`).sort();

describe('Quay entity choices (server-driven pickers)', () => {
  let quay: QuayServer;
  let p: QuayProvider;
  const app: Scope = { namespace: 'acme', repository: 'acme/app' };
  const searches = () => quay.requests.filter((r) => r.path.startsWith('/api/v1/entities/'));

  beforeEach(async () => {
    quay = await startQuayServer();
    p = quayProvider(quay).provider;
  });
  afterEach(async () => {
    assert.deepEqual(quay.requestIssues, []);
    disposeQuayProviders();
    await quay.close();
  });

  it("Grant Permission offers the organization's teams and robots, then users, robots and teams from Quay's entity search", async () => {
    const name = choicesOf(p, 'repositoryPermission', 'create', 'name');
    assert.ok(!name.freeText, 'Quay refuses a name it does not know: no free text');
    assert.deepEqual(values(await name.load(app, '')), ['acme+ci (robot · CI pusher)', 'acme+mirror (robot · Mirror pusher)', 'developers (team · member)', 'owners (team · admin)']);
    assert.equal(searches().length, 0, 'nothing typed: no search');
    assert.deepEqual(values(await name.load(app, 'bo')), ['bob (user)']);
    const q = new URLSearchParams(searches().at(-1)!.query);
    assert.equal(searches().at(-1)!.path, '/api/v1/entities/bo');
    assert.equal(q.get('namespace'), 'acme');
    assert.equal(q.get('includeTeams'), 'true');
    assert.deepEqual(values(await name.load(app, 'dev')), ['developers (team)']);
    // A robot's full name is searched by its short name, as Quay matches robots of the namespace.
    assert.deepEqual(values(await name.load(app, 'acme+c')), ['acme+ci (robot)']);
    assert.equal(searches().at(-1)!.path, '/api/v1/entities/c');
  });

  it('offers no teams in a user namespace', async () => {
    const name = choicesOf(p, 'repositoryPermission', 'create', 'name');
    const own: Scope = { namespace: 'alice', repository: 'alice/scratch' };
    assert.deepEqual(values(await name.load(own, '')), ['alice+laptop (robot · Personal pushes)']);
    await name.load(own, 'b');
    assert.equal(new URLSearchParams(searches().at(-1)!.query).get('includeTeams'), null);
  });

  it('Add Member offers users and robots of the organization, never teams', async () => {
    const member = choicesOf(p, 'teamMember', 'create', 'name');
    const scope: Scope = { parent: { type: 'team', scope: { namespace: 'acme' }, key: 'developers' } satisfies ResourceRef };
    assert.deepEqual(values(await member.load(scope, '')), ['acme+ci (robot · CI pusher)', 'acme+mirror (robot · Mirror pusher)']);
    assert.deepEqual(values(await member.load(scope, 'o')), []);
    assert.deepEqual(values(await member.load(scope, 'a')), ['alice (user)']);
    assert.equal(new URLSearchParams(searches().at(-1)!.query).get('includeTeams'), null);
  });

  it("Edit Mirroring offers the namespace's robot accounts for the robot that pushes", async () => {
    const robot = choicesOf(p, 'mirror', 'update', 'robot');
    assert.deepEqual(values(await robot.load(app, 'mir')), ['acme+mirror (robot · Mirror pusher)']);
    assert.equal((await robot.load(app, '')).length, 2);
  });

  it('a failed search is a clear error, not an empty list', async () => {
    const name = choicesOf(p, 'repositoryPermission', 'create', 'name');
    quay.setFault({ path: /\/entities\//, kind: 'status', status: 500 });
    await assert.rejects(name.load(app, 'bo'), /users matching bo/);
  });
});
