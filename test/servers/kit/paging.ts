/** Paging helpers shared by the fakes that page. */

/** An RFC 5988 `Link` header value for the next page: `<path?query>; rel="next"` (relative, as registries send it). */
export function nextLink(path: string, query: Record<string, string>): string {
  return `<${path}?${new URLSearchParams(query).toString()}>; rel="next"`;
}
