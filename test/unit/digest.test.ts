import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '../../src/registry/context';
import { isVerifiableDigest, verifyDigest } from '../../src/registry/digest';
import { BadResponseError } from '../../src/registry/errors';
import { OciProvider } from '../../src/registry/oci/provider';

const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [] }, history: [] }));
const configDigest = 'sha256:' + crypto.createHash('sha256').update(config).digest('hex');
const manifest = Buffer.from(
  JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length }, layers: [] }),
);
const sha512 = 'sha512:' + crypto.createHash('sha512').update(manifest).digest('hex');

/** A registry that names its manifest by `headerDigest` and serves it under any digest. */
async function registry(headerDigest: string): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    if (url.includes('/blobs/')) return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(config);
    if (url.includes('/manifests/')) {
      return void res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': headerDigest }).end(req.method === 'HEAD' ? undefined : manifest);
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

function oci(url: string): OciProvider {
  return new OciProvider({ connection: { id: 't', kind: 'oci', url }, credentials: async () => undefined, logger: silentLogger, http: { timeoutMs: 5000, maxRetries: 0 } });
}

describe('digests', () => {
  it('accepts sha256 and sha512 only, with their exact lengths', () => {
    assert.ok(isVerifiableDigest(configDigest));
    assert.ok(isVerifiableDigest(sha512));
    for (const bad of ['md5:' + 'a'.repeat(32), 'x:y', 'sha256:' + 'a'.repeat(63), 'sha256:' + 'A'.repeat(64), 'sha512:' + 'a'.repeat(64), 'sha256'])
      assert.equal(isVerifiableDigest(bad), false, bad);
    assert.throws(() => verifyDigest(Buffer.from('x'), 'md5:' + 'a'.repeat(32), 'it'), /algorithm "md5"/);
    assert.throws(() => verifyDigest(Buffer.from('x'), 'sha512:' + 'a'.repeat(128), 'it'), /does not match/);
  });

  it('a sha512 Docker-Content-Digest is verified and shown', async () => {
    const r = await registry(sha512);
    const p = oci(r.url);
    try {
      const d = await p.getTagDetails('team/app', '1.0');
      assert.equal(d.digest, sha512);
    } finally {
      p.dispose();
      r.close();
    }
  });

  it('a sha512 digest that does not match the manifest is refused', async () => {
    const r = await registry('sha512:' + 'b'.repeat(128));
    const p = oci(r.url);
    try {
      await assert.rejects(p.getTagDetails('team/app', '1.0'), (e: Error) => e instanceof BadResponseError && /does not match its digest/.test(e.message));
    } finally {
      p.dispose();
      r.close();
    }
  });

  for (const bad of ['md5:' + 'c'.repeat(32), 'x:y', 'sha256:abc']) {
    it(`a Docker-Content-Digest of ${bad.slice(0, 12)}… is refused, not shown`, async () => {
      const r = await registry(bad);
      const p = oci(r.url);
      try {
        await assert.rejects(p.getTagDetails('team/app', '1.0'), (e: Error) => e instanceof BadResponseError && /cannot be verified|not a valid/.test(e.message));
        await assert.rejects(p.planDeleteTag('team/app', '1.0'), BadResponseError);
      } finally {
        p.dispose();
        r.close();
      }
    });
  }
});
