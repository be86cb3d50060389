import * as assert from 'node:assert/strict';
import { coreType, defineCore, resourceType, type AdminModel, type ResourceRef } from '../../src/registry/admin';
import type { HarborProvider } from '../../src/registry/harbor/provider';
import { addRepository, pushImage } from '../servers/harborData';
import { HARBOR_ADMIN, seedHarbor } from '../servers/harborSeed';
import { type HarborServer, startHarborServer } from '../servers/harborServer';
import { drive } from '../support/adminDriver';
import { MT, referrerArtifact, spdxDocument } from '../support/supplyChain';
import { harborProvider } from './harborProvider.test';

const HARBOR_SBOM = 'application/vnd.goharbor.harbor.sbom.v1';
const tagRef = (repository: string, tag: string): ResourceRef => ({ type: 'tag', scope: { namespace: repository.split('/')[0], repository, tag }, key: tag });

describe('Harbor: Show SBOM on a tag', () => {
  let h: HarborServer;
  let admin: HarborProvider;
  let sbomDigest: string;
  let subject: string;

  before(async () => {
    h = await startHarborServer();
    await seedHarbor(h);
    addRepository(h.state, 'team-a/sbom');
    const art = await pushImage(h.state, 'team-a/sbom', ['1.0'], { salt: 'sbom' });
    await pushImage(h.state, 'team-a/sbom', ['bare'], { salt: 'bare' });
    subject = art.digest;
    // Harbor's generated SBOM: an OCI artifact whose subject is the image, recorded as the artifact's accessory.
    const sbom = referrerArtifact({ mediaType: MT.manifest, digest: art.digest, size: 0 }, HARBOR_SBOM, [{ mediaType: MT.spdxJson, body: spdxDocument('team-a/sbom:1.0', [{ name: 'openssl', version: '3.0.13', license: 'Apache-2.0', purl: 'pkg:apk/alpine/openssl@3.0.13' }]) }]);
    for (const b of sbom.blobs) h.state.registry!.putBlob('team-a/sbom', b);
    sbomDigest = h.state.registry!.putManifest('team-a/sbom', sbom.manifest, MT.manifest);
    art.accessories = [{ id: 7001, digest: sbomDigest, type: 'harbor.sbom', size: sbom.manifest.length }];
    admin = harborProvider(h, HARBOR_ADMIN);
  });
  after(async () => {
    admin.dispose();
    await h.close();
  });
  afterEach(() => assert.deepEqual(h.violations, []));

  const showSbom = () => drive(coreType(admin.admin, 'tag')!).actions.find((a) => a.id === 'showSbom')!;

  it('opens the attachment panel on the SBOM accessory, which the registry side reads as a package table', async () => {
    const action = showSbom();
    assert.equal(action.title, 'Show SBOM');
    const outcome = await action.run(tagRef('team-a/sbom', '1.0'));
    assert.deepEqual(outcome, { kind: 'panel', panel: 'attachment', repository: 'team-a/sbom', reference: '1.0', subject, digest: sbomDigest, attachmentKind: 'sbom' });
    // What the panel then does: find the accessory among what refers to the image, read it through /v2/.
    const list = await admin.listAttachments('team-a/sbom', subject);
    const item = list.items.find((a) => a.digest === sbomDigest)!;
    assert.deepEqual([item.kind, item.subtype, item.source], ['sbom', 'harbor', 'referrers']);
    const content = await admin.getAttachmentContent('team-a/sbom', item);
    assert.equal(content.view.body.type, 'sbom');
    if (content.view.body.type === 'sbom') assert.deepEqual(content.view.body.sbom.packages, [{ name: 'openssl', version: '3.0.13', type: 'apk', license: 'Apache-2.0', purl: 'pkg:apk/alpine/openssl@3.0.13' }]);
  });

  it('says so when the artifact has no SBOM accessory', async () => {
    const outcome = await showSbom().run(tagRef('team-a/sbom', 'bare'));
    assert.equal(outcome.kind, 'done');
    if (outcome.kind === 'done') assert.match(outcome.message, /No SBOM is attached to team-a\/sbom:bare/);
  });
});

describe('admin model: several parts adding actions to one core type', () => {
  it('are one core entry with every part\'s actions, in order', () => {
    const run = () => Promise.resolve({ kind: 'done', message: '' } as const);
    const model: AdminModel = {
      groups: [],
      types: [
        defineCore({ type: 'tag', shape: 'core', actions: [{ id: 'a', title: 'A', run }] }),
        defineCore({ type: 'repository', shape: 'core', actions: [{ id: 'r', title: 'R', run }] }),
        defineCore({ type: 'tag', shape: 'core', actions: [{ id: 'b', title: 'B', run }] }),
      ],
    };
    assert.deepEqual(coreType(model, 'tag')?.actions?.map((a) => a.id), ['a', 'b']);
    assert.deepEqual(coreType(model, 'repository')?.actions?.map((a) => a.id), ['r']);
    assert.equal(resourceType(model, 'nothing'), undefined);
  });
});
