import * as assert from 'node:assert/strict';
import { silentLogger } from '../../src/registry/context';
import { HarborProvider } from '../../src/registry/harbor/provider';
import { drive } from './adminDriver';
import { addUser } from '../servers/harborData';
import { HARBOR_ADMIN, HARBOR_ROBOT, seedHarbor } from '../servers/harborSeed';
import { type HarborRequestLogEntry, type HarborServer, startHarborServer } from '../servers/harborServer';

/** A Harbor provider for the fake, signed in as `user` (anonymous without). */
export function harborProvider(s: { url: string }, user?: { username: string; password: string }): HarborProvider {
  return new HarborProvider({
    connection: { id: 'h', kind: 'harbor', url: s.url, username: user?.username },
    credentials: () => Promise.resolve(user ? { username: user.username, secret: user.password } : undefined),
    logger: silentLogger,
    http: { maxRetries: 0, timeoutMs: 5000 },
  });
}

/** A resource type of the provider's admin model, driven with raw form values. */
export function typeOf(p: HarborProvider, type: string) {
  const t = p.admin.types.find((x) => x.type === type);
  assert.ok(t, `no resource type ${type}`);
  return drive(t);
}

/** The seeded fake Harbor with a project admin of team-a (`pa`) and providers for each role. */
export interface HarborAdminFixture {
  h: HarborServer;
  admin: HarborProvider;
  pa: HarborProvider;
  alice: HarborProvider;
  robot: HarborProvider;
  /** Requests the fake received with this method and a path matching. */
  sent(method: string, path: RegExp): HarborRequestLogEntry[];
  close(): Promise<void>;
}

export async function startHarborAdmin(): Promise<HarborAdminFixture> {
  const h = await startHarborServer();
  await seedHarbor(h);
  addUser(h.state, 'pa', 'pa-password', { 'team-a': 1 });
  addUser(h.state, 'bob', 'bob-password');
  const providers = { admin: harborProvider(h, HARBOR_ADMIN), pa: harborProvider(h, { username: 'pa', password: 'pa-password' }), alice: harborProvider(h, { username: 'alice', password: 'alice-password' }), robot: harborProvider(h, HARBOR_ROBOT) };
  return {
    h,
    ...providers,
    sent: (method, path) => h.requests.filter((r) => r.method === method && path.test(r.path)),
    async close() {
      for (const p of Object.values(providers)) p.dispose();
      await h.close();
    },
  };
}
