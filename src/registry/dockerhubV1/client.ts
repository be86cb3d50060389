import type { ProviderContext } from '../context';
import { BadResponseError, ForbiddenError, UnauthorizedError } from '../errors';
import { parseApiBody, type ApiRequest as HubHttpRequest, type ApiResponse as HubHttpResponse, type ApiTransport as HubTransport } from '../jsonApi';
import { basicAuthorization } from '../auth/basic';
import { pathSegment } from '../names';
import { apiUrl, checkRegistryUrl } from '../urls';
import { v1ImageList, type V1ImageJson } from './schemas';

/** An image of a v1 repository: its id and (optionally) checksum; v1 has no tag names in the index. */
export interface V1Image {
  id: string;
  checksum?: string;
}

/** What the index grants alongside a repository call made with `X-Docker-Token: true`. */
export interface V1Grant {
  /**
   * The `X-Docker-Token` value (`signature=…,repository="…",access=…`), for `Authorization: Token …` at the
   * endpoints. A secret: never log it.
   */
  token?: string;
  /** Repository and access named in the token (from `X-Docker-Token` or `WWW-Authenticate: Token …`). */
  repository?: string;
  access?: string;
  /** Registry hosts from `X-Docker-Endpoints`. */
  endpoints: string[];
}

/**
 * Client of the legacy Docker Hub v1 index API (docker-hub-v1-index-api.txt): Basic authentication, the login
 * check, repository images, and creating / deleting repositories with the `X-Docker-Token` handshake.
 */
export class HubV1Client {
  readonly baseUrl: string;
  private readonly origin: string;
  private lastEndpoints: string[] = [];

  constructor(
    private readonly ctx: ProviderContext,
    private readonly transport: HubTransport,
  ) {
    this.baseUrl = checkRegistryUrl(ctx.connection.url);
    this.origin = new URL(this.baseUrl).origin;
  }

  /** Registry hosts the index named most recently (`X-Docker-Endpoints`). */
  endpoints(): string[] {
    return [...this.lastEndpoints];
  }

  /** `GET /v1/users/` with Basic credentials: resolves when the index accepts them. */
  async checkLogin(signal?: AbortSignal): Promise<void> {
    const auth = await this.basic(true);
    try {
      await this.send({ method: 'GET', url: apiUrl(this.baseUrl, '/v1/users/').href, headers: { Authorization: auth }, signal });
    } catch (e) {
      throw this.explain(e, 'the login check');
    }
  }

  /** `GET /v1/repositories/{ns}/{repo}/images`, or the library form without a namespace. No credentials needed. */
  async listImages(namespace: string | undefined, name: string, signal?: AbortSignal): Promise<{ images: V1Image[]; grant: V1Grant }> {
    const url = `${this.repoUrl(namespace, name)}/images`;
    const auth = await this.basic(false);
    const headers: Record<string, string> = {};
    if (auth) headers.Authorization = auth;
    let res: HubHttpResponse;
    try {
      res = await this.send({ method: 'GET', url, headers, signal });
    } catch (e) {
      throw this.explain(e, `the images of ${label(namespace, name)}`);
    }
    const list = parseApiBody(v1ImageList, res.text, `the image list of ${label(namespace, name)}`, 'Docker Hub', `GET ${url}`);
    return { images: list.map(toImage), grant: this.grant(res) };
  }

  /**
   * `PUT /v1/repositories/{ns}/{repo}/` (or `/{repo}/` for a library repository, admins only) with
   * `X-Docker-Token: true`; returns the write token and endpoints the index hands out.
   */
  async createRepository(namespace: string | undefined, name: string, images: V1Image[] = [], signal?: AbortSignal): Promise<V1Grant> {
    const res = await this.repositoryCall('PUT', namespace, name, images.map((i) => (i.checksum ? { id: i.id, checksum: i.checksum } : { id: i.id })), signal);
    return this.grant(res);
  }

  /** `DELETE /v1/repositories/{ns}/{repo}/` (or the library form) with `X-Docker-Token: true`. */
  async deleteRepository(namespace: string | undefined, name: string, signal?: AbortSignal): Promise<V1Grant> {
    const res = await this.repositoryCall('DELETE', namespace, name, undefined, signal);
    return this.grant(res);
  }

