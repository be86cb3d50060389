import { BadResponseError } from '../errors';
import { REPOSITORY_COMPONENT, checkRepositoryName, pathSegment } from '../names';
import { checkRegistryUrl } from '../urls';

/** The public service: github.com's API and its Container registry. */
export const GITHUB_URL = 'https://github.com';
export const GITHUB_API = 'https://api.github.com';
export const GHCR_URL = 'https://ghcr.io';

const PUBLIC_HOSTS = new Set(['github.com', 'www.github.com', 'api.github.com']);

/** Where the REST API of an entry's `url` is: api.github.com for github.com, `<url>/api/v3` for GitHub Enterprise Server. */
export function apiBase(url: string): string {
  const base = checkRegistryUrl(url);
  const u = new URL(base);
  if (PUBLIC_HOSTS.has(u.hostname.toLowerCase())) return GITHUB_API;
  return /\/api\/v3$/.test(base) ? base : `${base}/api/v3`;
}

/**
 * The Container registry of an entry: its `registryUrl` when set, else ghcr.io for github.com and
 * `containers.<host>` (same scheme and port) for GitHub Enterprise Server.
 */
export function registryBase(url: string, registryUrl?: string): string {
  if (registryUrl) return checkRegistryUrl(registryUrl, 'registryUrl');
  const u = new URL(checkRegistryUrl(url));
  if (PUBLIC_HOSTS.has(u.hostname.toLowerCase())) return GHCR_URL;
  const host = u.hostname.replace(/^api\./, '');
  return `${u.protocol}//containers.${host}${u.port ? `:${u.port}` : ''}`;
}

/** An owner (user or organization login) as one path segment. */
export function ownerSegment(owner: string): string {
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,99})$/.test(owner)) throw new BadResponseError(`"${owner.slice(0, 100)}" is not a GitHub user or organization name`);
  return pathSegment(owner, 'owner');
}

/**
 * A container package name as one path segment: each `/`-separated part is a Distribution name component, and the
 * slashes are percent-encoded (`team/app` → `team%2Fapp`), so the name stays one `{package_name}` parameter.
 */
export function packageSegment(name: string): string {
  const parts = name.split('/');
  if (!name || name.length > 255 || !parts.every((p) => REPOSITORY_COMPONENT.test(p))) throw new BadResponseError(`"${name.slice(0, 100)}" is not a valid container package name`);
  return parts.join('%2F');
}

/** `owner/package/with/slashes` → the owner and the package name. */
export function splitRepository(repository: string): [string, string] {
  checkRepositoryName(repository);
  const i = repository.indexOf('/');
  if (i <= 0) throw new BadResponseError(`Invalid GitHub package "${repository.slice(0, 100)}": expected owner/name`);
  return [repository.slice(0, i), repository.slice(i + 1)];
}
