/** The fake GitHub's usual data: the tests' accounts, organizations and container packages. */
import { type GhcrServer, startGhcrServer } from '../ghcrServer';
import { addGhOrg, addGhToken, addGhUser } from './state';

export interface GhcrSeed {
  /** octocat with `read:packages` and `read:org`. */
  read: string;
  /** octocat with `read:packages` only (no organizations listed). */
  packagesOnly: string;
  /** octocat with `read:packages`, `read:org`, `delete:packages`, `write:packages`. */
  admin: string;
  /** octocat with `repo` only (no packages scope). */
  noPackages: string;
}

/**
 * octocat (member of octo-org) owns `app` (versions `1.0`; `2.0` + `latest`; one untagged) and `tools/cli`
 * (`v1`); octo-org owns the public `service` linked to the repository octo-org/service; hubot owns the public
 * `public-img` and the private `secret`.
 */
export function seedGhcr(g: GhcrServer): GhcrSeed {
  const s = g.state;
  const read = addGhUser(s, 'octocat', ['read:packages', 'read:org']);
  const packagesOnly = addGhToken(s, 'octocat', ['read:packages']);
  const admin = addGhToken(s, 'octocat', ['read:packages', 'read:org', 'delete:packages', 'write:packages']);
  const noPackages = addGhToken(s, 'octocat', ['repo']);
  addGhUser(s, 'hubot', ['read:packages']);
  addGhOrg(s, 'octo-org', ['octocat'], 'The Octo organization');
  g.push('octocat', 'app', ['1.0'], { repository: 'octocat/app' });
  g.push('octocat', 'app', []);
  g.push('octocat', 'app', ['2.0', 'latest'], { seed: { platforms: ['linux/amd64', 'linux/arm64'] } });
  g.push('octocat', 'tools/cli', ['v1']);
  g.push('octo-org', 'service', ['main'], { visibility: 'public', repository: 'octo-org/service' });
  g.push('hubot', 'public-img', ['latest'], { visibility: 'public' });
  g.push('hubot', 'secret', ['latest']);
  return { read, packagesOnly, admin, noPackages };
}

/** What the e2e runner and the demo publish about the fake GitHub (tokens go to SecretStorage or the stand-in account, never to settings). */
export interface GhcrDemoInfo {
  url: string;
  username: string;
  /** A personal access token with `read:packages` and `read:org`. */
  token: string;
  /** The same account with `delete:packages` and `write:packages` too. */
  adminToken: string;
  namespaces: string[];
}

/** The seeded fake GitHub for the e2e runner and the demo. */
export async function startDemoGhcr(): Promise<{ info: GhcrDemoInfo; stop(): Promise<void> }> {
  const server = await startGhcrServer();
  const seed = seedGhcr(server);
  return { info: { url: server.url, username: 'octocat', token: seed.read, adminToken: seed.admin, namespaces: ['hubot'] }, stop: () => server.close() };
}