  private async repositoryCall(method: 'PUT' | 'DELETE', namespace: string | undefined, name: string, json: unknown, signal?: AbortSignal): Promise<HubHttpResponse> {
    const auth = await this.basic(true);
    try {
      return await this.send({ method, url: `${this.repoUrl(namespace, name)}/`, headers: { Authorization: auth, 'X-Docker-Token': 'true' }, json: method === 'DELETE' ? '' : json, signal });
    } catch (e) {
      throw this.explain(e, label(namespace, name), namespace === undefined);
    }
  }

  private repoUrl(namespace: string | undefined, name: string): string {
    const ns = namespace === undefined || namespace === 'library' ? undefined : namespace;
    // `..` or `.` would normalise the URL to another path (`DELETE /`): names are checked before any request.
    const repo = pathSegment(name, 'v1 repository name');
    return apiUrl(this.baseUrl, ns === undefined ? `/v1/repositories/${repo}` : `/v1/repositories/${pathSegment(ns, 'v1 namespace')}/${repo}`).href;
  }

  private async basic(required: boolean): Promise<string> {
    const c = await this.ctx.credentials();
    const user = c?.username ?? this.ctx.connection.username;
    if (!c?.secret || !user) {
      if (required) throw new UnauthorizedError('Sign in to the Docker Hub v1 index with your user name and password');
      return '';
    }
    return basicAuthorization(user, c.secret);
  }

  private async send(req: HubHttpRequest): Promise<HubHttpResponse> {
    if (new URL(req.url).origin !== this.origin) throw new BadResponseError('Refusing to send a v1 index request to another host');
    const headers: Record<string, string> = { Accept: 'application/json', ...req.headers };
    return this.transport.send({ ...req, headers });
  }

  private grant(res: HubHttpResponse): V1Grant {
    const token = res.header('x-docker-token')?.trim();
    const www = res.header('www-authenticate');
    const fromWww = www && /^Token\s+/i.test(www) ? www.replace(/^Token\s+/i, '').trim() : undefined;
    const params = parseTokenParams(token ?? fromWww ?? '');
    const endpoints = parseEndpoints(res.header('x-docker-endpoints'));
    if (endpoints.length) this.lastEndpoints = endpoints;
    const g: V1Grant = { endpoints };
    if (token || fromWww) g.token = token ?? fromWww;
    // WWW-Authenticate names the repository as the index stored it (library/… for library repositories).
    const wwwParams = fromWww ? parseTokenParams(fromWww) : {};
    const repository = wwwParams.repository ?? params.repository;
    if (repository) g.repository = repository;
    if (params.access ?? wwwParams.access) g.access = params.access ?? wwwParams.access;
    return g;
  }

  private explain(e: unknown, what: string, library = false): unknown {
    if (e instanceof UnauthorizedError) return new UnauthorizedError('The Docker Hub v1 index rejected the user name or password; sign in again', { request: e.request, cause: e });
    if (e instanceof ForbiddenError) {
      return new ForbiddenError(library ? `Only index administrators can change the library repository ${what}` : `The v1 index refused access to ${what} (the account may not be active)`, { request: e.request, cause: e });
    }
    return e;
  }
}

function toImage(i: V1ImageJson): V1Image {
  return i.checksum ? { id: i.id, checksum: i.checksum } : { id: i.id };
}

function label(namespace: string | undefined, name: string): string {
  return `${namespace ?? 'library'}/${name}`;
}

/** `signature=123abc,repository="foo/bar",access=write` → its parameters. */
export function parseTokenParams(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([A-Za-z_]+)=("([^"]*)"|[^,]*)/g;
  for (let m = re.exec(value); m; m = re.exec(value)) out[m[1]!.toLowerCase()] = m[3] ?? m[2]!.trim();
  return out;
}

/** `registry-1.docker.io [, registry-2.docker.io]` → hosts. */
export function parseEndpoints(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((h) => h.replace(/[[\]\s]/g, ''))
    .filter((h) => h.length > 0);
}
