import * as vscode from 'vscode';
import type { RegistryState } from '../config/registryManager';
import type { RegistryError } from '../registry/errors';
import type { ResourceRef } from '../registry/admin';
import type { Namespace, RegistryProvider, Repository, Tag } from '../registry/provider';
import type { AdminNodes } from './adminNodes';
import { coreTraits, placedTypes, typeOf } from './adminTree';
import type { ContainerNode, MessageNode, NamespaceNode, RegistryNode, RepositoryNode, TagNode, TreeNode } from './nodes';
import { errorText } from './vscodeItems';

/** Namespaces, repositories, tags, or items of an admin list (whatever the provider's resource type lists). */
export type ChildData = unknown;

/**
 * Builds the child nodes of a container from what its listing returned. A node already known by its id is reused
 * (expansion state and loaded details survive a repaint); `nodes` is the tree's map of loaded nodes.
 */
export class ChildNodes {
  constructor(
    private readonly nodes: Map<string, TreeNode>,
    private readonly admin: AdminNodes,
  ) {}

  childNode(parent: ContainerNode, d: ChildData, provider: RegistryProvider): TreeNode {
    let id: string;
    let make: () => TreeNode;
    switch (parent.type) {
      case 'registry':
        if (provider.capabilities.namespaces && provider.listNamespaces) {
          const ns = d as Namespace;
          id = `${parent.id}/ns:${ns.name}`;
          const repositoryOrderings = provider.capabilities.repositoryOrderings;
          const ref: ResourceRef = { type: 'namespace', scope: { namespace: ns.name }, key: ns.name };
          make = (): NamespaceNode => ({ type: 'namespace', id, parent, registryName: parent.registryName, namespace: ns, ref, traits: coreTraits(provider.admin, 'namespace', ref), repositoryOrderings });
        } else {
          id = `${parent.id}/repo:${(d as Repository).name}`;
          make = () => repositoryNode(parent, id, d as Repository, provider);
        }
        break;
      case 'namespace':
        id = `${parent.id}/repo:${(d as Repository).name}`;
        make = () => repositoryNode(parent, id, d as Repository, provider);
        break;
      case 'admin': {
        const t = typeOf(provider.admin, parent);
        if (t?.shape !== 'list') return infoNode(parent, vscode.l10n.t('None'));
        const key = t.key(d);
        return this.admin.itemNode(parent, t, { type: t.type, scope: parent.scope, key }, d, provider, `${parent.id}/itm:${key}`);
      }
      case 'tag':
        return infoNode(parent, vscode.l10n.t('None'));
      case 'repository': {
        const tag = d as Tag;
        id = `${parent.id}/tag:${tag.name}`;
        make = () => tagNode(parent, id, tag, provider);
        break;
      }
    }
    let n = this.nodes.get(id);
    if (!n) {
      n = make();
      this.nodes.set(id, n);
    }
    return n;
  }
}

function repositoryNode(parent: ContainerNode, id: string, d: Repository, provider: RegistryProvider): RepositoryNode {
  const namespace = d.namespace ?? (parent.type === 'namespace' ? parent.namespace.name : undefined);
  const ref: ResourceRef = { type: 'repository', scope: { ...(namespace ? { namespace } : {}), repository: d.name }, key: d.name };
  return { type: 'repository', id, parent, registryName: parent.registryName, repository: d, ref, traits: coreTraits(provider.admin, 'repository', ref) };
}

function tagNode(parent: RepositoryNode, id: string, tag: Tag, provider: RegistryProvider): TagNode {
  const ref: ResourceRef = { type: 'tag', scope: { ...parent.ref.scope, tag: tag.name, ...(tag.digest ? { digest: tag.digest } : {}) }, key: tag.name };
  return {
    type: 'tag',
    id,
    parent,
    registryName: parent.registryName,
    repository: parent.repository.name,
    tag,
    ref,
    traits: coreTraits(provider.admin, 'tag', ref),
    expandable: placedTypes(provider.admin, 'tag').length > 0,
    pullHost: provider.pullHost(),
    deletable: provider.capabilities.deleteTag && !!provider.deleteTag,
    scannable: provider.capabilities.scanSummary && !!provider.getScanReport,
    attachable: !!provider.listAttachments,
  };
}

export function unavailableNode(owner: ContainerNode, state: RegistryState): MessageNode {
  const err = state.unavailable!;
  return {
    type: 'message',
    id: `${owner.id}#unavailable`,
    parent: owner,
    owner,
    registryName: owner.registryName,
    severity: err.kind === 'unsupported' ? 'info' : 'error',
    text: err.message,
    errorKind: err.kind,
    action: err.kind === 'unsupported' ? 'none' : 'retry',
  };
}

export function infoNode(owner: ContainerNode, text: string): MessageNode {
  return { type: 'message', id: `${owner.id}#info`, parent: owner, owner, registryName: owner.registryName, severity: 'info', text, action: 'none' };
}

/**
 * The one-line notice of a listing: a registry that does not list its repositories (offering Add Repository…), or
 * a part of a listing the credentials may not read (GitHub organizations without `read:org`).
 */
export function noticeNode(owner: ContainerNode, text: string, action: 'addRepository' | 'none' = 'addRepository'): MessageNode {
  return { type: 'message', id: `${owner.id}#notice`, parent: owner, owner, registryName: owner.registryName, severity: 'info', text, action };
}

export function messageFor(err: RegistryError, owner: ContainerNode | undefined, parent: TreeNode | undefined): MessageNode {
  const signIn = err.kind === 'unauthorized';
  // A registry with no stored credentials that asks for them is an invitation to sign in, not a failure.
  if (signIn && registryOf(owner)?.signedIn === false) {
    return {
      type: 'message',
      id: `${owner?.id ?? 'root'}#signIn`,
      parent,
      owner,
      registryName: owner?.registryName,
      severity: 'info',
      invitation: true,
      text: vscode.l10n.t('Sign In…'),
      detail: [err.message, err.request].filter(Boolean).join('\n'),
      errorKind: err.kind,
      action: 'signIn',
    };
  }
  return {
    type: 'message',
    id: `${owner?.id ?? 'root'}#error`,
    parent,
    owner,
    registryName: owner?.registryName,
    severity: 'error',
    text: errorText(err),
    detail: err.request,
    errorKind: err.kind,
    action: signIn ? 'signIn' : 'retry',
  };
}

/** The registry node a node sits under (itself for a registry node). */
function registryOf(node: TreeNode | undefined): RegistryNode | undefined {
  for (let n: TreeNode | undefined = node; n; n = n.parent) if (n.type === 'registry') return n;
  return undefined;
}
