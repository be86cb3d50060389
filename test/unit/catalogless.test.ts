import * as assert from 'node:assert/strict';
import { editRepositories, repositoryInput } from '../../src/config/repositoriesSetting';
import { parseRegistries, toConnection } from '../../src/config/schema';
import { silentLogger, type Credentials } from '../../src/registry/context';
import { UnauthorizedError } from '../../src/registry/errors';
import { OciProvider } from '../../src/registry/oci/provider';
import { publicRegistryOf } from '../../src/registry/oci/publicRegistries';
import type { MessageNode, RegistryNode, RepositoryNode } from '../../src/tree/nodes';
import { PagedList } from '../../src/tree/pagedList';
import { toTreeItem } from '../../src/tree/treeItems';
import type { OciServer } from '../servers/ociServer';
import { closeOciServers, disposeOciProviders, ociProvider, ociServer } from '../support/ociSetup';

const CREDS: Credentials = { username: 'alice', secret: 's3cret-pass' };

function provider(reg: OciServer | string, repositories: string[] | undefined, creds?: Credentials): OciProvider {
  const url = typeof reg === 'string' ? reg : reg.url;
  return ociProvider(reg, { creds, context: { connection: { id: 'test', kind: 'oci', url, ...(repositories ? { repositories } : {}) } } });
}

afterEach(async () => {
  disposeOciProviders();
  await closeOciServers();
});

