import type { ResourceType } from '../../admin';
import type { ProviderContext } from '../../context';
import type { HarborApi } from '../api';
import { type HarborClient, isRobot } from '../client';

/** What the admin model needs of its provider (an interface, so the provider and its model do not import each other). */
export interface HarborAdminHost {
  readonly ctx: ProviderContext;
  readonly client: HarborClient;
  readonly api: HarborApi;
}

/** A part of the model: the resource types it declares, given the host. */
export type HarborAdminPart = (host: HarborAdminHost) => ResourceType<any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any -- each type has its own item shape

/**
 * Signed in as a person (a user or an OIDC user), not a robot account: project administration (quota, members,
 * policies, webhooks, audit log) reads the project itself, which Harbor refuses robot accounts, so robots are not
 * offered those nodes.
 */
export async function signedInPerson(host: HarborAdminHost): Promise<boolean> {
  const login = await host.client.login().catch(() => undefined);
  return !!login?.username && !!login.secret && !isRobot(login.username);
}
