/** Paging helpers shared by the fakes that page. */

/** An RFC 5988 `Link` header value for the next page: `<path?query>; rel="next"` (relative, as registries send it). */
export function nextLink(path: string, query: Record<string, string>): string {
  return `<${path}?${new URLSearchParams(query).toString()}>; rel="next"`;
}

/** A positive integer query parameter, `fallback` when absent; NaN when present but not an integer ≥ 1. */
export function positiveInt(q: URLSearchParams, key: string, fallback: number): number {
  const v = q.has(key) ? Number(q.get(key)) : fallback;
  return Number.isInteger(v) && v >= 1 ? v : Number.NaN;
}
