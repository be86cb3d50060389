import type { Credentials } from '../context';
import { UnsupportedError } from '../errors';
import type { Cursor, Page } from '../provider';
import { pathSegment } from '../names';
import type { GitHubClient } from './client';
import * as s from './schemas';
import { ownerSegment, packageSegment } from './urls';

/** Whose packages: the signed-in user's (`/user`), an organization's (`/orgs/{org}`) or another user's (`/users/{username}`). */
export type Owner = { type: 'self'; login: string } | { type: 'org'; login: string } | { type: 'user'; login: string };

/** The path prefix of an owner's packages. */
export function ownerPrefix(o: Owner): string {
  if (o.type === 'self') return '/user';
  return `${o.type === 'org' ? '/orgs' : '/users'}/${ownerSegment(o.login)}`;
}

/** `…/packages/container/{package_name}`. */
export function packagePath(o: Owner, name: string): string {
  return `${ownerPrefix(o)}/packages/container/${packageSegment(name)}`;
}

/** `…/versions/{package_version_id}`. */
export function versionPath(o: Owner, name: string, id: number): string {
  return `${packagePath(o, name)}/versions/${pathSegment(String(id), 'version id')}`;
}

function whose(o: Owner): string {
  return o.type === 'self' ? 'your' : `${o.login}'s`;
}

/** The GitHub REST packages operations the provider uses (container packages only). */
export class GitHubApi {
  constructor(readonly client: GitHubClient) {}

  /** `GET /user`: the account the token belongs to. */
  user(signal?: AbortSignal): Promise<s.GitHubUser> {
    return this.client.json({ path: '/user', what: 'your GitHub account', signal }, s.simpleUser);
  }

  /** `GET /user/orgs`: the organizations of the signed-in user. */
  organizations(cursor: Cursor | undefined, pageSize?: number, signal?: AbortSignal): Promise<Page<s.GitHubOrganization>> {
    return this.client.page({ path: '/user/orgs', what: 'your organizations', signal }, s.organizationList, cursor, pageSize);
  }

  /** `GET {owner}/packages?package_type=container`. */
  packages(o: Owner, cursor: Cursor | undefined, pageSize?: number, signal?: AbortSignal): Promise<Page<s.GitHubPackage>> {
    return this.client.page({ path: `${ownerPrefix(o)}/packages`, query: { package_type: 'container' }, what: `${whose(o)} container packages`, signal }, s.packageList, cursor, pageSize);
  }

  /** `GET {owner}/packages/container/{name}`. */
  package(o: Owner, name: string, signal?: AbortSignal): Promise<s.GitHubPackage> {
    return this.client.json({ path: packagePath(o, name), what: `the package ${name}`, signal }, s.ghPackage);
  }

  /** `GET …/versions` (`state`: active, the default, or deleted). */
  versions(o: Owner, name: string, cursor: Cursor | undefined, opts: { pageSize?: number; state?: 'active' | 'deleted'; signal?: AbortSignal } = {}): Promise<Page<s.GitHubPackageVersion>> {
    const what = `the ${opts.state === 'deleted' ? 'deleted ' : ''}versions of ${name}`;
    // Another user's versions are documented without `page`, `per_page` or `state` (public packages, active versions).
    if (o.type === 'user' && opts.state === 'deleted') throw new UnsupportedError(`GitHub lists deleted versions only of your own and your organizations' packages`);
    const unpaged = o.type === 'user';
    return this.client.page({ path: `${packagePath(o, name)}/versions`, query: { state: opts.state }, what, signal: opts.signal, unpaged }, s.versionList, cursor, opts.pageSize);
  }

  /** `GET …/versions/{id}`. */
  version(o: Owner, name: string, id: number, signal?: AbortSignal): Promise<s.GitHubPackageVersion> {
    return this.client.json({ path: versionPath(o, name, id), what: `version ${id} of ${name}`, signal }, s.packageVersion);
  }

  /** `DELETE …/versions/{id}` (`read:packages` and `delete:packages`). */
  async deleteVersion(o: Owner, name: string, id: number, credentials: Credentials | undefined, signal?: AbortSignal): Promise<void> {
    await this.client.send({ method: 'DELETE', path: versionPath(o, name, id), what: `deleting version ${id} of ${name}`, credentials, signal });
  }

  /** `POST …/versions/{id}/restore` (`read:packages` and `write:packages`). */
  async restoreVersion(o: Owner, name: string, id: number, credentials: Credentials | undefined, signal?: AbortSignal): Promise<void> {
    await this.client.send({ method: 'POST', path: `${versionPath(o, name, id)}/restore`, what: `restoring version ${id} of ${name}`, credentials, signal });
  }

  /** `DELETE {owner}/packages/container/{name}` (`read:packages` and `delete:packages`). */
  async deletePackage(o: Owner, name: string, credentials: Credentials | undefined, signal?: AbortSignal): Promise<void> {
    await this.client.send({ method: 'DELETE', path: packagePath(o, name), what: `deleting the package ${name}`, credentials, signal });
  }

  /** `POST {owner}/packages/container/{name}/restore` (`read:packages` and `write:packages`). */
  async restorePackage(o: Owner, name: string, credentials: Credentials | undefined, signal?: AbortSignal): Promise<void> {
    await this.client.send({ method: 'POST', path: `${packagePath(o, name)}/restore`, what: `restoring the package ${name}`, credentials, signal });
  }
}
