/** Types and constants of the OCI Distribution fake. */
import * as crypto from 'node:crypto';
import type { FaultFilter, FaultPayload } from '../kit/faults';

export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

/** What a request was for; counters and faults are keyed by it. */
export type OciRequestKind = 'ping' | 'catalog' | 'tags' | 'manifest' | 'blob' | 'referrers' | 'token' | 'other';

/** Basic auth on every `/v2/` endpoint. */
export interface OciBasicAuth {
  type: 'basic';
  username: string;
  password: string;
}

/** The Docker token flow: 401 with `WWW-Authenticate: Bearer realm=…,service=…,scope=…`, tokens from `/token`. */
export interface OciBearerAuth {
  type: 'bearer';
  /** Account accepted by the token endpoint (Basic auth on the token request). */
  username?: string;
  password?: string;
  /** Anonymous token requests get pull (and catalog) access. Default false: they get a token without access. */
  anonymousPull?: boolean;
  /** `expires_in` of issued tokens (default 300). `null` leaves the field out (clients assume 60 s). */
  tokenLifetimeSeconds?: number | null;
  /** Which field carries the token (default `both`, like distribution's token servers). */
  tokenField?: 'token' | 'access_token' | 'both';
  /** Realm to advertise instead of this server's `/token` (e.g. another instance's, which shares the token store). */
  realm?: string;
  /** `service` of the challenge (default `oci-test-registry`). */
  service?: string;
}

export type OciAuth = OciBasicAuth | OciBearerAuth;

export interface OciServerOptions {
  /** Default 0 (random). Always bound to 127.0.0.1. */
  port?: number;
  auth?: OciAuth;
  /** Page tags/list with `n`/`last` + Link (default true). False returns every tag in one response, like distribution 2.8. */
  tagPaging?: boolean;
  /** Accept manifest DELETE (`storage.delete.enabled`, default true). False answers 405 UNSUPPORTED. */
  deleteEnabled?: boolean;
  /**
   * Send `Docker-Content-Digest` on manifest responses (default true); `'get'`: on GET only, as registries do that
   * leave it off HEAD answers.
   */
  digestHeader?: boolean | 'get';
  /** Clock in ms since the epoch (token expiry), so tests can move time instead of sleeping. */
  now?: () => number;
  /** Delay before every answer (ms), to simulate a remote registry and make concurrency observable. */
  delayMs?: number;
  /** Serve the referrers API (default true); false answers 404 as distribution 2.8 does. */
  referrers?: boolean;
  /** Apply `?artifactType=` and say so in `OCI-Filters-Applied` (default true); false ignores it, as the spec allows. */
  referrersFilter?: boolean;
  /** Referrers per page (Link paging); default: all in one answer. */
  referrersPageSize?: number;
}

/** One served request, as recorded by the server. */
export interface OciRequestLogEntry {
  method: string;
  /** Path without the query string. */
  path: string;
  query: string;
  kind: OciRequestKind;
  status: number;
  /** Scheme of the Authorization header sent. */
  auth: 'none' | 'basic' | 'bearer' | 'other';
  /** The raw Authorization header (test-only server: lets tests prove what was or was not sent). */
  authorization?: string;
  at: number;
}

/** `path` matches when the path (without query) contains the string or matches the pattern. */
export interface OciFault extends FaultFilter, FaultPayload {
  /** Only requests of this kind. */
  kind?: OciRequestKind;
  /**
   * - `malformed`: 200 with a truncated JSON body;
   * - `wrongType`: the normal JSON body with `field` (default: the first array-valued property) set to `value` (default 12345);
   * - `status`: `status` with an error body (and `Retry-After: retryAfter` when given);
   * - `redirect`: 307 to `location` + the original path and query;
   * - `reset`: the connection is destroyed without an answer;
   * - `stall`: no answer until the client gives up or the server closes;
   * - `tamper`: the normal answer with its last digit changed (same length, still JSON, same headers), as a
   *   registry or a proxy that alters content would send it: it no longer matches its digest.
   */
  action: 'malformed' | 'wrongType' | 'status' | 'redirect' | 'reset' | 'stall' | 'tamper';
  retryAfter?: string | number;
  /** For `redirect`: origin (or base URL) to redirect to. */
  location?: string;
}

