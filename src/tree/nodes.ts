import type { ConfigProblem } from '../config/schema';
import type { RegistryErrorKind } from '../registry/errors';
import type { Namespace, Repository, ResourceItem, Tag, TagDetails } from '../registry/provider';

/** Tree nodes are plain data; `toTreeItem` renders them and `RegistryTreeProvider` loads their children. */
export type TreeNode = RegistryNode | ConfigErrorNode | NamespaceNode | RepositoryNode | TagNode | LoadMoreNode | MessageNode | ResourceNode;

/** Nodes that own a paged child list. */
export type ContainerNode = RegistryNode | NamespaceNode | RepositoryNode | ResourceNode;

interface NodeBase {
  /** Stable, unique id (also the TreeItem id so expansion state survives refreshes). */
  readonly id: string;
  readonly parent?: TreeNode;
}

export interface RegistryNode extends NodeBase {
  readonly type: 'registry';
  readonly registryName: string;
  readonly kind: string;
  readonly url: string;
  signedIn: boolean;
}

export interface ConfigErrorNode extends NodeBase {
  readonly type: 'configError';
  readonly problem: ConfigProblem;
}

export interface NamespaceNode extends NodeBase {
  readonly type: 'namespace';
  readonly registryName: string;
  readonly namespace: Namespace;
  /** The provider can create repositories here. */
  readonly canCreateRepository?: boolean;
  /** Orders the provider can list repositories in (a Sort Repositories command is offered). */
  readonly repositoryOrderings?: readonly string[];
}

export interface RepositoryNode extends NodeBase {
  readonly type: 'repository';
  readonly registryName: string;
  readonly repository: Repository;
  /** The provider can edit (`editable`) or delete (`removable`) this repository. */
  readonly editable?: boolean;
  readonly removable?: boolean;
}

/** A provider-defined node (Policies, Account and what lies under them); expandable ones page their children. */
export interface ResourceNode extends NodeBase {
  readonly type: 'resource';
  readonly registryName: string;
  readonly item: ResourceItem;
}

export interface TagNode extends NodeBase {
  readonly type: 'tag';
  readonly registryName: string;
  readonly repository: string;
  readonly tag: Tag;
  readonly pullHost: string;
  readonly deletable: boolean;
  /** The provider reports vulnerability scans for tags. */
  readonly scannable?: boolean;
  details?: TagDetails;
  detailsError?: string;
}

export interface LoadMoreNode extends NodeBase {
  readonly type: 'loadMore';
  readonly owner: ContainerNode;
  /** How many more a click reveals or fetches, when known. */
  readonly remaining?: number;
}

export type MessageAction = 'signIn' | 'retry' | 'none';

export interface MessageNode extends NodeBase {
  readonly type: 'message';
  readonly severity: 'error' | 'warning' | 'info';
  readonly text: string;
  readonly detail?: string;
  readonly errorKind?: RegistryErrorKind;
  readonly action: MessageAction;
  /** The container whose listing failed (retry reloads it). */
  readonly owner?: ContainerNode;
  readonly registryName?: string;
}

export function isContainer(n: TreeNode): n is ContainerNode {
  return n.type === 'registry' || n.type === 'namespace' || n.type === 'repository' || (n.type === 'resource' && n.item.expandable);
}

export function registryNameOf(n: TreeNode): string | undefined {
  switch (n.type) {
    case 'registry':
    case 'namespace':
    case 'repository':
    case 'tag':
    case 'resource':
      return n.registryName;
    case 'loadMore':
      return registryNameOf(n.owner);
    case 'message':
      return n.registryName;
    case 'configError':
      return undefined;
  }
}

export function tagReference(n: TagNode): string {
  return `${n.pullHost}/${n.repository}:${n.tag.name}`;
}

export function digestReference(n: TagNode, digest: string): string {
  return `${n.pullHost}/${n.repository}@${digest}`;
}
