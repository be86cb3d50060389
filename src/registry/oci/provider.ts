import type { ProviderContext } from '../context';
import { DistributionProvider, type DistributionProviderOptions } from '../distribution';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../errors';
import { t } from '../l10n';
import type { Capabilities, Cursor, Page, PageOptions, RegistryProvider, Repository } from '../provider';
import { publicRegistryOf, type PublicRegistry } from './publicRegistries';

/**
 * An OCI Distribution / Docker Registry V2 registry: the shared Distribution provider, for the whole registry. Its
 * repositories are the registry's catalog plus the entry's `repositories` setting. A registry that refuses the
 * catalog (401 with credentials that `/v2/` accepts, 403, 404), or a public service known not to list repositories,
 * shows the configured ones with a one-line notice instead of an error.
 */
export class OciProvider extends DistributionProvider {
  private readonly known: PublicRegistry | undefined;
  /** The notice once this registry refused its catalog (until the credentials change). */
  private refused: string | undefined;

  constructor(
    private readonly ctx: ProviderContext,
    opts: DistributionProviderOptions = {},
  ) {
    const known = publicRegistryOf(ctx.connection.url);
    // The vendor's documented token service on another origin gets the entry's credentials without asking.
    const tokenRealms = [...(ctx.connection.tokenRealms ?? []), ...(known?.tokenRealms ?? [])];
    super({ ...ctx, connection: { ...ctx.connection, tokenRealms } }, opts);
    this.known = known;
  }

  override get capabilities(): Capabilities {
    return { ...super.capabilities, repositoryList: this.known || this.refused ? 'configured' : 'catalog' };
  }

  override async listRepositories(namespace: string | undefined, cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<Repository>> {
    const configured = (this.ctx.connection.repositories ?? []).map((name): Repository => ({ name, configured: true }));
    if (this.known) return { items: configured, notice: t('{0} does not list its repositories: add the ones you use', this.known.name) };
    if (this.refused && !cursor) return { items: configured, notice: this.refused };
    try {
      const page = await super.listRepositories(namespace, cursor, opts);
      const names = new Set(configured.map((r) => r.name));
      const listed = page.items.filter((r) => !names.has(r.name));
      return { ...page, items: cursor ? listed : [...configured, ...listed] };
    } catch (e) {
      const status = cursor ? undefined : await this.refusal(e, opts.signal);
      if (status === undefined) throw e;
      this.refused = t('This registry does not list its repositories ({0}): add the ones you use', status);
      this.ctx.logger.info(`${this.ctx.connection.id}: the repository list was refused (${status}); showing the configured repositories`);
      return { items: configured, notice: this.refused };
    }
  }

  override resetAuth(): void {
    this.refused = undefined;
    super.resetAuth();
  }

  /**
   * The status with which the registry refused its catalog, or undefined when the failure is something else. A 401
   * counts only when credentials are stored and `/v2/` accepts them: without them, or with credentials it rejects,
   * the user has to sign in.
   */
  private async refusal(e: unknown, signal?: AbortSignal): Promise<number | undefined> {
    if (e instanceof ForbiddenError) return 403;
    if (e instanceof NotFoundError) return 404;
    if (!(e instanceof UnauthorizedError)) return undefined;
    const creds = await this.ctx.credentials();
    if (!creds?.secret) return undefined;
    const health = await this.ping(signal);
    return health.ok ? 401 : undefined;
  }
}

/** Builds the provider for one configured registry (the descriptor's loader returns this). */
export function createProvider(ctx: ProviderContext): RegistryProvider {
  return new OciProvider(ctx);
}
