import type { AdminModel } from '../admin';
import type { ProviderContext } from '../context';
import { UnauthorizedError, UnsupportedError, toRegistryError } from '../errors';
import type { HubTransport } from '../dockerhub/client';
import { hubTransportFor } from '../dockerhub/transport';
import type { Capabilities, Cursor, HealthResult, Namespace, Page, PageOptions, RegistryProvider, Repository, Tag } from '../provider';
import { v1Admin } from './admin';
import { HubV1Client, type V1Grant, type V1Image } from './client';

export interface DockerHubV1ProviderOptions {
  /** Default: the shared transport of src/registry/http.ts, built from the connection. */
  transport?: HubTransport;
  /** Repositories known beforehand (`ns/name`, or `library/name`); the index cannot list them. */
  repositories?: string[];
  /** Called when the set of known repositories changes (create / delete), so the host can remember it. */
  onRepositoriesChanged?: (repositories: string[]) => void;
}

/**
 * The legacy Docker Hub v1 index (kind `dockerhub-v1`). The index API can check a login, list the images of a
 * repository by name, and create or delete repositories; it cannot list namespaces, repositories or tags. So the
 * tree shows namespaces and repositories from the settings (`namespaces` entries, either `ns` or `ns/repo`) and
 * those created here, and under a repository its images (id and checksum) where other kinds show tags.
 */
export class DockerHubV1Provider implements RegistryProvider {
  readonly kind = 'dockerhub-v1';
  readonly capabilities: Capabilities = {
    namespaces: true,
    tagDetails: false,
    deleteTag: false,
    scanSummary: false,
  };
  readonly v1: HubV1Client;
  /** Create and delete repositories (the index has no settings to edit). */
  readonly admin: AdminModel = v1Admin({
    create: (namespace, name, signal) => this.createIndexRepository(namespace === 'library' ? undefined : namespace, name, [], signal),
    remove: (repository, signal) => {
      const [ns, name] = split(repository);
      return this.deleteIndexRepository(ns, name, signal);
    },
  });
  private readonly known = new Set<string>();
  private readonly onChanged?: (repositories: string[]) => void;
  private readonly ownTransport?: { http: { dispose(): void } };

  constructor(
    private readonly ctx: ProviderContext,
    opts: DockerHubV1ProviderOptions = {},
  ) {
    let transport = opts.transport;
    if (!transport) {
      const own = hubTransportFor(ctx);
      this.ownTransport = own;
      transport = own;
    }
    this.v1 = new HubV1Client(ctx, transport);
    for (const entry of [...(ctx.connection.namespaces ?? []), ...(opts.repositories ?? [])]) {
      if (entry.includes('/')) this.known.add(normalize(entry));
    }
    this.onChanged = opts.onRepositoriesChanged;
  }

  /** Repositories the provider knows of (`ns/name`), sorted. */
  knownRepositories(): string[] {
    return [...this.known].sort();
  }

  async ping(signal?: AbortSignal): Promise<HealthResult> {
    const started = Date.now();
    const details: Record<string, string> = {};
    try {
      const creds = await this.ctx.credentials();
      if (creds?.secret) {
        await this.v1.checkLogin(signal);
        details.Login = 'accepted';
      } else {
        // Without credentials, any answer from the login check (a 401) proves the index is there.
        try {
          await this.v1.checkLogin(signal);
        } catch (e) {
          if (!(e instanceof UnauthorizedError)) throw e;
        }
        details.Login = 'not signed in';
      }
      return { ok: true, latencyMs: Date.now() - started, checkedAt: Date.now(), details };
    } catch (e) {
      return { ok: false, latencyMs: Date.now() - started, checkedAt: Date.now(), error: toRegistryError(e), details };
    }
  }

