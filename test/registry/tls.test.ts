import * as assert from 'node:assert/strict';
import { UnreachableError } from '../../src/registry/errors';
import { providerFor, requestsDuring, sharedSandbox } from '../support/registryFixture';
import type { Sandbox } from '../support/sandbox';

describe('TLS against distribution 2.8 with a private CA', () => {
  let sb: Sandbox;
  before(async () => {
    sb = await sharedSandbox();
  });

  it('without caFile: a clear certificate error that names the setting to fix', async () => {
    const p = providerFor(sb.oci, { trustCa: false });
    try {
      const { result: err, requests } = await requestsDuring(sb.oci, () =>
        p.listRepositories(undefined, undefined).then(
          () => assert.fail('an untrusted certificate must be refused'),
          (x: unknown) => x,
        ),
      );
      assert.ok(err instanceof UnreachableError, String(err));
      assert.match(err.message, /certificate/i);
      assert.match(err.message, /caFile/);
      assert.match(err.message, new RegExp(sb.oci.host.replace(/\./g, '\\.')));
      // The handshake failed, so the registry never saw a request.
      assert.equal(requests.length, 0);
      const health = await p.ping();
      assert.equal(health.ok, false);
      assert.equal(health.error?.kind, 'unreachable');
      assert.match(health.error?.message ?? '', /certificate/i);
    } finally {
      p.dispose();
    }
  });

  it('with caFile: trusted', async () => {
    const p = providerFor(sb.oci, { trustCa: true });
    try {
      const page = await p.listRepositories(undefined, undefined);
      assert.ok(page.items.some((r) => r.name === 'sample/hello'));
    } finally {
      p.dispose();
    }
  });

  it('insecureSkipTlsVerify accepts the certificate without the CA', async () => {
    const p = providerFor(sb.oci, { trustCa: false, insecureSkipTlsVerify: true });
    try {
      assert.equal((await p.ping()).ok, true);
    } finally {
      p.dispose();
    }
  });
});
