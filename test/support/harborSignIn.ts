import * as assert from 'node:assert/strict';
import { silentLogger } from '../../src/registry/context';
import { HarborProvider } from '../../src/registry/harbor/provider';
import { HARBOR_ADMIN, seedHarbor } from '../servers/harborSeed';
import { type HarborServer, startHarborServer } from '../servers/harborServer';
import { drive, type Driven } from './adminDriver';

/** A Harbor provider on a fake Harbor, signed in as `user` (anonymous without one), with no retries. */
export function harborProvider(s: { url: string }, user?: { username: string; password: string }): HarborProvider {
  return new HarborProvider({
    connection: { id: 'h', kind: 'harbor', url: s.url, username: user?.username },
    credentials: () => Promise.resolve(user ? { username: user.username, secret: user.password } : undefined),
    logger: silentLogger,
    http: { maxRetries: 0, timeoutMs: 5000 },
  });
}

/**
 * A seeded fake Harbor and an administrator's provider, fresh for each test (registered as mocha hooks of the
 * calling `describe`); after each test, no request or answer broke the document.
 */
export function seededHarbor(): { h: HarborServer; admin: HarborProvider } {
  const f = {} as { h: HarborServer; admin: HarborProvider };
  beforeEach(async () => {
    f.h = await startHarborServer();
    await seedHarbor(f.h);
    f.admin = harborProvider(f.h, HARBOR_ADMIN);
  });
  afterEach(async () => {
    f.admin.dispose();
    assert.deepEqual(f.h.violations, [], 'every request and answer matched the document');
    await f.h.close();
  });
  return f;
}

/** A resource type of a provider's admin model, driven as the pipeline does. */
export function adminType(p: HarborProvider, type: string): Driven {
  const t = p.admin.types.find((x) => x.type === type);
  assert.ok(t, `no resource type ${type}`);
  return drive(t);
}
