/** The seeded Quay fake for the demo and in-host tests. */
import { startQuayServer } from './index';
import { ALL_SCOPES } from './types';

/**
 * The seeded fake Quay with its registry, for the demo and in-host tests. `otherToken` is a second API token of the
 * same user that the embedded `/v2` registry does not accept (it takes `$oauthtoken` with `token` only): signed in
 * with it, tag details need the registry login.
 */
export async function startDemoQuay(): Promise<{ info: { url: string; token: string; otherToken: string; username: string; namespaces: string[] }; stop: () => Promise<void> }> {
  const s = await startQuayServer({ registry: true });
  return { info: { url: s.url, token: s.token, otherToken: s.issueToken(s.username, ALL_SCOPES), username: s.username, namespaces: [] }, stop: () => s.close() };
}
