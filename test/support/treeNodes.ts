import type { RepositoryNode, TagNode } from '../../src/tree/nodes';

/** A tag row of `team/app` in the registry `local` that expands to Attached (no provider behind it). */
export function attachableTagNode(name: string, repository = 'team/app'): TagNode {
  const repo: RepositoryNode = { type: 'repository', id: 'r', registryName: 'local', repository: { name: repository }, ref: { type: 'repository', scope: { repository }, key: repository } };
  return { type: 'tag', id: `r/tag:${name}`, parent: repo, registryName: 'local', repository, tag: { name }, ref: { type: 'tag', scope: { repository, tag: name }, key: name }, pullHost: 'h', deletable: false, attachable: true };
}