export interface ImageSeed {
  /** `os/arch[/variant]` per platform; more than one makes an index (default `linux/amd64`, a plain image). */
  platforms?: string[];
  /** Force an index even for one platform. */
  index?: boolean;
  /** `oci` (default) or `docker` media types. */
  format?: 'oci' | 'docker';
  /** Image config `created` (one value for all platforms, or one per platform). */
  created?: string | string[];
  /** Layer sizes per platform image (default [1000, 2000]). */
  layerSizes?: number[];
  /** Extra image config fields (`Env`, `Cmd`, `Labels`, …) merged into `config`. */
  config?: Record<string, unknown>;
  /** Manifest annotations (of the index for several platforms). */
  annotations?: Record<string, string>;
  /** Distinguishes otherwise identical images (changes every digest). */
  salt?: string;
}
export interface StoredManifest {
  mediaType: string;
  body: Buffer;
}

export interface TokenGrant {
  access: Set<string>;
  expiresAt: number;
  /** The token endpoint that issued it and the `service` it was issued for: a registry accepts only its own. */
  realm: string;
  service: string;
}

export const DEFAULT_SERVICE = 'oci-test-registry';
/** Scope grammar of the token specification: `repository:<name>[:<tag>]:<actions>` or `registry:catalog:*`. */
export const SCOPE_RE = /^(?:repository(?:\([a-z0-9]+\))?:[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?:(?:pull|push|delete|\*)(?:,(?:pull|push|delete|\*))*|registry:catalog:\*)$/;

export interface OciServer {
  url: string;
  /** host:port, as in pull references. */
  host: string;
  /** Every request so far, oldest first. */
  readonly requests: OciRequestLogEntry[];
  /** Most requests handled at the same time since the start or the last `resetCounters()`. */
  readonly peakInFlight: number;
  /** Number of requests matching a kind, or a filter (kind, method, path substring / RegExp, status). */
  count(filter?: OciRequestKind | { kind?: OciRequestKind; method?: string; path?: string | RegExp; status?: number }): number;
  resetCounters(): void;
  /** Adds a fault; faults are checked in order before normal handling. */
  fault(f: OciFault): void;
  clearFaults(): void;
  /** Stores an image (or index) and points the tags at it; returns the top-level manifest digest. */
  addImage(repository: string, tags: string | string[], seed?: ImageSeed): string;
  /** Stores a blob; returns its digest. */
  putBlob(repository: string, body: Buffer | string): string;
  /** Stores a manifest exactly as given (and tags it); returns its digest. */
  putManifest(repository: string, body: Buffer | string, mediaType: string, tag?: string): string;
  /** Points tags at an existing manifest digest of the repository. */
  tag(repository: string, tags: string | string[], digest: string): void;
  untag(repository: string, tag: string): void;
  /** Digest a tag points at (undefined when absent). */
  digestOf(repository: string, tag: string): string | undefined;
  tagsOf(repository: string): string[];
  repositories(): string[];
  /** Current options; tests may flip `tagPaging`, `deleteEnabled`, `digestHeader` at run time. */
  readonly options: OciServerOptions;
  /** Invalidates every token this server issued. */
  revokeTokens(): void;
  close(): Promise<void>;
}

export class Repo {
  tags = new Map<string, string>();
  manifests = new Map<string, StoredManifest>();
  blobs = new Map<string, Buffer>();
}

export const NAME_RE = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
export const TAG_RE = /^[\w][\w.-]{0,127}$/;
export const DIGEST_RE = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

export function sha256(b: Buffer | string): string {
  return 'sha256:' + crypto.createHash('sha256').update(b).digest('hex');
}

/** Go's sort.Strings order (byte-wise; the same as code-unit order for the ASCII names the spec allows). */
export function asciiCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function errorBody(code: string, message: string, detail?: unknown): string {
  return JSON.stringify({ errors: [{ code, message, detail: detail ?? null }] });
}

