import { isRobot } from '../client';
import { HarborRobotApi } from '../robotApi';
import type { HarborAdminHost } from './shared';

/** How long the answer of `GET /users/current` is trusted for showing or hiding the system administration nodes. */
const TTL_MS = 60_000;

const cache = new WeakMap<HarborAdminHost, { user: string; at: number; value: Promise<boolean> }>();

/**
 * Whether the signed-in user is a Harbor system administrator (`sysadmin_flag` of `GET /users/current`, or
 * `admin_role_in_auth` for a member of the LDAP / OIDC admin group), for the `available` of admins-only types: false,
 * without a request, when signed out or signed in with a robot account (Harbor answers 412 to robots), and false when
 * the call fails (the nodes are hidden, never an error).
 */
export async function isSysAdmin(host: HarborAdminHost, signal?: AbortSignal): Promise<boolean> {
  const { username, secret } = await host.client.login();
  if (!username || !secret || isRobot(username)) return false;
  const hit = cache.get(host);
  if (hit && hit.user === username && Date.now() - hit.at < TTL_MS) return hit.value;
  const value: Promise<boolean> = new HarborRobotApi(host.client)
    .currentUser(signal)
    .then((u) => u.sysadmin_flag === true || u.admin_role_in_auth === true)
    .catch(() => {
      if (cache.get(host)?.value === value) cache.delete(host);
      return false;
    });
  cache.set(host, { user: username, at: Date.now(), value });
  return value;
}
