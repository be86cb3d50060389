import * as assert from 'node:assert/strict';
import { attachedChildren, attachedNode, describeAttachments } from '../../src/tree/attachedNodes';
import type { AttachedNode, AttachmentNode, RepositoryNode, TagNode, TreeNode } from '../../src/tree/nodes';
import { toTreeItem } from '../../src/tree/treeItems';
import { closeOciServers, disposeOciProviders, ociProvider, ociServer } from '../support/ociSetup';
import { attachSupplyChain, MT, storeSink } from '../support/supplyChain';

afterEach(async () => {
  disposeOciProviders();
  await closeOciServers();
});

function tagNode(name: string): TagNode {
  const repo: RepositoryNode = { type: 'repository', id: 'r', registryName: 'local', repository: { name: 'team/app' }, ref: { type: 'repository', scope: { repository: 'team/app' }, key: 'team/app' } };
  return { type: 'tag', id: `r/tag:${name}`, parent: repo, registryName: 'local', repository: 'team/app', tag: { name }, ref: { type: 'tag', scope: { repository: 'team/app', tag: name }, key: name }, pullHost: 'h', deletable: false, attachable: true };
}

describe('tree: Attached under a tag', () => {
  it('a signed image: the row badge, then Attached lists signatures first, each opening the attachment panel', async () => {
    const reg = await ociServer();
    const digest = reg.addImage('team/app', '1.0');
    await attachSupplyChain(storeSink(reg), 'team/app', 'team/app:1.0', { mediaType: MT.manifest, digest, size: 0 }, { tagSchema: false });
    const p = ociProvider(reg);
    const tag = tagNode('1.0');
    tag.details = await p.getTagDetails('team/app', '1.0');
    reg.resetCounters();
    await describeAttachments(tag, p, new Set(reg.tagsOf('team/app')), () => undefined);
    assert.equal(reg.requests.length, 1, 'one referrers call for the badge');
    const row = toTreeItem(tag);
    assert.match(row.description ?? '', /signed · 2 SBOMs · 2 attestations/);
    assert.equal(row.collapsible, 'collapsed');

    const attached = (await attachedNode(tag, p))!;
    assert.equal(toTreeItem(attached).label, 'Attached');
    const children = await attachedChildren(attached, p, (m, ...a) => m.replace(/\{(\d+)\}/g, (_, i: string) => String(a[Number(i)])));
    const rows = children.map((c) => toTreeItem(c));
    assert.deepEqual(rows.map((r) => r.label), ['cosign signature', 'SPDX SBOM', 'SPDX SBOM', 'SLSA provenance v0.2', 'SLSA provenance v1']);
    assert.equal(rows[0].command?.command, 'registryExplorer.attachment.show');
    assert.equal((children[0] as AttachmentNode).subject, digest);
  });

  it('an index: its own attachments, then one Attached node per platform', async () => {
    const reg = await ociServer();
    reg.addImage('team/app', 'multi', { platforms: ['linux/amd64', 'linux/arm64/v8'] });
    const p = ociProvider(reg);
    const tag = tagNode('multi');
    const attached = (await attachedNode(tag, p))!;
    const children = await attachedChildren(attached, p, (m) => m);
    assert.deepEqual(children.map((c: TreeNode) => toTreeItem(c).label), ['linux/amd64', 'linux/arm64/v8']);
    const amd = children[0] as AttachedNode;
    assert.equal(amd.digest, tag.details!.platforms[0].digest);
    assert.deepEqual((await attachedChildren(amd, p, (m) => m)).map((c) => toTreeItem(c).label), ['Nothing attached']);
  });
});
