import * as assert from 'node:assert/strict';
import { silentLogger } from '../../src/registry/context';
import { DockerHubProvider } from '../../src/registry/dockerhub/provider';
import { OciProvider } from '../../src/registry/oci/provider';
import { startHubServer } from '../servers/hubServer';
import { startOciServer } from '../servers/ociServer';
import { startQuayServer } from '../servers/quayServer';
import { disposeQuayProviders, quayProvider } from '../support/quaySetup';

/** Every planned-then-run tag delete acts on the confirmed plan: a tag moved in between stops it, naming both digests. */
describe('Confirmation pinning of tag deletes (OCI, Docker Hub, Quay)', () => {
  it('OCI: a tag that came to share the digest after the plan stops the delete', async () => {
    const reg = await startOciServer();
    const p = new OciProvider({ connection: { id: 'o', kind: 'oci', url: reg.url }, credentials: async () => undefined, logger: silentLogger, http: { maxRetries: 0 } });
    try {
      const digest = reg.addImage('team/app', ['1.0']);
      const plan = await p.planDeleteTag('team/app', '1.0');
      reg.tag('team/app', 'also', digest);
      await assert.rejects(p.deleteTag(plan), /tags of team\/app@sha256:[a-f0-9]{64} changed since the confirmation \(now also also\); nothing was deleted/);
      assert.equal(reg.count({ method: 'DELETE' }), 0);
      const moved = reg.addImage('team/app', 'other', { salt: 'moved' });
      reg.tag('team/app', '1.0', moved);
      await assert.rejects(p.deleteTag(plan), new RegExp(`team/app:1\\.0 now points at ${moved} \\(was ${plan.digest}\\); nothing was deleted`));
      assert.equal(reg.count({ method: 'DELETE' }), 0);
    } finally {
      p.dispose();
      await reg.close();
    }
  });

  it('Docker Hub: a tag pushed again after the plan is not deleted', async () => {
    const hub = await startHubServer();
    const p = new DockerHubProvider({ connection: { id: 'h', kind: 'dockerhub', url: hub.url }, credentials: async () => ({ username: 'demo', secret: pat }), logger: silentLogger, http: { maxRetries: 0 } });
    let pat = '';
    try {
      hub.addUser('demo', 'demo-password');
      pat = hub.createPat('demo', { label: 'tests', scopes: ['repo:admin'] });
      hub.addRepository('demo', 'hello');
      hub.addTag('demo', 'hello', { name: 'v1' });
      const plan = await p.planDeleteTag('demo/hello', 'v1');
      const d2 = `sha256:${'b'.repeat(64)}`;
      hub.addTag('demo', 'hello', { name: 'v1', digest: d2 });
      await assert.rejects(p.deleteTag(plan), new RegExp(`demo/hello:v1 now points at ${d2} \\(was ${plan.digest}\\); nothing was deleted`));
      assert.deepEqual(hub.repository('demo', 'hello')!.tags, ['v1']);
      assert.equal(hub.requests.some((r) => r.method === 'DELETE'), false);
    } finally {
      p.dispose();
      await hub.close();
    }
  });

  it('Quay: a tag moved after the plan is not deleted', async () => {
    const quay = await startQuayServer();
    try {
      const { provider } = quayProvider(quay);
      const plan = await provider.planDeleteTag('acme/app', '1.0');
      const d2 = quay.addTag('acme/app', '1.0', { digest: `sha256:${'c'.repeat(64)}` });
      await assert.rejects(provider.deleteTag(plan), new RegExp(`acme/app:1\\.0 now points at ${d2} \\(was ${plan.digest}\\); nothing was deleted`));
      assert.ok((await provider.listTags('acme/app', undefined)).items.some((t) => t.name === '1.0'));
    } finally {
      disposeQuayProviders();
      await quay.close();
    }
  });
});
