import { toRegistryError, type RegistryError } from '../registry/errors';
import type { RegistryProvider } from '../registry/provider';
import type { LoadMoreNode, TreeNode } from '../tree/nodes';

/**
 * Go to…: finding a registry, namespace, repository or tag by name across the configured registries — among the
 * nodes the tree has loaded, and through the lookups each registry offers (a server-side repository name filter, a
 * repository's tag list, a repository looked up by its exact name) — and finding its node in the tree to reveal.
 * No `vscode` here.
 */

export type TargetType = 'registry' | 'namespace' | 'repository' | 'tag';

/** What Go to… reveals, by name: enough to walk the tree down to it. */
export interface Target {
  type: TargetType;
  registryName: string;
  namespace?: string;
  repository?: string;
  tag?: string;
}

/**
 * The containers whose children the tree has loaded (expanded in the view or listed by the palette), by node id. A
 * list the tree dropped since (a refresh) is listed again when searched: one request, as expanding it does.
 */
export class LoadedSet {
  private readonly ids = new Set<string>();

  add(node: TreeNode): void {
    this.ids.add(node.id);
  }

  has(node: TreeNode): boolean {
    return this.ids.has(node.id);
  }
}

/** The target a tree node stands for, when it is one Go to… reveals. */
export function targetOf(node: TreeNode): Target | undefined {
  switch (node.type) {
    case 'registry':
      return { type: 'registry', registryName: node.registryName };
    case 'namespace':
      return { type: 'namespace', registryName: node.registryName, namespace: node.namespace.name };
    case 'repository':
      return { type: 'repository', registryName: node.registryName, repository: node.repository.name, ...namespaceOf(node) };
    case 'tag': {
      const repo = node.parent?.type === 'repository' ? node.parent : undefined;
      return { type: 'tag', registryName: node.registryName, repository: node.repository, tag: node.tag.name, ...(repo ? namespaceOf(repo) : {}) };
    }
    default:
      return undefined;
  }
}

function namespaceOf(node: TreeNode): { namespace?: string } {
  return node.parent?.type === 'namespace' ? { namespace: node.parent.namespace.name } : {};
}

/** The name a target is searched and shown by: `registry`, `namespace`, `repository` or `repository:tag`. */
export function nameOf(t: Target): string {
  switch (t.type) {
    case 'registry':
      return t.registryName;
    case 'namespace':
      return t.namespace ?? '';
    case 'repository':
      return t.repository ?? '';
    case 'tag':
      return `${t.repository ?? ''}:${t.tag ?? ''}`;
  }
}

export const targetKey = (t: Target): string => `${t.registryName}\u0000${t.type}\u0000${nameOf(t)}`;

/**
 * Registries, namespaces, repositories and tags the tree has loaded: from its roots, into every container whose
 * children are loaded (no request is made for any other). At most `limit` targets.
 */
export async function loadedTargets(getChildren: (node?: TreeNode) => Promise<TreeNode[]> | TreeNode[], loaded: Pick<LoadedSet, 'has'>, limit = 20_000): Promise<{ target: Target; node: TreeNode }[]> {
  const out: { target: Target; node: TreeNode }[] = [];
  const queue: (TreeNode | undefined)[] = [undefined];
  while (queue.length && out.length < limit) {
    const parent = queue.shift();
    for (const node of await getChildren(parent)) {
      const target = targetOf(node);
      if (target) out.push({ target, node });
      // Admin groups and lists hold no registry, namespace, repository or tag: not searched.
      if (target && loaded.has(node) && node.type !== 'tag') queue.push(node);
    }
  }
  return out.slice(0, limit);
}

/** A typed name: `repo:tag` names a tag (the colon after the last slash), anything else a repository or namespace. */
export function parseQuery(q: string): { text: string; repository?: string; tag?: string } {
  const text = q.trim();
  const slash = text.lastIndexOf('/');
  const colon = text.lastIndexOf(':');
  if (colon > slash && colon > 0 && colon < text.length - 1) return { text, repository: text.slice(0, colon), tag: text.slice(colon + 1) };
  return { text };
}

/** Most pages of a tag list read to find a typed tag. */
const TAG_PAGES = 5;

/** A repository name as the Distribution spec allows one (lower-case path components). */
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

export interface SearchResult {
  targets: Target[];
  /** A lookup that failed for a reason other than "no such thing" (shown, never swallowed). */
  error?: RegistryError;
}

/**
 * The server-side lookups of one registry for a typed name: the tags of `repo` matching `tag` for `repo:tag`;
 * otherwise repositories through the provider's name filter (every namespace, or the one typed before a `/`) and
 * the repository of exactly that name.
 */