  /** Namespaces from the settings and known repositories, plus the signed-in user's own. One page. */
  async listNamespaces(_cursor: Cursor | undefined, _opts?: PageOptions): Promise<Page<Namespace>> {
    const names = new Map<string, string>();
    const creds = await this.ctx.credentials();
    const user = creds?.secret ? (creds.username ?? this.ctx.connection.username) : undefined;
    if (user) names.set(user, 'Your account');
    for (const entry of this.ctx.connection.namespaces ?? []) {
      const ns = entry.includes('/') ? normalize(entry).split('/')[0]! : entry;
      if (!names.has(ns)) names.set(ns, 'Configured namespace');
    }
    for (const repo of this.known) {
      const ns = repo.split('/')[0]!;
      if (!names.has(ns)) names.set(ns, ns === 'library' ? 'Library repositories' : 'Namespace');
    }
    return { items: [...names].map(([name, description]) => ({ name, description })) };
  }

  /** Repositories known from the settings or created here; the v1 index has no listing endpoint. */
  async listRepositories(namespace: string | undefined, _cursor: Cursor | undefined, _opts?: PageOptions): Promise<Page<Repository>> {
    const items = this.knownRepositories()
      .filter((r) => namespace === undefined || r.split('/')[0] === namespace)
      .map((r) => ({ name: r, namespace: r.split('/')[0]! }));
    return { items };
  }

  /**
   * The repository's images (`GET …/images`) in place of tags: `name` is the image id, and the index offers no tag
   * names, sizes or dates. All of them arrive in one response, so the tree pages locally.
   */
  async listTags(repository: string, _cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<Tag>> {
    const { images } = await this.listImages(repository, opts.signal);
    return { items: images.map((i) => ({ name: i.id })) };
  }

  /** Images with checksums, for a details view. */
  async listImages(repository: string, signal?: AbortSignal): Promise<{ images: V1Image[]; grant: V1Grant }> {
    const [ns, name] = split(repository);
    return this.v1.listImages(ns, name, signal);
  }

  /** Creates `namespace/name` (namespace undefined or `library`: a library repository, admins only). */
  async createIndexRepository(namespace: string | undefined, name: string, images: V1Image[] = [], signal?: AbortSignal): Promise<V1Grant> {
    const grant = await this.v1.createRepository(namespace, name, images, signal);
    this.known.add(`${namespace ?? 'library'}/${name}`);
    this.onChanged?.(this.knownRepositories());
    return grant;
  }

  async deleteIndexRepository(namespace: string | undefined, name: string, signal?: AbortSignal): Promise<V1Grant> {
    const grant = await this.v1.deleteRepository(namespace, name, signal);
    this.known.delete(`${namespace ?? 'library'}/${name}`);
    this.onChanged?.(this.knownRepositories());
    return grant;
  }

  /** Checks the credentials against `GET /v1/users/`. */
  async signIn(signal?: AbortSignal): Promise<void> {
    await this.v1.checkLogin(signal);
  }

  getTagDetails(): Promise<never> {
    return Promise.reject(new UnsupportedError('The Docker Hub v1 index has no manifests; image details are not available'));
  }

  planDeleteTag(): Promise<never> {
    return Promise.reject(new UnsupportedError('The Docker Hub v1 index cannot delete single images or tags; delete the repository instead'));
  }

  deleteTag(): Promise<never> {
    return this.planDeleteTag();
  }

  pullHost(): string {
    return this.v1.endpoints()[0] ?? new URL(this.ctx.connection.url).host;
  }

  resetAuth(): void {
    // Basic credentials are read on each call; nothing is cached.
  }

  dispose(): void {
    this.ownTransport?.http.dispose();
  }
}

function normalize(entry: string): string {
  const [ns, name] = split(entry);
  return `${ns ?? 'library'}/${name}`;
}

/** `ns/name` → [ns, name]; `library/name` and a bare `name` → [undefined, name]. */
function split(repository: string): [string | undefined, string] {
  const parts = repository.replace(/^\/+|\/+$/g, '').split('/');
  if (parts.length === 1) return [undefined, parts[0]!];
  if (parts.length !== 2) throw new UnsupportedError(`"${repository}" is not a v1 repository name (namespace/name)`);
  return [parts[0] === 'library' ? undefined : parts[0], parts[1]!];
}

/** Builds the provider for one configured registry (the descriptor's loader returns this). */
export function createProvider(ctx: ProviderContext): RegistryProvider {
  return new DockerHubV1Provider(ctx);
}
