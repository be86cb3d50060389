import type { ConfigProblem } from '../config/schema';
import type { RegistryErrorKind } from '../registry/errors';
import type { ItemView, NodeRef, ResourceRef, Scope } from '../registry/admin';
import type { Attachment, AttachmentList } from '../registry/attachments';
import type { Namespace, Repository, Tag, TagDetails } from '../registry/provider';

/** Tree nodes are plain data; `toTreeItem` renders them and `RegistryTreeProvider` loads their children. */
export type TreeNode = RegistryNode | ConfigErrorNode | NamespaceNode | RepositoryNode | TagNode | LoadMoreNode | MessageNode | AdminNode | AttachedNode | AttachmentNode;

/** Nodes that own a child list (paged, or just the admin nodes placed under them). */
export type ContainerNode = RegistryNode | NamespaceNode | RepositoryNode | AdminNode | TagNode;

interface NodeBase {
  /** Stable, unique id (also the TreeItem id so expansion state survives refreshes). */
  readonly id: string;
  readonly parent?: TreeNode;
}

export interface RegistryNode extends NodeBase {
  readonly type: 'registry';
  readonly registryName: string;
  readonly kind: string;
  /** Short name of the kind, from its descriptor (`shortLabel`). */
  readonly kindLabel?: string;
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
  readonly ref: ResourceRef;
  /** Generic admin traits (`creatable`, `editable`, `removable`, `actionable`) from the provider's admin model. */
  readonly traits?: readonly string[];
  /** Orders the provider can list repositories in (a Sort Repositories command is offered). */
  readonly repositoryOrderings?: readonly string[];
}

export interface RepositoryNode extends NodeBase {
  readonly type: 'repository';
  readonly registryName: string;
  readonly repository: Repository;
  readonly ref: ResourceRef;
  /** Generic admin traits (`creatable`, `editable`, `removable`, `actionable`). */
  readonly traits?: readonly string[];
}

/**
 * A node of a provider's admin model: a group node (Policies, Account…), the list node of a resource type (paged
 * items), or one item (a list's item, or a singleton). Items carry their typed reference, never a parsed id.
 */
export interface AdminNode extends NodeBase {
  readonly type: 'admin';
  readonly registryName: string;
  readonly role: 'group' | 'list' | 'item';
  /** The group id (`group`) or the resource type (`list`, `item`). */
  readonly name: string;
  /** Where the group or list sits; for an item, the scope of its reference. */
  readonly scope: Scope;
  /** `list` and singleton `item`: `{type, scope}` (no key); a list's `item`: the item's reference. */
  readonly ref?: NodeRef | ResourceRef;
  readonly view: ItemView;
  /** The item as the provider listed it (for action `when` checks). */
  readonly item?: unknown;
  readonly expandable: boolean;
  readonly traits: readonly string[];
}

export interface TagNode extends NodeBase {
  readonly type: 'tag';
  readonly registryName: string;
  readonly repository: string;
  readonly tag: Tag;
  readonly ref: ResourceRef;
  readonly traits?: readonly string[];
  /** Admin resources are placed under tags: the tag expands. */
  readonly expandable?: boolean;
  readonly pullHost: string;
  readonly deletable: boolean;
  /** The provider reports vulnerability scans for tags. */
  readonly scannable?: boolean;
  details?: TagDetails;
  detailsError?: string;
  /** The registry lists what is attached to images: the tag expands to an Attached node. */
  readonly attachable?: boolean;
  /** The badge's listing (one referrers call; cosign tags from the tag list). */
  attachments?: AttachmentList;
}

/** "Attached" under a tag (or, under it, one platform of an index): what refers to `digest`. */
export interface AttachedNode extends NodeBase {
  readonly type: 'attached';
  readonly registryName: string;
  readonly tagNode: TagNode;
  readonly digest: string;
  /** `os/arch[/variant]` when this is one platform of an index. */
  readonly platform?: string;
}

/** One signature, SBOM, attestation or artifact; opens the attachment panel. */
export interface AttachmentNode extends NodeBase {
  readonly type: 'attachment';
  readonly registryName: string;
  readonly tagNode: TagNode;
  readonly subject: string;
  readonly platform?: string;
  readonly attachment: Attachment;
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
  return n.type === 'registry' || n.type === 'namespace' || n.type === 'repository' || (n.type === 'admin' && n.expandable) || (n.type === 'tag' && !!n.expandable);
}

export function registryNameOf(n: TreeNode): string | undefined {
  switch (n.type) {
    case 'registry':
    case 'namespace':
    case 'repository':
    case 'tag':
    case 'admin':
    case 'attached':
    case 'attachment':
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

/** The typed reference of a node the admin model can act on (core nodes and admin items / lists). */
export function refOf(n: TreeNode): NodeRef | ResourceRef | undefined {
  switch (n.type) {
    case 'namespace':
    case 'repository':
    case 'tag':
    case 'admin':
      return n.ref;
    default:
      return undefined;
  }
}
