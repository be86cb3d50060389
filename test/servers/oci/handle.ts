/** Request handling of the OCI fake: faults first, then ping, catalog, tags, blobs and manifests. */
import type * as http from 'node:http';
import { pathMatches, type FaultList } from '../kit/faults';
import type { ociAuth } from './auth';
import { REFERRERS_RE, serveReferrers } from './referrers';
import { corrupt, list, send } from './respond';
import type { OciStore } from './store';
import { DIGEST_RE, MEDIA_TYPES, NAME_RE, TAG_RE, errorBody, sha256, type OciFault, type OciRequestKind, type OciRequestLogEntry, type OciServerOptions } from './types';

export function ociHandler(options: OciServerOptions, store: OciStore, auth: ReturnType<typeof ociAuth>, faults: FaultList<OciFault>, stalled: Set<http.ServerResponse>) {
  const { repos, repo } = store;
  const { checkAuth, serveToken } = auth;

  function matchFault(kind: OciRequestKind, method: string, path: string): (OciFault & { left: number }) | undefined {
    return faults.take((f) => (!f.kind || f.kind === kind) && (!f.method || f.method.toUpperCase() === method) && pathMatches(f.path, path, 'contains'));
  }

  function handle(req: http.IncomingMessage, res: http.ServerResponse, entry: OciRequestLogEntry, q: URLSearchParams): void {
    const method = req.method ?? 'GET';
    const path = entry.path;
    let body: string | undefined;
    const status = 200;
    let headers: Record<string, string> = {};
    let name: string | undefined;

    const fault = matchFault(entry.kind, method, path);
    if (fault) {
      switch (fault.action) {
        case 'reset':
          req.socket.destroy();
          return;
        case 'stall':
          stalled.add(res);
          return;
        case 'status': {
          const st = fault.status ?? 500;
          const h: Record<string, string> = {};
          if (fault.retryAfter !== undefined) h['Retry-After'] = String(fault.retryAfter);
          if (st === 401 && options.auth?.type === 'basic') h['WWW-Authenticate'] = 'Basic realm="Registry Realm"';
          const code = st === 401 ? 'UNAUTHORIZED' : st === 403 ? 'DENIED' : st === 404 ? 'NAME_UNKNOWN' : st === 405 ? 'UNSUPPORTED' : st === 429 ? 'TOOMANYREQUESTS' : 'UNKNOWN';
          return send(res, st, errorBody(code, `injected ${st}`), h);
        }
        case 'redirect': {
          const target = (fault.location ?? '').replace(/\/+$/, '') + path + (entry.query ? `?${entry.query}` : '');
          return send(res, 307, undefined, { Location: target });
        }
        default:
          break; // malformed / wrongType alter the normal answer below
      }
    }

    const m = /^\/v2\/(.+)\/(tags\/list|manifests\/([^/]+)|blobs\/([^/]+))$/.exec(path);
    if (m) name = m[1];

    if (entry.kind === 'token') return serveToken(req, res, q, fault);
    if (entry.kind === 'other') return send(res, 404, errorBody('NOT_FOUND', 'not found'));
    if (!checkAuth(req, res, entry.kind, name)) return;

    const finish = (): void => {
      if (fault && body !== undefined && status === 200) {
        if (fault.action === 'malformed') body = body.slice(0, Math.max(1, Math.floor(body.length / 2)));
        else if (fault.action === 'wrongType') body = corrupt(body, fault);
        else if (fault.action === 'tamper') body = body.replace(/(\d)(\D*)$/, (_, d: string, rest: string) => String((Number(d) + 1) % 10) + rest);
      }
      send(res, status, body, headers);
    };

    if (entry.kind === 'ping') {
      body = '{}';
      return finish();
    }
    if (entry.kind === 'catalog') {
      if (method !== 'GET') return send(res, 405, errorBody('UNSUPPORTED', 'method not allowed'));
      const r = list([...repos.keys()].filter((n) => repos.get(n)!.tags.size > 0), q, true, '/v2/_catalog');
      if ('error' in r) return send(res, 400, errorBody('PAGINATION_NUMBER_INVALID', 'invalid number of results requested'));
      body = JSON.stringify({ repositories: r.items });
      if (r.link) headers.Link = r.link;
      return finish();
    }
    if (entry.kind === 'referrers') {
      const rm = REFERRERS_RE.exec(path)!;
      if (options.referrers === false) return send(res, 404, errorBody('NOT_FOUND', 'not found'));
      if (!NAME_RE.test(rm[1])) return send(res, 400, errorBody('NAME_INVALID', 'invalid repository name'));
      if (!checkAuth(req, res, entry.kind, rm[1])) return;
      if (method !== 'GET') return send(res, 405, errorBody('UNSUPPORTED', 'method not allowed'));
      const answer = serveReferrers(res, rm[1], repo(rm[1]), rm[2], q, options.referrersPageSize, options.referrersFilter !== false);
      if (!answer) return;
      body = answer.body;
      headers = answer.headers;
      return finish();
    }
    if (!name || !NAME_RE.test(name)) return send(res, 400, errorBody('NAME_INVALID', 'invalid repository name'));
    const r = repo(name);
    if (!r) return send(res, 404, errorBody('NAME_UNKNOWN', 'repository name not known to registry', { name }));

    if (entry.kind === 'tags') {
      const l = list([...r.tags.keys()], q, options.tagPaging !== false, `/v2/${name}/tags/list`);
      if ('error' in l) return send(res, 400, errorBody('PAGINATION_NUMBER_INVALID', 'invalid number of results requested'));
      body = JSON.stringify({ name, tags: l.items });
      if (l.link) headers.Link = l.link;
      return finish();
    }

    if (entry.kind === 'blob') {
      const digest = decodeURIComponent(m![4]);
      const b = r.blobs.get(digest);
      if (!b) return send(res, 404, errorBody('BLOB_UNKNOWN', 'blob unknown to registry', { digest }));
      body = b.toString('utf8');
      headers = { 'Content-Type': 'application/octet-stream', 'Docker-Content-Digest': digest };
      return finish();
    }

    // manifests
    const ref = decodeURIComponent(m![3]);
    const isDigest = DIGEST_RE.test(ref);
    if (method === 'DELETE') {
      if (!options.deleteEnabled) return send(res, 405, errorBody('UNSUPPORTED', 'The operation is unsupported.'));
      if (!isDigest) return send(res, 400, errorBody('DIGEST_INVALID', 'provided digest did not match uploaded content'));
      if (!r.manifests.has(ref)) return send(res, 404, errorBody('MANIFEST_UNKNOWN', 'manifest unknown', { digest: ref }));
      r.manifests.delete(ref);
      for (const [t, d] of [...r.tags]) if (d === ref) r.tags.delete(t);
      return send(res, 202, undefined);
    }
    if (method === 'PUT') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const buf = Buffer.concat(chunks);
        let mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim();
        try {
          const parsed = JSON.parse(buf.toString('utf8')) as { mediaType?: string };
          mediaType = mediaType || parsed.mediaType || MEDIA_TYPES.ociManifest;
        } catch {
          return send(res, 400, errorBody('MANIFEST_INVALID', 'manifest invalid'));
        }
        const digest = sha256(buf);
        if (isDigest && ref !== digest) return send(res, 400, errorBody('DIGEST_INVALID', 'provided digest did not match uploaded content'));
        r.manifests.set(digest, { mediaType, body: buf });
        if (!isDigest) {
          if (!TAG_RE.test(ref)) return send(res, 400, errorBody('TAG_INVALID', 'manifest tag did not match URI'));
          r.tags.set(ref, digest);
        }
        send(res, 201, undefined, { Location: `/v2/${name}/manifests/${digest}`, 'Docker-Content-Digest': digest });
      });
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') return send(res, 405, errorBody('UNSUPPORTED', 'method not allowed'));
    const digest = isDigest ? ref : r.tags.get(ref);
    const man = digest ? r.manifests.get(digest) : undefined;
    if (!digest || !man) return send(res, 404, errorBody('MANIFEST_UNKNOWN', 'manifest unknown', { tag: ref }));
    const accept = (req.headers.accept ?? '')
      .split(',')
      .map((s) => s.split(';')[0].trim())
      .filter(Boolean);
    // Content negotiation as distribution does it: the manifest's media type must be named; no Accept (or only
    // `*/*`) gets no OCI or schema-2 manifest, so a client that forgets Accept sees 404, not the manifest.
    if (!accept.includes(man.mediaType)) {
      return send(res, 404, errorBody('MANIFEST_UNKNOWN', 'manifest unknown (not acceptable)', { tag: ref }));
    }
    body = man.body.toString('utf8');
    headers = { 'Content-Type': man.mediaType };
    if (options.digestHeader !== false && !(options.digestHeader === 'get' && method === 'HEAD')) headers['Docker-Content-Digest'] = digest;
    return finish();
  }

  function kindOf(path: string): OciRequestKind {
    if (path === '/v2/' || path === '/v2') return 'ping';
    if (path === '/v2/_catalog') return 'catalog';
    if (path === '/token') return 'token';
    if (/^\/v2\/.+\/tags\/list$/.test(path)) return 'tags';
    if (/^\/v2\/.+\/manifests\/[^/]+$/.test(path)) return 'manifest';
    if (/^\/v2\/.+\/blobs\/[^/]+$/.test(path)) return 'blob';
    if (REFERRERS_RE.test(path)) return 'referrers';
    return 'other';
  }

  return { handle, kindOf };
}
