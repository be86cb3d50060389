import * as z from 'zod';
import { BadResponseError, ForbiddenError, isRegistryError, RegistryError, UnauthorizedError } from '../errors';
import { BODY_LIMITS } from '../http';
import { parseApiBody, type ApiTransport } from '../jsonApi';

/**
 * Docker Scout's GraphQL API (`https://api.scout.docker.com/v1/graphql`), authenticated with the Docker Hub access
 * token, as Docker's own Hub MCP server uses it. The token goes to exactly one origin: Scout's, and only for a
 * connection to Docker's own Hub (`https://hub.docker.com`) — or to the Scout endpoint the host names in code
 * (tests); settings cannot point it elsewhere. Scout answers "no entitlement" with 402 / 403 (as an HTTP status or a
 * GraphQL error's `extensions.status`): that becomes a ScoutUnavailableError, remembered per repository.
 */

export const DOCKER_SCOUT_API = 'https://api.scout.docker.com/v1/graphql';
const DOCKER_HUB_ORIGIN = 'https://hub.docker.com';

export interface ScoutOptions {
  /** The GraphQL endpoint (tests: a fake on 127.0.0.1). */
  url: string;
  /** Transport for Scout requests (default: the shared transport built from the connection). */
  transport?: ApiTransport;
}

/** Scout has nothing to say for this image or this account; the message is the one line the user sees. */
export class ScoutUnavailableError extends RegistryError {
  constructor(
    message: string,
    readonly reason: 'entitlement' | 'noData' | 'signIn',
  ) {
    super('unsupported', message);
  }
}

export const SCOUT_NO_DATA = 'Docker Scout has no analysis for this image';
export const SCOUT_NO_ENTITLEMENT = 'This account has no Docker Scout entitlement for this repository';
export const SCOUT_SIGN_IN = 'Sign in to Docker Hub to see Docker Scout analysis';

/**
 * The Scout endpoint a Hub connection may send its token to: the explicit one (https, or http on a loopback address
 * for tests), else Docker's Scout when the connection is Docker's own Hub, else none (no Scout).
 */
export function scoutEndpoint(hubUrl: string, explicit: ScoutOptions | null | undefined): string | undefined {
  if (explicit === null) return undefined;
  if (!explicit) return new URL(hubUrl).origin === DOCKER_HUB_ORIGIN ? DOCKER_SCOUT_API : undefined;
  const u = new URL(explicit.url);
  const loopback = u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
  if (u.username || u.password || u.search || u.hash || !(u.protocol === 'https:' || (u.protocol === 'http:' && loopback))) {
    throw new Error('A Docker Scout endpoint must be an https URL without credentials, query or fragment');
  }
  return u.toString();
}

const summarySchema = z.object({
  digest: z.string(),
  sbomState: z.string(),
  vulnerabilityReport: z.object({ critical: z.number().int(), high: z.number().int(), medium: z.number().int(), low: z.number().int(), unspecified: z.number().int(), total: z.number().int() }).nullable().optional(),
});
export type ScoutSummary = z.infer<typeof summarySchema>;

const vulnSchema = z.object({
  sourceId: z.string(),
  description: z.string().nullable().optional(),
  cvss: z.object({ severity: z.string().nullable().optional(), score: z.number().nullable().optional() }),
  fixedBy: z.string().nullable().optional(),
  url: z.string(),
  isExcepted: z.boolean(),
});
const packagesSchema = z.object({
  digest: z.string(),
  sbomState: z.string(),
  imagePackages: z.object({
    packages: z.array(
      z.object({
        package: z.object({ name: z.string().nullable().optional(), purl: z.string(), type: z.string(), version: z.string(), licenses: z.array(z.string()), vulnerabilities: z.array(vulnSchema) }),
        locations: z.array(z.object({ diffId: z.string() })),
      }),
    ),
  }),
});
export type ScoutPackages = z.infer<typeof packagesSchema>;

const SUMMARIES = `query ImageSummaries($context: Context!, $digests: [String!]!) {
  imageSummariesByDigest(context: $context, digests: $digests) {
    digest
    sbomState
    vulnerabilityReport { critical high medium low unspecified total }
  }
}`;

