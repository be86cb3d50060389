import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '../../src/registry/context';
import { BadResponseError } from '../../src/registry/errors';
import { BODY_LIMITS, HttpTransport } from '../../src/registry/http';
import { OciProvider } from '../../src/registry/oci/provider';

const configDigest = 'sha256:' + crypto.createHash('sha256').update('{}').digest('hex');
const manifest = Buffer.from(
  JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: 2 }, layers: [] }),
);
const manifestDigest = 'sha256:' + crypto.createHash('sha256').update(manifest).digest('hex');

/** Serves a manifest declaring a 2-byte config, then streams up to 60 MiB for the config; counts what it sent. */
async function greedyRegistry(): Promise<{ url: string; sent: () => number; close: () => void }> {
  let sent = 0;
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const server = http.createServer((req, res) => {
    if (req.url?.includes('/manifests/')) {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': manifestDigest }).end(req.method === 'HEAD' ? undefined : manifest);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    let left = (60 * 1024 * 1024) / chunk.length;
    const pump = (): void => {
      while (left > 0 && !res.destroyed) {
        left--;
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    res.on('close', () => (left = 0));
    pump();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sent: () => sent, close: () => server.close() };
}

describe('body limits by request kind', () => {
  it('a config blob is read only up to its declared size, eight tags at once', async () => {
    const reg = await greedyRegistry();
    const p = new OciProvider({ connection: { id: 't', kind: 'oci', url: reg.url }, credentials: async () => undefined, logger: silentLogger, http: { maxRetries: 0 } });
    try {
      const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => p.getImageDetails(`team/app${i}`, '1.0')));
      for (const r of results) {
        assert.equal(r.status, 'rejected');
        assert.ok(r.reason instanceof BadResponseError && /larger than 2 bytes/.test((r.reason as Error).message), String(r.reason));
      }
      await new Promise((r) => setTimeout(r, 100));
      assert.ok(reg.sent() < 16 * 1024 * 1024, `${(reg.sent() / 1048576).toFixed(1)} MiB sent before the reads stopped`);
    } finally {
      p.dispose();
      reg.close();
    }
  });

  it('a declared Content-Length past the limit is refused before reading', async () => {
    const server = http.createServer((_req, res) => res.writeHead(200, { 'content-length': String(BODY_LIMITS.token + 1) }).end(Buffer.alloc(BODY_LIMITS.token + 1)));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const t = new HttpTransport({ maxRetries: 0 });
    try {
      await assert.rejects(t.request({ method: 'GET', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, maxBodyBytes: BODY_LIMITS.token }), /larger than 1 MiB/);
    } finally {
      t.dispose();
      server.close();
    }
  });

  it('a declared Content-Length past the limit is refused on the header, without waiting for the body', async () => {
    // Declares 2 MiB, sends 1 KiB, then holds the connection open: a client that reads before refusing waits for the
    // rest until it times out; one that refuses on Content-Length answers at once.
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024) });
      res.write(Buffer.alloc(1024, 0x20));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const t = new HttpTransport({ maxRetries: 0, timeoutMs: 4000 });
    const started = Date.now();
    try {
      await assert.rejects(t.request({ method: 'GET', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, maxBodyBytes: BODY_LIMITS.token }), (e: unknown) => e instanceof BadResponseError && /larger than 1 MiB/.test(e.message));
      assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms`);
    } finally {
      t.dispose();
      server.closeAllConnections();
      server.close();
    }
  });
});
