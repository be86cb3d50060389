import type { RegistryProvider, Tag } from '../registry/provider';
import { sortTags, type TagOrder } from '../registry/tagOrder';
import { typeOf } from './adminTree';
import type { ChildData } from './childNodes';
import type { ContainerNode } from './nodes';
import { PagedList } from './pagedList';

export interface ListOptions {
  pageSize: number;
  tagOrder: TagOrder;
  /** The container's filter text, sent to providers that filter repositories on the server. */
  nameFilter?: string;
  /** The order chosen for a namespace's repositories or a repository's tags (`BY_TAG_SETTING`: the setting's). */
  ordering?: string;
}

/** A repository's tags in the order of the tag sort order setting, for providers that order tags on the server. */
export const BY_TAG_SETTING = '~setting';

/** The paged child list of a container: what its provider lists under it, one page per expansion or Load more…. */
export function createList(node: ContainerNode, provider: RegistryProvider, o: ListOptions): PagedList<ChildData> {
  const pageSize = o.pageSize;
  switch (node.type) {
    case 'registry':
      if (provider.capabilities.namespaces && provider.listNamespaces) {
        return new PagedList<ChildData>((c) => provider.listNamespaces!(c, { pageSize }), pageSize);
      }
      return new PagedList<ChildData>((c) => provider.listRepositories(undefined, c, { pageSize }), pageSize);
    case 'namespace': {
      const nameFilter = provider.capabilities.serverRepositoryFilter ? o.nameFilter : undefined;
      const ordering = o.ordering;
      return new PagedList<ChildData>((c) => provider.listRepositories(node.namespace.name, c, { pageSize, ...(nameFilter ? { nameFilter } : {}), ...(ordering ? { ordering } : {}) }), pageSize);
    }
    case 'admin': {
      const t = node.role === 'list' ? typeOf(provider.admin, node) : undefined;
      const list = t?.shape === 'list' ? t.list.bind(t) : undefined;
      if (!list) return new PagedList<ChildData>(() => Promise.resolve({ items: [] }), pageSize);
      const scope = node.scope;
      return new PagedList<ChildData>((c) => list(scope, c, { pageSize }), pageSize);
    }
    case 'tag':
      return new PagedList<ChildData>(() => Promise.resolve({ items: [] }), pageSize);
    case 'repository': {
      const order = o.tagOrder;
      const nameFilter = provider.capabilities.serverTagFilter ? o.nameFilter : undefined;
      // A registry that orders tags itself keeps its order (its default, or the one chosen) unless the setting's is.
      const serverOrder = !!provider.capabilities.tagOrderings?.length && o.ordering !== BY_TAG_SETTING;
      const ordering = serverOrder ? o.ordering : undefined;
      return new PagedList<ChildData>(
        (c) => provider.listTags(node.repository.name, c, { pageSize, ...(nameFilter ? { nameFilter } : {}), ...(ordering ? { ordering } : {}) }),
        pageSize,
        // Sorting only makes sense when the server handed over the whole list; server pages keep server order.
        (items, whole) => (whole && !serverOrder ? sortTags(items as Tag[], order) : items),
      );
    }
  }
}
