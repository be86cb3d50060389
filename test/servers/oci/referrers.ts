/**
 * The OCI fake's referrers API (distribution-spec "Listing Referrers"): `GET /v2/<name>/referrers/<digest>` answers an
 * image index of the manifests in the repository whose `subject` names the digest, each descriptor with
 * `artifactType` (the manifest's, else its config media type; omitted for an index) and the manifest's annotations.
 * `?artifactType=` filters and the answer says so with `OCI-Filters-Applied: artifactType`. With
 * `referrersPageSize`, the list is paged with a `Link: <…>; rel="next"` header. A malformed digest is 400; a
 * repository without referrers gets an empty index (never 404, which means "no referrers API").
 * With `referrers: false` the route does not exist (404), as on distribution 2.8.
 */
import type * as http from 'node:http';
import { send } from './respond';
import type { Repo } from './types';
import { DIGEST_RE, MEDIA_TYPES, errorBody } from './types';

export const REFERRERS_RE = /^\/v2\/(.+)\/referrers\/([^/]+)$/;

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

/** Descriptors of the manifests of `r` whose subject is `digest`, in digest order. */
export function referrersOf(r: Repo, digest: string): Descriptor[] {
  const out: Descriptor[] = [];
  for (const [d, m] of r.manifests) {
    let doc: { subject?: { digest?: string }; artifactType?: string; config?: { mediaType?: string }; annotations?: Record<string, string>; manifests?: unknown };
    try {
      doc = JSON.parse(m.body.toString('utf8')) as typeof doc;
    } catch {
      continue;
    }
    if (doc.subject?.digest !== digest) continue;
    const isIndex = m.mediaType === MEDIA_TYPES.ociIndex || Array.isArray(doc.manifests);
    const artifactType = doc.artifactType || (isIndex ? undefined : doc.config?.mediaType);
    out.push({ mediaType: m.mediaType, digest: d, size: m.body.length, ...(artifactType ? { artifactType } : {}), ...(doc.annotations ? { annotations: doc.annotations } : {}) });
  }
  return out.sort((a, b) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
}

/** The answer to a referrers request for repository `name` (already authorised): an error was sent, or the body to send. */
export function serveReferrers(res: http.ServerResponse, name: string, r: Repo | undefined, rawDigest: string, q: URLSearchParams, pageSize: number | undefined, filter = true): { body: string; headers: Record<string, string> } | undefined {
  const digest = decodeURIComponent(rawDigest);
  if (!DIGEST_RE.test(digest)) {
    send(res, 400, errorBody('DIGEST_INVALID', 'invalid digest'));
    return undefined;
  }
  let all = r ? referrersOf(r, digest) : [];
  const headers: Record<string, string> = { 'Content-Type': MEDIA_TYPES.ociIndex };
  const artifactType = filter ? q.get('artifactType') : null;
  if (artifactType !== null) {
    all = all.filter((d) => d.artifactType === artifactType);
    headers['OCI-Filters-Applied'] = 'artifactType';
  }
  const page = Math.max(0, Number(q.get('page') ?? '0') || 0);
  let items = all;
  if (pageSize && pageSize > 0) {
    items = all.slice(page * pageSize, (page + 1) * pageSize);
    if ((page + 1) * pageSize < all.length) {
      const next = new URLSearchParams();
      if (artifactType !== null) next.set('artifactType', artifactType);
      next.set('page', String(page + 1));
      headers.Link = `</v2/${name}/referrers/${digest}?${next.toString()}>; rel="next"`;
    }
  }
  return { body: JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: items }), headers };
}
