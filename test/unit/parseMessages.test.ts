import * as assert from 'node:assert/strict';
import { silentLogger, type ProviderContext } from '../../src/registry/context';
import { DockerHubProvider } from '../../src/registry/dockerhub/provider';
import { hubTransport } from '../../src/registry/dockerhub/transport';
import { DockerHubV1Provider } from '../../src/registry/dockerhubV1/provider';
import { BadResponseError, NotFoundError } from '../../src/registry/errors';
import { HttpTransport } from '../../src/registry/http';
import { OciProvider } from '../../src/registry/oci/provider';
import { seedDemo, startDtrServer } from '../servers/dtrServer';
import { startHubServer } from '../servers/hubServer';
import { startHubV1Server } from '../servers/hubV1Server';
import { startOciServer } from '../servers/ociServer';
import { startQuayServer } from '../servers/quayServer';
import { dtrProvider } from '../support/dtrFixture';
import { disposeQuayProviders, quayProvider } from '../support/quaySetup';

/** The whole message of the error `p` rejects with (it must be a BadResponseError unless `type` says otherwise). */
async function messageOf(p: Promise<unknown>, type: new (...a: never[]) => Error = BadResponseError): Promise<string> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof type, `expected ${type.name}, got ${String(e)}`);
    return e.message;
  }
  return assert.fail('expected a rejection');
}

const ctxFor = (kind: string, url: string, creds?: { username?: string; secret?: string }): ProviderContext => ({
  connection: { id: kind, kind, url },
  credentials: async () => creds,
  logger: silentLogger,
  http: { timeoutMs: 5_000, maxRetries: 0 },
});

/**
 * Every provider words a bad answer as one English sentence: what was asked for, then what was wrong with the
 * answer. These pin the exact text of a parse failure for a listing of each provider.
 */
describe('parse-error messages read as English, for every provider', () => {
  it('Docker Hub', async () => {
    const hub = await startHubServer();
    hub.addRepository('acme', 'api');
    hub.addTag('acme', 'api', { name: '1.0' });
    const p = new DockerHubProvider(ctxFor('dockerhub', hub.url), { registry: null });
    try {
      hub.setFault({ kind: 'wrongType', path: '/v2/namespaces/acme/repositories', field: 'results.0.is_private', value: 'yes' });
      assert.equal(await messageOf(p.listRepositories('acme', undefined)), 'Docker Hub sent an unexpected answer for the repositories of acme: field results[0].is_private: Invalid input: expected boolean, received string');
      hub.setFault({ kind: 'malformed', path: '/v2/namespaces/acme/repositories/api/tags' });
      assert.equal(await messageOf(p.listTags('acme/api', undefined)), 'Docker Hub sent malformed JSON for the tags of acme/api');
      hub.setFault(undefined);
      assert.equal(await messageOf(p.listTags('acme/nope', undefined), NotFoundError), 'The tags of acme/nope: not found (404): Object not found');
    } finally {
      p.dispose();
      await hub.close();
    }
  });

  it('Docker Hub v1 index', async () => {
    const v1 = await startHubV1Server();
    v1.addRepository('foo', 'bar', [{ id: '9e89cc6f0bc3c38722009fe6857087b486531f9a779a0c17e3ed29dae8f12c4f' }]);
    const p = new DockerHubV1Provider(ctxFor('dockerhub-v1', v1.url), { transport: hubTransport(new HttpTransport({ timeoutMs: 5_000 })) });
    try {
      v1.setFault({ kind: 'wrongType', path: '/v1/repositories/foo/bar/images' });
      assert.equal(await messageOf(p.listTags('foo/bar', undefined)), 'Docker Hub sent an unexpected answer for the image list of foo/bar: field [0].id: Invalid input: expected string, received number');
    } finally {
      await v1.close();
    }
  });

  it('OCI registry', async () => {
    const reg = await startOciServer();
    reg.addImage('team/app', ['1.0']);
    const p = new OciProvider(ctxFor('oci', reg.url));
    try {
      reg.fault({ kind: 'tags', action: 'wrongType', field: 'tags', value: 'nope' });
      assert.equal(await messageOf(p.listTags('team/app', undefined)), 'The tag list of team/app: unexpected response: tags: must be an array of tag names');
    } finally {
      p.dispose();
      await reg.close();
    }
  });

  it('DTR', async () => {
    const dtr = await startDtrServer();
    seedDemo(dtr);
    const p = dtrProvider(dtr, 'alice', dtr.createToken('alice', 'tests'));
    try {
      dtr.setFault({ kind: 'wrongType', path: /\/repositories\/engineering$/, field: 'repositories.name', value: 42 });
      assert.equal(await messageOf(p.listRepositories('engineering', undefined)), 'The repositories of engineering: unexpected response: repositories.0.name: Invalid input: expected string, received number');
    } finally {
      p.dispose();
      await dtr.close();
    }
  });

  it('Quay', async () => {
    const quay = await startQuayServer();
    const { provider } = quayProvider(quay);
    try {
      quay.setFault({ path: /\/tag\/$/, kind: 'wrongType', body: { tags: [{ name: 5 }], page: 1, has_additional: false } });
      assert.equal(await messageOf(provider.listTags('acme/app', undefined)), 'The tags of acme/app: unexpected response: tags.0.name: Invalid input: expected string, received number; tags.0.manifest_digest: Invalid input: expected string, received undefined');
    } finally {
      disposeQuayProviders();
      await quay.close();
    }
  });
});
