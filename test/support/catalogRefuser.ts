/**
 * A registry that does not list its repositories: a small proxy on 127.0.0.1 (plain http) in front of a real
 * registry of the sandbox that answers `/v2/_catalog` with 401, 403 or 404 (a Distribution error body, as GitHub,
 * GitLab or ECR refuse it) and passes every other request through unchanged (Authorization included), so tags,
 * manifests, blobs and deletes are the real registry's.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface CatalogRefuser {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `127.0.0.1:<port>` */
  host: string;
  /** Catalog requests refused so far. */
  refused(): number;
  close(): Promise<void>;
}

export interface CatalogRefuserOptions {
  /** The registry behind it (`https://127.0.0.1:<port>`). */
  upstream: string;
  /** PEM of the CA that signed the upstream's certificate. */
  caFile?: string;
  /** Status for `/v2/_catalog` (default 403). */
  status?: 401 | 403 | 404;
}

const CODES = { 401: 'UNAUTHORIZED', 403: 'DENIED', 404: 'NOT_FOUND' } as const;

export async function startCatalogRefuser(opts: CatalogRefuserOptions): Promise<CatalogRefuser> {
  const upstream = new URL(opts.upstream);
  const ca = opts.caFile ? fs.readFileSync(opts.caFile) : undefined;
  const status = opts.status ?? 403;
  let refused = 0;
  const agent = upstream.protocol === 'https:' ? new https.Agent({ ca, keepAlive: true }) : new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/v2/_catalog' || path.startsWith('/v2/_catalog?')) {
      refused++;
      const body = JSON.stringify({ errors: [{ code: CODES[status], message: 'the repository list is not available', detail: null }] });
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'docker-distribution-api-version': 'registry/2.0' });
      res.end(body);
      return;
    }
    const headers = { ...req.headers, host: upstream.host };
    const send = upstream.protocol === 'https:' ? https.request : http.request;
    const out = send({ protocol: upstream.protocol, hostname: upstream.hostname, port: upstream.port, method: req.method, path, headers, agent }, (up) => {
      const h = { ...up.headers };
      // A redirect to the upstream (blob storage on the same registry) is rewritten to come back through here.
      if (typeof h.location === 'string' && h.location.startsWith(upstream.origin)) h.location = h.location.replace(upstream.origin, `http://${req.headers.host}`);
      res.writeHead(up.statusCode ?? 502, h);
      up.pipe(res);
    });
    out.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`upstream: ${e.message}`);
    });
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    refused: () => refused,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
