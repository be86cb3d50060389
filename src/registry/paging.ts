/** An opaque paging cursor; only the provider that produced it knows what it means (Link URL, `next`, page number…). */
export type Cursor = string;

/** One page of results. `next` is absent on the last page. */
export interface Page<T> {
  items: T[];
  next?: Cursor;
}

export interface PageOptions {
  /** Requested page size; providers may clamp it. */
  pageSize?: number;
  signal?: AbortSignal;
  /** Server-side repository name filter (capabilities.serverRepositoryFilter). */
  nameFilter?: string;
  /** Repository order, one of capabilities.repositoryOrderings. */
  ordering?: string;
}