export async function searchRegistry(registryName: string, provider: RegistryProvider, query: string, signal: AbortSignal, limit = 20): Promise<SearchResult> {
  const q = parseQuery(query);
  const targets: Target[] = [];
  const seen = new Set<string>();
  const add = (t: Target) => {
    const k = targetKey(t);
    if (!seen.has(k) && targets.length < limit) {
      seen.add(k);
      targets.push(t);
    }
  };
  const namespaced = provider.capabilities.namespaces;
  const nsOf = (repository: string): { namespace?: string } => (namespaced && repository.includes('/') ? { namespace: repository.slice(0, repository.indexOf('/')) } : {});
  try {
    if (q.repository !== undefined && q.tag !== undefined) {
      if (!REPOSITORY.test(q.repository)) return { targets };
      // The tag list, page by page (a bounded number), until the exact tag shows.
      const want = q.tag.toLowerCase();
      const tags: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < TAG_PAGES; page++) {
        const got = await provider.listTags(q.repository, cursor, { pageSize: 100, signal });
        tags.push(...got.items.map((t) => t.name).filter((n) => n.toLowerCase().includes(want)));
        cursor = got.next;
        if (!cursor || tags.includes(q.tag)) break;
      }
      tags.sort((a, b) => Number(b === q.tag) - Number(a === q.tag));
      for (const tag of tags) add({ type: 'tag', registryName, repository: q.repository, tag, ...nsOf(q.repository) });
      return { targets };
    }
    const text = q.text;
    if (!text) return { targets };
    if (provider.capabilities.serverRepositoryFilter && namespaced) {
      const slash = text.indexOf('/');
      const namespaces = slash > 0 ? [text.slice(0, slash)] : provider.listNamespaces ? (await provider.listNamespaces(undefined, { pageSize: 50, signal })).items.map((n) => n.name) : [];
      const nameFilter = slash > 0 ? text.slice(slash + 1) : text;
      if (nameFilter) {
        for (const ns of namespaces) {
          const page = await provider.listRepositories(ns, undefined, { pageSize: limit, nameFilter, signal });
          for (const r of page.items) add({ type: 'repository', registryName, repository: r.name, ...(r.namespace || namespaced ? { namespace: r.namespace ?? ns } : {}) });
        }
      }
    }
    if (REPOSITORY.test(text) && !seen.has(targetKey({ type: 'repository', registryName, repository: text }))) {
      const exists = await provider.listTags(text, undefined, { pageSize: 1, signal }).then(() => true, absent);
      if (exists) add({ type: 'repository', registryName, repository: text, ...nsOf(text) });
    }
    return { targets };
  } catch (e) {
    const error = toRegistryError(e);
    if (error.kind === 'notFound') return { targets };
    return { targets, error };
  }
}

/** false for a lookup that failed because the thing is not there; any other failure is thrown on. */
function absent(e: unknown): false {
  const err = toRegistryError(e);
  // Registries answer 401 or 403 for a repository that does not exist as often as 404.
  if (err.kind === 'notFound' || err.kind === 'unauthorized' || err.kind === 'forbidden') return false;
  throw err;
}

/** The tree operations `locate` uses to bring a node into the loaded tree. */
export interface Locator {
  getChildren(node?: TreeNode): Promise<TreeNode[]> | TreeNode[];
  loadMore(node: LoadMoreNode): Promise<void>;
  /** Filters a namespace's repositories on the server (providers with a server-side name filter). */
  filterOnServer?(node: TreeNode, text: string): boolean;
}

/** A target's way down the tree: which child to take at each level. */
function steps(t: Target): ((n: TreeNode) => boolean)[] {
  const out: ((n: TreeNode) => boolean)[] = [(n) => n.type === 'registry' && n.registryName === t.registryName];
  if (t.type === 'registry') return out;
  if (t.namespace !== undefined) out.push((n) => n.type === 'namespace' && n.namespace.name === t.namespace);
  if (t.type === 'namespace') return out;
  out.push((n) => n.type === 'repository' && n.repository.name === t.repository);
  if (t.type === 'tag') out.push((n) => n.type === 'tag' && n.tag.name === t.tag);
  return out;
}

/**
 * Finds a target's node in the tree, loading the levels on the way (their first pages, then further pages up to
 * `maxPages` per level, or a server-side filter where the provider has one). Throws a clear error when it is not there.
 */
export async function locate(tree: Locator, target: Target, maxPages = 20): Promise<TreeNode> {
  let parent: TreeNode | undefined;
  for (const match of steps(target)) {
    let found: TreeNode | undefined;
    let filtered = false;
    for (let page = 0; ; page++) {
      const children = await tree.getChildren(parent);
      found = children.find(match);
      if (found) break;
      const more = children.find((c): c is LoadMoreNode => c.type === 'loadMore');
      const error = children.find((c) => c.type === 'message' && c.severity === 'error');
      if (error && error.type === 'message') throw new Error(error.text);
      // A server-side filter reaches a repository on any page at once.
      if (!filtered && parent && target.repository && parent.type === 'namespace' && tree.filterOnServer?.(parent, shortName(target.repository, parent.namespace.name))) {
        filtered = true;
        continue;
      }
      if (!more || page >= maxPages) break;
      await tree.loadMore(more);
    }
    if (!found) throw new NotInTree(target);
    parent = found;
  }
  return parent!;
}

function shortName(repository: string, namespace: string): string {
  return repository.startsWith(namespace + '/') ? repository.slice(namespace.length + 1) : repository;
}

export class NotInTree extends Error {
  constructor(readonly target: Target) {
    super(`${nameOf(target)} is not listed in ${target.registryName}`);
    this.name = 'NotInTree';
  }
}
