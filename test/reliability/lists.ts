import type { Cursor, Page } from '../../src/registry/provider';
import { PagedList } from '../../src/tree/pagedList';

/** Loads a list the way the tree does (first page, then "Load more" up to 6 times); resolves with the list. */
export async function drain<T>(loader: (c: Cursor | undefined) => Promise<Page<T>>): Promise<PagedList<T>> {
  const list = new PagedList<T>(loader, 2);
  await list.ensureLoaded();
  for (let i = 0; i < 6 && list.hasMore; i++) await list.loadMore();
  return list;
}