const PACKAGES = `query ImagePackages($context: Context!, $digest: String!) {
  imagePackagesByDigest(context: $context, digest: $digest) {
    digest
    sbomState
    imagePackages {
      packages {
        package { name purl type version licenses vulnerabilities { sourceId description cvss { severity score } fixedBy url isExcepted } }
        locations { diffId }
      }
    }
  }
}`;

const errorsSchema = z.array(z.object({ message: z.string().optional(), extensions: z.object({ status: z.number().optional(), code: z.string().optional() }).passthrough().nullable().optional() }).passthrough());

/** The GraphQL client; `token` is asked for on every call (the Hub client refreshes it). */
export class ScoutClient {
  constructor(
    private readonly url: string,
    private readonly transport: ApiTransport,
    private readonly token: (signal?: AbortSignal) => Promise<string | undefined>,
    private readonly dropToken: (token: string) => void,
  ) {}

  /** Vulnerability summaries of up to 100 image digests (one request); digests Scout does not know are absent. */
  async summaries(digests: readonly string[], organization: string | undefined, signal?: AbortSignal): Promise<ScoutSummary[]> {
    const data = await this.query(SUMMARIES, { context: context(organization), digests: digests.slice(0, 100) }, 'vulnerability summaries', signal);
    return parseApiBody(z.object({ imageSummariesByDigest: z.array(summarySchema) }), JSON.stringify(data), 'vulnerability summaries', 'Docker Scout').imageSummariesByDigest;
  }

  /** Packages and their vulnerabilities of one image (a platform's digest); undefined when Scout has none. */
  async packages(digest: string, organization: string | undefined, signal?: AbortSignal): Promise<ScoutPackages | undefined> {
    const data = await this.query(PACKAGES, { context: context(organization), digest }, 'the packages of an image', signal);
    return parseApiBody(z.object({ imagePackagesByDigest: packagesSchema.nullable() }), JSON.stringify(data), 'the packages of an image', 'Docker Scout').imagePackagesByDigest ?? undefined;
  }

  private async query(query: string, variables: Record<string, unknown>, what: string, signal?: AbortSignal): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.token(signal);
      // Scout answers only signed-in accounts: without a token nothing is sent.
      if (!token) throw new ScoutUnavailableError(SCOUT_SIGN_IN, 'signIn');
      const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${token}` };
      let text: string;
      try {
        const res = await this.transport.send({ method: 'POST', url: this.url, headers, json: { query, variables }, signal, what: `Docker Scout ${what}`, maxBodyBytes: BODY_LIMITS.list });
        text = res.text;
      } catch (e) {
        if (e instanceof UnauthorizedError && attempt === 0) {
          this.dropToken(token);
          continue;
        }
        if (e instanceof ForbiddenError || (isRegistryError(e) && (e.status === 402 || e.status === 403))) throw new ScoutUnavailableError(SCOUT_NO_ENTITLEMENT, 'entitlement');
        if (e instanceof UnauthorizedError) throw new ScoutUnavailableError(SCOUT_SIGN_IN, 'signIn');
        throw e;
      }
      const body = parseApiBody(z.object({ data: z.unknown().optional(), errors: errorsSchema.nullable().optional() }), text, what, 'Docker Scout');
      if (body.errors?.length) {
        const statuses = body.errors.map((x) => x.extensions?.status);
        if (statuses.some((s) => s === 402 || s === 403)) throw new ScoutUnavailableError(SCOUT_NO_ENTITLEMENT, 'entitlement');
        if (statuses.some((s) => s === 404)) throw new ScoutUnavailableError(SCOUT_NO_DATA, 'noData');
        if (statuses.some((s) => s === 401)) throw new ScoutUnavailableError(SCOUT_SIGN_IN, 'signIn');
        const first = (body.errors[0]?.message ?? 'unknown error').replace(/\s+/g, ' ').slice(0, 200);
        throw new BadResponseError(`Docker Scout could not answer for ${what}: ${first}`);
      }
      if (body.data === undefined || body.data === null) throw new BadResponseError(`Docker Scout sent no data for ${what}`);
      return body.data;
    }
  }
}

/** Scout's query context: the organization for its private data; none (public data) for official images. */
function context(organization: string | undefined): Record<string, string> {
  return organization && organization !== 'library' ? { organization } : {};
}
