import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { silentLogger, type Credentials, type ProviderContext } from '../../src/registry/context';
import {
  BadResponseError,
  ForbiddenError,
  MethodNotAllowedError,
  NotFoundError,
  RateLimitedError,
  RegistryError,
  ServerError,
  TimeoutError,
  UnauthorizedError,
  UnreachableError,
} from '../../src/registry/errors';
import { HttpTransport } from '../../src/registry/http';
import { OciProvider } from '../../src/registry/oci/provider';
import { MEDIA_TYPES, type OciServer } from '../servers/ociServer';
import { closeOciServers, disposeOciProviders, ociProvider, ociServer, type OciSetup } from '../support/ociSetup';

const server = ociServer;
const provider = (reg: OciServer | string, creds?: Credentials, http: OciSetup['http'] = {}): OciProvider => ociProvider(reg, { creds, http });

async function rejects<T extends RegistryError>(p: Promise<unknown>, type: new (...a: never[]) => T, match?: RegExp): Promise<T> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof type, `expected ${type.name}, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    if (match) assert.match(e.message, match);
    return e;
  }
  assert.fail(`expected ${type.name}, but it resolved`);
}

const tagNames = (n: number) => Array.from({ length: n }, (_, i) => `t${String(i).padStart(4, '0')}`);

afterEach(async () => {
  disposeOciProviders();
  await closeOciServers();
});

describe('OCI provider', () => {
  describe('listing and paging', () => {
    it('pages the catalog by Link, one request per page', async () => {
      const reg = await server();
      for (let i = 0; i < 25; i++) reg.addImage(`team/app${String(i).padStart(2, '0')}`, 'latest');
      const p = provider(reg);
      const names: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await p.listRepositories(undefined, cursor, { pageSize: 10 });
        names.push(...page.items.map((r) => r.name));
        cursor = page.next;
        pages++;
        assert.equal(reg.count('catalog'), pages, 'one request per page');
      } while (cursor);
      assert.equal(pages, 3);
      assert.deepEqual(names, reg.repositories());
      const queries = reg.requests.filter((r) => r.kind === 'catalog').map((r) => r.query);
      assert.deepEqual(queries, ['n=10', 'last=team%2Fapp09&n=10', 'last=team%2Fapp19&n=10']);
    });

    it('pages tags with n/last via Link; the cursor is the next URL on the same origin', async () => {
      const reg = await server();
      reg.addImage('team/app', tagNames(250));
      const p = provider(reg);
      const first = await p.listTags('team/app', undefined, { pageSize: 100 });
      assert.equal(first.items.length, 100);
      assert.equal(first.items[0].name, 't0000');
      assert.ok(first.next?.startsWith(reg.url + '/v2/team/app/tags/list?'), first.next);
      const second = await p.listTags('team/app', first.next, { pageSize: 100 });
      assert.equal(second.items[0].name, 't0100');
      const third = await p.listTags('team/app', second.next, { pageSize: 100 });
      assert.equal(third.items.length, 50);
      assert.equal(third.next, undefined);
      assert.equal(reg.count('tags'), 3);
    });

    it('returns every tag in one page when the server ignores n (distribution 2.8)', async () => {
      const reg = await server({ tagPaging: false });
      reg.addImage('team/app', tagNames(250));
      const p = provider(reg);
      const page = await p.listTags('team/app', undefined, { pageSize: 100 });
      assert.equal(page.items.length, 250);
      assert.equal(page.next, undefined);
      assert.equal(reg.count('tags'), 1);
    });

    it('accepts "tags": null as an empty list', async () => {
      const reg = await server();
      reg.addImage('team/app', 'x');
      reg.fault({ kind: 'tags', action: 'wrongType', field: 'tags', value: null, times: 1 });
      const page = await provider(reg).listTags('team/app', undefined);
      assert.deepEqual(page.items, []);
    });

    it('refuses a Link or a cursor that points to another origin', async () => {
      const reg = await server();
      reg.addImage('team/app', tagNames(3));
      const p = provider(reg);
      await rejects(p.listTags('team/app', 'http://127.0.0.1:1/v2/team/app/tags/list?n=1'), BadResponseError, /another origin/);
      await rejects(p.listTags('team/app', reg.url + '/v2/other/tags/list?n=1'), BadResponseError, /cursor/);
      assert.equal(reg.count('tags'), 0);
    });
  });

  describe('errors', () => {
    let reg: OciServer;
    beforeEach(async () => {
      reg = await server();
      reg.addImage('team/app', ['1.0']);
    });

    it('malformed JSON → BadResponseError naming what was asked', async () => {
      reg.fault({ kind: 'tags', action: 'malformed' });
      await rejects(provider(reg).listTags('team/app', undefined), BadResponseError, /tag list of team\/app.*not JSON/);
    });

    it('wrong types → BadResponseError naming the field', async () => {
      reg.fault({ kind: 'tags', action: 'wrongType', times: 1 });
      await rejects(provider(reg).listTags('team/app', undefined), BadResponseError, /tag list of team\/app.*tags: must be an array/);
      reg.fault({ kind: 'catalog', action: 'wrongType', field: 'repositories', value: [1, 2] });
      await rejects(provider(reg).listRepositories(undefined, undefined), BadResponseError, /repositor.*must be a string/);
      reg.fault({ kind: 'manifest', method: 'GET', action: 'wrongType', field: 'layers', value: 'nope', times: 1 });
      await rejects(provider(reg).getTagDetails('team/app', '1.0'), BadResponseError, /manifest team\/app@sha256:.*does not match its digest/);
      // Without Docker-Content-Digest the digest comes from the body itself, so the schema check speaks.
      reg.options.digestHeader = false;
      reg.fault({ kind: 'manifest', method: 'GET', action: 'wrongType', field: 'layers', value: 'nope', times: 1 });
      await rejects(provider(reg).getTagDetails('team/app', '1.0'), BadResponseError, /manifest of team\/app:1\.0: layers: must be an array/);
      reg.fault({ kind: 'blob', action: 'wrongType', field: 'history', value: 'nope', times: 1 });
      await rejects(provider(reg).getTagDetails('team/app', '1.0'), BadResponseError, /image config team\/app@sha256:.*history/);
    });

    const statuses: Array<[number, new (...a: never[]) => RegistryError, string | number | undefined]> = [
      [401, UnauthorizedError, undefined],
      [403, ForbiddenError, undefined],
      [404, NotFoundError, undefined],
      [405, MethodNotAllowedError, undefined],
      [429, RateLimitedError, 120],
      [500, ServerError, undefined],
      [503, ServerError, undefined],
    ];
    for (const [status, type, retryAfter] of statuses) {
      it(`${status} → ${type.name}`, async () => {
        reg.fault({ kind: 'tags', action: 'status', status, retryAfter });
        const e = await rejects(provider(reg).listTags('team/app', undefined), type);
        assert.equal(e.status, status);
        if (retryAfter) assert.equal(e.retryAfterMs, 120_000);
      });
    }

    it('a short 429 Retry-After is waited out and the request retried', async () => {
      reg.fault({ kind: 'tags', action: 'status', status: 429, retryAfter: 1, times: 1 });
      const p = provider(reg, undefined, { maxRetries: 2 });
      const started = Date.now();
      const page = await p.listTags('team/app', undefined);
      assert.deepEqual(page.items.map((t) => t.name), ['1.0']);
      assert.ok(Date.now() - started >= 900, 'waited for Retry-After');
      assert.equal(reg.count('tags'), 2);
    });

    it('connection reset → UnreachableError (after bounded retries)', async () => {
      reg.fault({ kind: 'tags', action: 'reset' });
      await rejects(provider(reg, undefined, { maxRetries: 1 }).listTags('team/app', undefined), UnreachableError, /reset|reach/i);
      assert.equal(reg.count('tags'), 2);
    });

    it('a stalled server → TimeoutError', async () => {
      reg.fault({ kind: 'tags', action: 'stall' });
      const started = Date.now();
      await rejects(provider(reg, undefined, { timeoutMs: 300 }).listTags('team/app', undefined), TimeoutError);
      assert.ok(Date.now() - started < 3000);
    });

    it('an unknown repository → NotFoundError', async () => {
      await rejects(provider(reg).listTags('nope/none', undefined), NotFoundError, /tag list of nope\/none/);
    });
  });

  describe('ping', () => {
    it('reports ok with latency, and never throws', async () => {
      const reg = await server();
      const ok = await provider(reg).ping();
      assert.equal(ok.ok, true);
      assert.ok(ok.latencyMs >= 0);
      assert.equal(ok.details?.api, 'registry/2.0');
      reg.fault({ kind: 'ping', action: 'status', status: 500 });
      const bad = await provider(reg).ping();
      assert.equal(bad.ok, false);
      assert.equal(bad.error?.kind, 'serverError');
      const down = await provider('http://127.0.0.1:1').ping();
      assert.equal(down.ok, false);
      assert.equal(down.error?.kind, 'unreachable');
    });

    it('reports unauthorized when the credentials are wrong', async () => {
      const reg = await server({ auth: { type: 'basic', username: 'alice', password: 'right' } });
      const r = await provider(reg, { username: 'alice', secret: 'wrong' }).ping();
      assert.equal(r.ok, false);
      assert.equal(r.error?.kind, 'unauthorized');
      assert.equal((await provider(reg, { username: 'alice', secret: 'right' }).ping()).ok, true);
    });
  });

  describe('tag details', () => {
    it('describes a single image: digest, media type, size, created, platform', async () => {
      const reg = await server();
      const digest = reg.addImage('team/app', '1.0', { layerSizes: [1000, 2500], created: '2024-03-04T05:06:07Z', platforms: ['linux/arm64/v8'] });
      const p = provider(reg);
      const d = await p.getTagDetails('team/app', '1.0');
      assert.equal(d.digest, digest);
      assert.equal(d.mediaType, 'application/vnd.oci.image.manifest.v1+json');
      assert.equal(d.isIndex, false);
      assert.equal(d.created, '2024-03-04T05:06:07Z');
      // HEAD for the digest, GET manifest, GET config.
      assert.equal(reg.count({ kind: 'manifest', method: 'HEAD' }), 1);
      assert.equal(reg.count({ kind: 'manifest', method: 'GET' }), 1);
      assert.equal(reg.count('blob'), 1);
      const configSize = await configSizeOf(reg, 'team/app', digest);
      assert.equal(d.size, 3500 + configSize);
      assert.deepEqual(
        d.platforms.map((x) => [x.os, x.architecture, x.variant]),
        [['linux', 'arm64', 'v8']],
      );
    });

    it('describes a multi-platform index (amd64 + arm64): platforms, summed size, newest created', async () => {
      const reg = await server();
      const digest = reg.addImage('team/app', 'multi', {
        platforms: ['linux/amd64', 'linux/arm64'],
        created: ['2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z'],
        layerSizes: [100, 200],
      });
      const d = await provider(reg).getTagDetails('team/app', 'multi');
      assert.equal(d.digest, digest);
      assert.equal(d.isIndex, true);
      assert.equal(d.mediaType, 'application/vnd.oci.image.index.v1+json');
      assert.deepEqual(
        d.platforms.map((x) => `${x.os}/${x.architecture}`),
        ['linux/amd64', 'linux/arm64'],
      );
      assert.equal(d.created, '2024-02-01T00:00:00Z');
      const perPlatform = d.platforms.map((x) => x.size ?? 0);
      assert.ok(perPlatform.every((n) => n > 300));
      assert.equal(d.size, perPlatform[0] + perPlatform[1]);
    });

    it('reads Docker manifest lists too', async () => {
      const reg = await server();
      reg.addImage('team/app', 'docker', { format: 'docker', platforms: ['linux/amd64', 'linux/arm/v7'] });
      const d = await provider(reg).getTagDetails('team/app', 'docker');
      assert.equal(d.mediaType, 'application/vnd.docker.distribution.manifest.list.v2+json');
      assert.deepEqual(
        d.platforms.map((x) => x.variant),
        [undefined, 'v7'],
      );
    });

    it('computes the digest from the body when Docker-Content-Digest is missing', async () => {
      const reg = await server({ digestHeader: false });
      const digest = reg.addImage('team/app', '1.0');
      const d = await provider(reg).getTagDetails('team/app', '1.0');
      assert.equal(d.digest, digest);
    });

    it('when HEAD states no digest, the digest the GET states is checked against the manifest', async () => {
      const reg = await server({ digestHeader: 'get' });
      reg.addImage('team/app', '1.0');
      const p = provider(reg);
      reg.fault({ kind: 'manifest', method: 'GET', action: 'tamper', times: 1 });
      await rejects(p.getTagDetails('team/app', '1.0'), BadResponseError, /The manifest of team\/app:1\.0: the content does not match its digest/);
      assert.equal(reg.count({ kind: 'manifest', method: 'HEAD' }), 1);
      const d = await p.getTagDetails('team/app', '1.0');
      assert.equal(d.digest, reg.digestOf('team/app', '1.0'), 'the untampered manifest is accepted');
    });

    it('a config blob that does not match its digest is refused', async () => {
      const reg = await server();
      reg.addImage('team/app', '1.0', { created: '2024-03-04T05:06:07Z' });
      const p = provider(reg);
      reg.fault({ kind: 'blob', action: 'tamper', times: 1 });
      await rejects(p.getTagDetails('team/app', '1.0'), BadResponseError, /The image config team\/app@sha256:[0-9a-f]{12}: the content does not match its digest/);
      assert.equal(reg.count('blob'), 1);
      assert.equal((await p.getTagDetails('team/app', '1.0')).created, '2024-03-04T05:06:07Z');
    });

    it('caches per digest: a second tag with the same digest costs one HEAD; by digest, nothing', async () => {
      const reg = await server();
      const digest = reg.addImage('team/app', ['a', 'b'], { platforms: ['linux/amd64', 'linux/arm64'] });
      const p = provider(reg);
      await p.getTagDetails('team/app', 'a');
      const afterFirst = reg.count();
      await p.getTagDetails('team/app', 'b');
      assert.equal(reg.count() - afterFirst, 1);
      assert.equal(reg.requests.at(-1)?.method, 'HEAD');
      const before = reg.count();
      const img = await p.getImageDetails('team/app', digest);
      assert.equal(reg.count(), before, 'image details by a cached digest make no request');
      assert.equal(img.images.length, 2);
    });

    it('concurrent callers of one digest share the requests', async () => {
      const reg = await server();
      reg.addImage('team/app', ['a', 'b', 'c', 'd']);
      const p = provider(reg);
      await Promise.all(['a', 'b', 'c', 'd'].map((t) => p.getTagDetails('team/app', t)));
      assert.equal(reg.count({ kind: 'manifest', method: 'GET' }), 1);
      assert.equal(reg.count('blob'), 1);
    });

    it('fills ImageDetails for the panel: layers and config summary', async () => {
      const reg = await server();
      reg.addImage('team/app', '1.0', {
        config: { Env: ['A=1'], Entrypoint: ['/entry'], Cmd: ['run'], Labels: { 'org.opencontainers.image.title': 'app' }, ExposedPorts: { '80/tcp': {} }, Volumes: { '/data': {} }, User: 'app' },
        annotations: { 'org.opencontainers.image.source': 'https://example.com/app' },
      });
      const d = await provider(reg).getImageDetails('team/app', '1.0');
      assert.equal(d.reference, '1.0');
      assert.equal(d.isIndex, false);
      assert.equal(d.images.length, 1);
      const img = d.images[0];
      assert.equal(img.layers.length, 2);
      assert.equal(img.annotations?.['org.opencontainers.image.source'], 'https://example.com/app');
      const c = img.config!;
      assert.deepEqual(c.env, ['A=1']);
      assert.deepEqual(c.entrypoint, ['/entry']);
      assert.deepEqual(c.cmd, ['run']);
      assert.deepEqual(c.labels, { 'org.opencontainers.image.title': 'app' });
      assert.deepEqual(c.exposedPorts, ['80/tcp']);
      assert.deepEqual(c.volumes, ['/data']);
      assert.equal(c.user, 'app');
      assert.equal(c.history[0].createdBy, '/bin/sh -c step-1');
      assert.equal(img.totalSize, 3000 + c.size);
    });

    it('an unknown tag → NotFoundError', async () => {
      const reg = await server();
      reg.addImage('team/app', '1.0');
      await rejects(provider(reg).getTagDetails('team/app', 'nope'), NotFoundError, /team\/app:nope/);
    });
  });

  describe('delete', () => {
    it('plans with every tag sharing the digest, resolving them at most 8 at a time', async () => {
      const reg = await server();
      const shared = reg.addImage('team/app', ['1.0', 'latest', 'stable']);
      reg.addImage('team/app', tagNames(40), { salt: 'other' });
      const p = provider(reg);
      const plan = await p.planDeleteTag('team/app', 'latest');
      assert.equal(plan.digest, shared);
      assert.deepEqual(plan.affectedTags, ['latest', '1.0', 'stable']);
      assert.equal(plan.byDigest, true, 'a registry deletes the manifest, so every tag sharing it goes');
      // One HEAD per tag (the deleted one once), 43 in all.
      assert.equal(reg.count({ kind: 'manifest', method: 'HEAD' }), 43);
    });

    it('reads every tag page: sharing tags beyond the first 1,000 are in the plan', async () => {
      const reg = await server();
      // 1,500 other tags sort before the sharing ones, so those arrive on the second page of 1,000.
      const shared = reg.addImage('team/app', ['a-delete-me', 'zz-shared-1', 'zz-shared-2']);
      reg.addImage('team/app', tagNames(1500), { salt: 'other' });
      const p = provider(reg);
      const plan = await p.planDeleteTag('team/app', 'a-delete-me');
      assert.equal(plan.digest, shared);
      assert.ok(reg.count({ kind: 'tags' }) >= 2, 'the tag list came in more than one page');
      assert.deepEqual(plan.affectedTags, ['a-delete-me', 'zz-shared-1', 'zz-shared-2']);
    });

    for (const status of [500, 401]) {
      it(`a ${status} on one tag's HEAD fails the plan instead of leaving that tag out`, async () => {
        const reg = await server();
        reg.addImage('team/app', ['1.0', 'latest', 'stable']);
        reg.addImage('team/app', tagNames(20), { salt: 'other' });
        reg.fault({ kind: 'manifest', method: 'HEAD', path: '/manifests/stable', action: 'status', status });
        const p = provider(reg);
        await assert.rejects(p.planDeleteTag('team/app', 'latest'), (e: unknown) => e instanceof RegistryError && !(e instanceof NotFoundError));
      });
    }

    it('never has more than 8 look-ups in flight, and does use the parallelism', async () => {
      const reg = await server({ delayMs: 20 });
      reg.addImage('team/app', tagNames(40));
      const p = provider(reg);
      const plan = await p.planDeleteTag('team/app', 't0000');
      assert.equal(plan.affectedTags.length, 40);
      assert.equal(reg.peakInFlight, 8);
    });

    it('deletes by digest after re-checking the tag (202)', async () => {
      const reg = await server();
      reg.addImage('team/app', ['1.0', 'latest']);
      reg.addImage('team/app', 'keep', { salt: 'x' });
      const p = provider(reg);
      const plan = await p.planDeleteTag('team/app', '1.0');
      await p.deleteTag(plan);
      assert.deepEqual(reg.tagsOf('team/app'), ['keep']);
      const del = reg.requests.find((r) => r.method === 'DELETE');
      assert.equal(del?.path, `/v2/team/app/manifests/${plan.digest}`);
      assert.equal(del?.status, 202);
    });

    it('refuses when the tag moved since the plan', async () => {
      const reg = await server();
      reg.addImage('team/app', '1.0');
      const p = provider(reg);
      const plan = await p.planDeleteTag('team/app', '1.0');
      const other = reg.addImage('team/app', 'tmp', { salt: 'moved' });
      reg.tag('team/app', '1.0', other);
      await rejects(p.deleteTag(plan), RegistryError, /now points at/);
      assert.equal(reg.count({ method: 'DELETE' }), 0);
    });

    it('405 (deletion disabled) → MethodNotAllowedError with a clear message', async () => {
      const reg = await server({ deleteEnabled: false });
      reg.addImage('team/app', '1.0');
      const p = provider(reg);
      const plan = await p.planDeleteTag('team/app', '1.0');
      await rejects(p.deleteTag(plan), MethodNotAllowedError, /deletion is disabled on this registry \(storage\.delete\.enabled/);
    });
  });

  it('pullHost is host:port of the URL', () => {
    assert.equal(provider('http://127.0.0.1:5000').pullHost(), '127.0.0.1:5000');
    assert.equal(provider('https://registry.example.com/').pullHost(), 'registry.example.com');
  });

  it('uses a given transport and leaves it open on dispose', async () => {
    const reg = await server();
    reg.addImage('team/app', '1.0');
    const transport = new HttpTransport({ timeoutMs: 5000 });
    const ctx: ProviderContext = { connection: { id: 't', kind: 'oci', url: reg.url }, credentials: async () => undefined, logger: silentLogger };
    const p = new OciProvider(ctx, { transport });
    await p.listTags('team/app', undefined);
    p.dispose();
    assert.equal(transport.requestCount, 1);
    const again = new OciProvider(ctx, { transport });
    assert.equal((await again.listTags('team/app', undefined)).items.length, 1);
    transport.dispose();
  });
});

async function configSizeOf(reg: OciServer, repo: string, digest: string): Promise<number> {
  const res = await fetch(`${reg.url}/v2/${repo}/manifests/${digest}`, { headers: { Accept: `${MEDIA_TYPES.ociManifest}, ${MEDIA_TYPES.ociIndex}` } });
  const body = (await res.json()) as { config: { size: number } };
  assert.equal('sha256:' + crypto.createHash('sha256').update(JSON.stringify(body, null, 2)).digest('hex'), digest);
  return body.config.size;
}
