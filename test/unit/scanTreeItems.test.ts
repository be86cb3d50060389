import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeAttachments } from '../../src/tree/attachedNodes';
import type { TagNode } from '../../src/tree/nodes';
import { toTreeItem } from '../../src/tree/treeItems';
import { closeOciServers, disposeOciProviders, ociProvider, ociServer } from '../support/ociSetup';
import { attachableTagNode as tagNode } from '../support/treeNodes';
import { cosignAttestation, cosignSignature, cosignVulnStatement, generateSigningKey, MT, push, referrerArtifact, storeSink } from '../support/supplyChain';

afterEach(async () => {
  disposeOciProviders();
  await closeOciServers();
});


const traits = (n: TagNode) => (toTreeItem(n).contextValue ?? '').split(';');

describe('tree: Show Scan Summary and Verify Signature… follow what is attached', () => {
  it('a tag of a registry without a scanner offers them only once its badge listing holds a report or a signature', async () => {
    const reg = await ociServer();
    const digest = reg.addImage('team/app', '1.0');
    const p = ociProvider(reg);
    const plain = tagNode('1.0');
    plain.details = await p.getTagDetails('team/app', '1.0');
    await describeAttachments(plain, p, new Set(reg.tagsOf('team/app')), () => undefined);
    assert.ok(!traits(plain).includes('scannable') && !traits(plain).includes('signed'), 'nothing attached: neither');

    const sarif = fs.readFileSync(path.resolve(__dirname, '../fixtures/reports/trivy-alpine-310.sarif.json'));
    await push(storeSink(reg), 'team/app', referrerArtifact({ mediaType: MT.manifest, digest, size: 0 }, 'application/sarif+json', [{ mediaType: 'application/sarif+json', body: sarif }]));
    await push(storeSink(reg), 'team/app', cosignSignature('team/app:1.0', digest, [generateSigningKey().privateKey]));
    const attached = tagNode('1.0');
    attached.details = plain.details;
    await describeAttachments(attached, p, new Set(reg.tagsOf('team/app')), () => undefined);
    assert.ok(traits(attached).includes('scannable'), 'an attached SARIF report: Show Scan Summary');
    assert.ok(traits(attached).includes('signed'), 'a cosign signature: Verify Signature…');
  });

  it('a cosign vulnerability attestation in the .att tag (counted, not read, by the badge listing) offers Show Scan Summary', async () => {
    const reg = await ociServer();
    const digest = reg.addImage('team/app', '1.0');
    const p = ociProvider(reg);
    const key = generateSigningKey();
    await push(storeSink(reg), 'team/app', cosignAttestation(digest, [{ predicateType: 'https://cosign.sigstore.dev/attestation/vuln/v1', statement: cosignVulnStatement('team/app:1.0', digest) }], key.privateKey));
    const node = tagNode('1.0');
    node.details = await p.getTagDetails('team/app', '1.0');
    await describeAttachments(node, p, new Set(reg.tagsOf('team/app')), () => undefined);
    assert.equal(toTreeItem(node).description?.includes('1 attestation'), true, 'the badge counts the .att tag');
    assert.ok(traits(node).includes('scannable'), 'the .att tag may hold a vulnerability report: Show Scan Summary');
    assert.ok(traits(node).includes('signed'), 'an attestation: Verify Signature…');
  });
});
