import * as assert from 'node:assert/strict';
import { MethodNotAllowedError, NotFoundError, UnauthorizedError } from '../../src/registry/errors';
import type { RegistryProvider, Repository } from '../../src/registry/provider';
import { providerFor, requestsDuring, sharedSandbox } from '../support/registryFixture';
import type { Sandbox } from '../support/sandbox';

describe('OCI provider against distribution 2.8 (TLS + htpasswd)', () => {
  let sb: Sandbox;
  let provider: RegistryProvider;

  before(async () => {
    sb = await sharedSandbox();
    provider = providerFor(sb.oci);
  });
  after(() => provider?.dispose());

  describe('authentication', () => {
    it('ping succeeds with the right credentials', async () => {
      const r = await provider.ping();
      assert.equal(r.error, undefined);
      assert.equal(r.ok, true);
      assert.ok(r.latencyMs >= 0 && r.latencyMs < 10_000);
      assert.equal(r.details?.api, 'registry/2.0');
    });

    it('reports UnauthorizedError without credentials', async () => {
      const p = providerFor(sb.oci, { credentials: null });
      try {
        await assert.rejects(p.listRepositories(undefined, undefined), UnauthorizedError);
        await assert.rejects(p.listTags('sample/hello', undefined), UnauthorizedError);
        const health = await p.ping();
        assert.equal(health.ok, false);
        assert.equal(health.error?.kind, 'unauthorized');
      } finally {
        p.dispose();
      }
    });

    it('reports UnauthorizedError for a wrong password, without echoing it', async () => {
      const p = providerFor(sb.oci, { credentials: { username: sb.oci.username, secret: 'not-the-password' } });
      try {
        const err = await p.listRepositories(undefined, undefined).then(
          () => assert.fail('listing should fail'),
          (e: unknown) => e,
        );
        assert.ok(err instanceof UnauthorizedError, String(err));
        assert.doesNotMatch(err.message, /not-the-password/);
        assert.doesNotMatch(err.message, new RegExp(sb.oci.password));
      } finally {
        p.dispose();
      }
    });
  });

  describe('listing', () => {
    it('pages the catalog with Link, one request per page', async () => {
      const pages: Repository[][] = [];
      const { requests } = await requestsDuring(sb.oci, async () => {
        let cursor: string | undefined;
        do {
          const page = await provider.listRepositories(undefined, cursor, { pageSize: 2 });
          pages.push(page.items);
          cursor = page.next;
        } while (cursor && pages.length < 10);
      });
      const names = pages.flat().map((r) => r.name);
      assert.deepEqual(names, sb.content.repositories);
      assert.ok(pages.every((p) => p.length <= 2), `pages: ${JSON.stringify(pages)}`);
      assert.equal(pages.length, Math.ceil(sb.content.repositories.length / 2));
      const catalog = requests.filter((r) => r.path.startsWith('/v2/_catalog'));
      assert.equal(catalog.filter((r) => r.status === 200).length, pages.length, JSON.stringify(catalog));
      assert.ok(catalog.every((r) => r.path.includes('n=2')), JSON.stringify(catalog));
    });

    it('gets all 1,500 tags of a repository in one request (distribution ignores n/last)', async () => {
      const { result: page, requests } = await requestsDuring(sb.oci, () => provider.listTags('sample/many', undefined, { pageSize: 100 }));
      assert.equal(page.items.length, 1500);
      assert.equal(page.next, undefined);
      assert.deepEqual(new Set(page.items.map((t) => t.name)), new Set(sb.content.many.tags));
      const lists = requests.filter((r) => r.path.startsWith('/v2/sample/many/tags/list') && r.status === 200);
      assert.equal(lists.length, 1, JSON.stringify(requests));
    });

    it('lists the tags of a small repository', async () => {
      const page = await provider.listTags('sample/shared', undefined);
      assert.deepEqual(page.items.map((t) => t.name).sort(), ['a', 'b', 'c']);
      assert.equal(page.next, undefined);
    });

    it('reports NotFoundError for a repository that does not exist', async () => {
      await assert.rejects(provider.listTags('sample/none', undefined), NotFoundError);
    });
  });

  describe('details', () => {
    it('describes a single-platform image', async () => {
      const d = await provider.getTagDetails!('sample/hello', '1.0');
      assert.equal(d.digest, sb.content.hello.digest);
      assert.equal(d.isIndex, false);
      assert.equal(d.mediaType, 'application/vnd.oci.image.manifest.v1+json');
      assert.equal(d.size, sb.content.hello.size);
      assert.equal(d.created, '2024-05-01T12:00:00Z');
      assert.deepEqual(
        d.platforms.map((p) => `${p.os}/${p.architecture}`),
        ['linux/amd64'],
      );
    });

    it('describes a multi-platform index', async () => {
      const d = await provider.getTagDetails!('sample/multi', 'latest');
      assert.equal(d.digest, sb.content.multi.digest);
      assert.equal(d.isIndex, true);
      assert.equal(d.mediaType, 'application/vnd.oci.image.index.v1+json');
      assert.deepEqual(
        d.platforms.map((p) => [p.os, p.architecture, p.variant].filter(Boolean).join('/')),
        sb.content.multi.platforms,
      );
      assert.deepEqual(
        d.platforms.map((p) => p.size),
        sb.content.multi.sizes,
      );
      assert.ok(d.platforms.every((p) => p.digest?.startsWith('sha256:')));
      assert.equal(d.size, sb.content.multi.sizes[0] + sb.content.multi.sizes[1]);
      // The newest platform's creation date.
      assert.equal(d.created, '2024-05-02T12:00:00Z');
    });

    it('reads layers and config of an image', async () => {
      const img = await provider.getImageDetails!('sample/hello', '1.0');
      assert.equal(img.digest, sb.content.hello.digest);
      assert.equal(img.images.length, 1);
      const [one] = img.images;
      assert.deepEqual(
        one.layers.map((l) => l.digest),
        sb.content.hello.layers,
      );
      assert.ok(one.layers.every((l) => l.mediaType === 'application/vnd.oci.image.layer.v1.tar+gzip' && l.size > 0));
      assert.equal(one.totalSize, sb.content.hello.size);
      const c = one.config!;
      assert.equal(c.digest, sb.content.hello.config);
      assert.ok(c.env.includes('IMAGE_NAME=hello'), c.env.join(','));
      assert.deepEqual(c.cmd, ['/bin/hello']);
      assert.equal(c.workingDir, '/srv');
      assert.deepEqual(c.exposedPorts, ['8080/tcp']);
      assert.equal(c.labels['org.opencontainers.image.title'], 'hello');
      assert.equal(c.history.length, 4);
      assert.deepEqual(
        c.history.map((h) => h.emptyLayer === true),
        [false, false, true, true],
      );
      assert.match(c.history[1].createdBy ?? '', /COPY hello/);
    });

    it('reads each platform of an index by digest', async () => {
      const img = await provider.getImageDetails!('sample/multi', sb.content.multi.digest);
      assert.equal(img.isIndex, true);
      assert.deepEqual(
        img.images.map((i) => i.config?.architecture),
        ['amd64', 'arm64'],
      );
      assert.deepEqual(
        img.images.map((i) => i.totalSize),
        sb.content.multi.sizes,
      );
    });
  });

  describe('delete', () => {
    it('plans a delete naming every tag that shares the digest', async () => {
      const plan = await provider.planDeleteTag!('sample/shared', 'a');
      assert.equal(plan.digest, sb.content.shared.digest);
      assert.deepEqual(plan.affectedTags, ['a', 'b', 'c']);
    });

    it('deletes by digest, and every tag of that digest disappears', async () => {
      const plan = await provider.planDeleteTag!('sample/shared', 'a');
      await provider.deleteTag!(plan);
      for (const tag of ['a', 'b', 'c']) await assert.rejects(provider.getTagDetails!('sample/shared', tag), NotFoundError);
      // distribution answers an empty tag list or NAME_UNKNOWN once the last tag is gone; either way no tag is left.
      const left = await provider.listTags('sample/shared', undefined).then(
        (p) => p.items.map((t) => t.name),
        (e: unknown) => {
          if (e instanceof NotFoundError) return [];
          throw e;
        },
      );
      assert.deepEqual(left, []);
      // Other repositories are untouched.
      assert.equal((await provider.getTagDetails!('sample/hello', '1.0')).digest, sb.content.hello.digest);
    });

    it('reports MethodNotAllowedError with a clear message when deletes are disabled', async () => {
      const p = providerFor(sb.ociNoDelete!);
      try {
        const plan = await p.planDeleteTag!('sample/hello', '1.0');
        const err = await p.deleteTag!(plan).then(
          () => assert.fail('delete should be refused'),
          (e: unknown) => e,
        );
        assert.ok(err instanceof MethodNotAllowedError, String(err));
        assert.match(err.message, /disabled/i);
        assert.match(err.message, /sample\/hello/);
        // Nothing was deleted.
        assert.equal((await p.getTagDetails!('sample/hello', '1.0')).digest, sb.content.hello.digest);
      } finally {
        p.dispose();
      }
    });
  });
});