describe('registries that do not list their repositories', () => {
  for (const status of [403, 404]) {
    it(`a catalog refused with ${status} shows the configured repositories and one notice, and is not asked again`, async () => {
      const reg = await ociServer();
      reg.addImage('team/app', '1.0');
      reg.addImage('team/app', '2.0', { salt: 'two' });
      reg.fault({ kind: 'catalog', action: 'status', status });
      const p = provider(reg, ['team/app']);
      assert.equal(p.capabilities.repositoryList, 'catalog');
      const page = await p.listRepositories(undefined, undefined);
      assert.deepEqual(page.items, [{ name: 'team/app', configured: true }]);
      assert.equal(page.error, undefined, 'not an error');
      assert.match(page.notice ?? '', new RegExp(`does not list its repositories \\(${status}\\): add the ones you use`));
      assert.equal(p.capabilities.repositoryList, 'configured');
      await p.listRepositories(undefined, undefined);
      assert.equal(reg.count('catalog'), 1, 'the refused catalog is not requested again');
      // A configured repository behaves like a listed one: tags, details, delete.
      assert.deepEqual((await p.listTags('team/app', undefined)).items.map((t) => t.name).sort(), ['1.0', '2.0']);
      const details = await p.getTagDetails('team/app', '1.0');
      assert.match(details.digest, /^sha256:/);
      const plan = await p.planDeleteTag('team/app', '2.0');
      await p.deleteTag(plan);
      assert.deepEqual((await p.listTags('team/app', undefined)).items.map((t) => t.name), ['1.0']);
    });
  }

  it('a 401 on the catalog with credentials that /v2/ accepts is a refusal, not a sign-in error', async () => {
    const reg = await ociServer({ auth: { type: 'basic', username: 'alice', password: 's3cret-pass' } });
    reg.addImage('team/app', '1.0');
    reg.fault({ kind: 'catalog', action: 'status', status: 401 });
    const page = await provider(reg, ['team/app'], CREDS).listRepositories(undefined, undefined);
    assert.deepEqual(page.items.map((r) => r.name), ['team/app']);
    assert.match(page.notice ?? '', /\(401\)/);
  });

  it('a 401 without credentials, or with credentials /v2/ rejects, still asks to sign in', async () => {
    const reg = await ociServer({ auth: { type: 'basic', username: 'alice', password: 's3cret-pass' } });
    await assert.rejects(provider(reg, ['team/app']).listRepositories(undefined, undefined), UnauthorizedError);
    await assert.rejects(provider(reg, ['team/app'], { username: 'alice', secret: 'wrong' }).listRepositories(undefined, undefined), UnauthorizedError);
  });

  it('a registry with a catalog shows the configured repositories first and its own list after them, each once', async () => {
    const reg = await ociServer();
    reg.addImage('team/app', '1.0');
    reg.addImage('other/x', '1.0');
    const page = await provider(reg, ['team/app', 'hidden/one']).listRepositories(undefined, undefined);
    assert.deepEqual(page.items, [{ name: 'team/app', configured: true }, { name: 'hidden/one', configured: true }, { name: 'other/x' }]);
    assert.equal(page.notice, undefined);
  });

  it('signing in again asks for the catalog again', async () => {
    const reg = await ociServer();
    reg.addImage('team/app', '1.0');
    reg.fault({ kind: 'catalog', action: 'status', status: 403, times: 1 });
    const p = provider(reg, []);
    assert.ok((await p.listRepositories(undefined, undefined)).notice);
    p.resetAuth();
    const page = await p.listRepositories(undefined, undefined);
    assert.equal(page.notice, undefined);
    assert.deepEqual(page.items.map((r) => r.name), ['team/app']);
    assert.equal(p.capabilities.repositoryList, 'catalog');
  });

  it('known public registries show the configured repositories without asking for the catalog', async () => {
    for (const url of ['https://ghcr.io', 'https://registry.gitlab.com', 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com', 'https://europe-west1-docker.pkg.dev', 'https://myregistry.azurecr.io', 'https://registry-1.docker.io']) {
      // Any request would fail here (no network): the answer comes from the settings alone.
      const p = new OciProvider({ connection: { id: 'x', kind: 'oci', url, repositories: ['owner/app'] }, credentials: async () => undefined, logger: silentLogger, http: { timeoutMs: 200, maxRetries: 0 } });
      try {
        assert.equal(p.capabilities.repositoryList, 'configured', url);
        const page = await p.listRepositories(undefined, undefined);
        assert.deepEqual(page.items, [{ name: 'owner/app', configured: true }], url);
        assert.match(page.notice ?? '', /does not list its repositories: add the ones you use/, url);
      } finally {
        p.dispose();
      }
    }
  });

  it('recognises the public registries by their exact host, never by a look-alike; only GitLab and Docker name a token service elsewhere', () => {
    assert.deepEqual(publicRegistryOf('https://registry.gitlab.com')?.tokenRealms, ['https://gitlab.com']);
    assert.deepEqual(publicRegistryOf('https://registry-1.docker.io')?.tokenRealms, ['https://auth.docker.io']);
    for (const url of ['https://ghcr.io', 'https://123456789012.dkr.ecr.us-east-1.amazonaws.com', 'https://us-docker.pkg.dev', 'https://acme.azurecr.io']) {
      assert.ok(publicRegistryOf(url), url);
      assert.equal(publicRegistryOf(url)?.tokenRealms, undefined, url);
    }
    for (const url of ['https://ghcr.io.evil.example', 'https://registry.gitlab.com.evil.example', 'https://evil.example/registry.gitlab.com', 'https://acme.azurecr.io.evil.example', 'https://x.dkr.ecr.us-east-1.amazonaws.com.evil.example', 'https://docker.pkg.dev.evil.example', 'https://registry.example.com']) {
      assert.equal(publicRegistryOf(url), undefined, url);
    }
  });
});

describe('the repositories setting', () => {
  it('is part of the entry, checked against the repository grammar, and reaches the connection', () => {
    const ok = parseRegistries([{ name: 'gl', kind: 'oci', url: 'https://registry.gitlab.com', repositories: ['group/project', 'group/project/image'] }]);
    assert.deepEqual(ok.problems, []);
    assert.deepEqual(toConnection(ok.entries[0]!).repositories, ['group/project', 'group/project/image']);
    const bad = parseRegistries([{ name: 'gl', kind: 'oci', url: 'https://registry.gitlab.com', repositories: ['ok/app', 'Team/../x'] }]);
    assert.equal(bad.problems[0]?.field, 'repositories.1');
  });

  it('is edited in the settings level the entry comes from, keeping every other field and entry', () => {
    const mine = { name: 'gl', kind: 'oci', url: 'https://registry.gitlab.com', username: 'me', future: 1 };
    const other = { name: 'local', kind: 'oci', url: 'http://localhost:5000' };
    const add = (c: readonly string[]) => [...c, 'group/app'];
    // The most specific level that has the setting is the one in use.
    const ws = editRepositories({ globalValue: [other], workspaceValue: [other, mine] }, true, 'gl', add);
    assert.equal(ws.level, 'workspace');
    assert.deepEqual(ws.value, [other, { ...mine, repositories: ['group/app'] }]);
    const folder = editRepositories({ globalValue: [mine], workspaceValue: [other], workspaceFolderValue: [{ ...mine, repositories: ['a/b'] }] }, true, 'gl', add);
    assert.equal(folder.level, 'workspaceFolder');
    assert.deepEqual(folder.value, [{ ...mine, repositories: ['a/b', 'group/app'] }]);
    // In an untrusted workspace only the user settings are read, and written.
    const untrusted = editRepositories({ globalValue: [mine], workspaceValue: [other] }, false, 'gl', add);
    assert.equal(untrusted.level, 'global');
    // Removing the last one removes the field.
    const removed = editRepositories({ globalValue: [{ ...mine, repositories: ['group/app'] }] }, true, 'gl', (c) => c.filter((r) => r !== 'group/app'));
    assert.deepEqual(removed.value, [mine]);
    assert.throws(() => editRepositories({ globalValue: [mine], workspaceValue: [other] }, true, 'gl', add), /No registry named "gl"/);
  });

  it('takes a pasted pull reference as its repository name', () => {
    assert.equal(repositoryInput(' ghcr.io/owner/app:1.0 ', 'ghcr.io'), 'owner/app');
    assert.equal(repositoryInput('owner/app@sha256:abc', 'ghcr.io'), 'owner/app');
    assert.equal(repositoryInput('localhost:5000/team/app:latest', 'localhost:5000'), 'team/app');
    assert.equal(repositoryInput('team/app', 'localhost:5000'), 'team/app');
  });
});

describe('the one-line notice in the tree', () => {
  const registry: RegistryNode = { type: 'registry', id: 'registry:gl', registryName: 'gl', kind: 'oci', url: 'https://registry.gitlab.com', signedIn: true, addsRepositories: true };

  it('is kept by the paged list with the first page and dropped when the list is read again', async () => {
    let notice: string | undefined = 'This registry does not list its repositories (403): add the ones you use';
    const list = new PagedList(() => Promise.resolve({ items: [{ name: 'a/b' }], notice }), 50);
    await list.ensureLoaded();
    assert.equal(list.notice, notice);
    assert.equal(list.error, undefined);
    notice = undefined;
    list.reset();
    await list.ensureLoaded();
    assert.equal(list.notice, undefined);
  });

  it('is an info node offering Add Repository…, not an error; the registry and configured repositories carry their commands', () => {
    const node: MessageNode = { type: 'message', id: 'registry:gl#notice', parent: registry, owner: registry, registryName: 'gl', severity: 'info', text: 'GitLab Container Registry does not list its repositories: add the ones you use', action: 'addRepository' };
    const item = toTreeItem(node);
    assert.equal(item.icon, 'info');
    assert.equal(item.description, 'Add Repository…');
    assert.equal(item.command?.command, 'registryExplorer.repository.add');
    assert.match(item.contextValue, /(^|;)addsRepositories(;|$)/);
    assert.doesNotMatch(item.contextValue, /retryable|unauthorized/);
    assert.match(toTreeItem(registry).contextValue, /(^|;)addsRepositories(;|$)/);
    const repo: RepositoryNode = { type: 'repository', id: 'registry:gl/repo:group/app', parent: registry, registryName: 'gl', repository: { name: 'group/app', configured: true }, ref: { type: 'repository', scope: { repository: 'group/app' }, key: 'group/app' } };
    assert.match(toTreeItem(repo).contextValue, /(^|;)configuredRepository(;|$)/);
    assert.doesNotMatch(toTreeItem({ ...repo, repository: { name: 'group/app' } }).contextValue, /configuredRepository/);
  });
});
