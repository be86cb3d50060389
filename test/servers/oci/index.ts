/**
 * An in-memory OCI Distribution (Docker Registry HTTP API V2) server on 127.0.0.1 for tests, the benchmark and the
 * demo. It follows the OCI Distribution Specification (github.com/opencontainers/distribution-spec, spec.md) for what the client reads:
 * - `GET /v2/` ping; `GET /v2/_catalog?n=&last=` and `GET /v2/<name>/tags/list?n=&last=` with server-side paging,
 *   names in ASCIIbetical order (Go's `sort.Strings`), a relative `Link: <…>; rel="next"` header when more remain,
 *   `n=0` → empty list without Link;
 * - manifests `GET`/`HEAD`/`PUT`/`DELETE` with `Docker-Content-Digest`, content negotiation by `Accept`;
 * - blobs `GET` (configs; layers are descriptors only);
 * - error bodies `{"errors":[{"code","message","detail"}]}`.
 *
 * As strict as distribution where a client could get it wrong: a manifest GET/HEAD whose `Accept` does not name the
 * manifest's media type is 404 (no `Accept`, no manifest); a token is accepted only by the registry whose realm issued
 * it for its `service`; `/token` refuses another `service`, a malformed `scope` and a non-Basic `Authorization` (401).
 *
 * Optional extras: Basic auth, or the Bearer token challenge with its own token endpoint (`/token`), distribution 2.8's
 * habit of ignoring `n`/`last` on tags/list (`tagPaging: false`), deletion switched off (405), per-kind request
 * counters and fault injection (malformed JSON, wrong types, status overrides, redirects, connection reset, stall).
 *
 * ```ts
 * const reg = await startOciServer({ auth: { type: 'bearer', username: 'alice', password: 'pw' } });
 * reg.addImage('team/app', ['1.0', 'latest'], { platforms: ['linux/amd64', 'linux/arm64'] });
 * // … reg.url, reg.count('tags'), reg.fault({ kind: 'tags', action: 'status', status: 500, times: 1 }) …
 * await reg.close();
 * ```
 */
import * as http from 'node:http';
import type { Socket } from 'node:net';
import { FaultList } from '../kit/faults';
import { listen } from '../kit/listen';
import { RequestLog } from '../kit/log';
import { ociAuth, tokenStore } from './auth';
import { ociHandler } from './handle';
import { send } from './respond';
import { createOciStore } from './store';
import { asciiCompare, errorBody, sha256, type OciFault, type OciRequestLogEntry, type OciServer, type OciServerOptions } from './types';

/** Starts the server; resolves once it listens. */
export async function startOciServer(opts: OciServerOptions = {}): Promise<OciServer> {
  const options: OciServerOptions = { tagPaging: true, deleteEnabled: true, digestHeader: true, referrers: true, ...opts };
  const now = opts.now ?? (() => Date.now());
  const log = new RequestLog<OciRequestLogEntry>(Number.POSITIVE_INFINITY);
  const requests = log.entries;
  const faults = new FaultList<OciFault>();
  const issued = new Set<string>();
  const sockets = new Set<Socket>();
  const stalled = new Set<http.ServerResponse>();
  const st = { baseUrl: '' };
  let inFlight = 0;
  let peakInFlight = 0;
  const store = createOciStore();
  const { repos, repo, addImage, tag } = store;
  const auth = ociAuth(options, now, issued, st);
  const { authKind } = auth;
  const { handle, kindOf } = ociHandler(options, store, auth, faults, stalled);

  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const entry: OciRequestLogEntry = {
      method: req.method ?? 'GET',
      path: u.pathname,
      query: u.search.replace(/^\?/, ''),
      kind: kindOf(u.pathname),
      status: 0,
      auth: authKind(req.headers.authorization),
      authorization: req.headers.authorization,
      at: Date.now(),
    };
    log.push(entry);
    inFlight++;
    peakInFlight = Math.max(peakInFlight, inFlight);
    let done = false;
    const finished = (): void => {
      if (done) return;
      done = true;
      inFlight--;
    };
    res.on('finish', () => {
      entry.status = res.statusCode;
      finished();
    });
    res.on('close', finished);
    const run = (): void => {
      try {
        handle(req, res, entry, u.searchParams);
      } catch (e) {
        send(res, 500, errorBody('UNKNOWN', e instanceof Error ? e.message : String(e)));
      }
    };
    if (options.delayMs) setTimeout(run, options.delayMs);
    else run();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  st.baseUrl = await listen(server, opts.port ?? 0);
  const baseUrl = st.baseUrl;
  const port = Number(new URL(baseUrl).port);

  const countMatching = (filter?: Parameters<OciServer['count']>[0]): number => {
    if (filter === undefined) return requests.length;
    const f = typeof filter === 'string' ? { kind: filter } : filter;
    return requests.filter(
      (r) =>
        (!f.kind || r.kind === f.kind) &&
        (!f.method || r.method === f.method.toUpperCase()) &&
        (f.status === undefined || r.status === f.status) &&
        (f.path === undefined || (typeof f.path === 'string' ? r.path.includes(f.path) : f.path.test(r.path))),
    ).length;
  };

  return {
    url: baseUrl,
    host: `127.0.0.1:${port}`,
    requests,
    options,
    count: countMatching,
    get peakInFlight() {
      return peakInFlight;
    },
    resetCounters: () => {
      log.clear();
      peakInFlight = inFlight;
    },
    fault: (f) => {
      faults.add(f);
    },
    clearFaults: () => {
      faults.clear();
    },
    addImage,
    tag,
    putBlob: (repository, body) => store.putBlob(repo(repository, true)!, Buffer.isBuffer(body) ? body : Buffer.from(body)),
    putManifest: (repository, body, mediaType, t) => {
      const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
      const digest = sha256(buf);
      repo(repository, true)!.manifests.set(digest, { mediaType, body: buf });
      if (t) tag(repository, t, digest);
      return digest;
    },
    untag: (repository, t) => {
      repo(repository)?.tags.delete(t);
    },
    digestOf: (repository, t) => repo(repository)?.tags.get(t),
    tagsOf: (repository) => [...(repo(repository)?.tags.keys() ?? [])].sort(asciiCompare),
    repositories: () => [...repos.keys()].sort(asciiCompare),
    revokeTokens: () => {
      for (const t of issued) tokenStore.delete(t);
      issued.clear();
    },
    close: async () => {
      for (const t of issued) tokenStore.delete(t);
      for (const r of stalled) r.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
