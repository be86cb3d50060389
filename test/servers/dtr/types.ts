/** Types, constants and errors of the DTR fake (see index.ts). */
import * as crypto from 'node:crypto';
import type { OciServer } from '../oci/types';
import type { FaultFilter, FaultPayload } from '../kit/faults';

export type AccessLevel = 'read-only' | 'read-write' | 'admin';
export type Json = Record<string, unknown>;

export interface DtrServerOptions {
  port?: number;
  apiShape?: '2.6' | '1.3';
  /** Check every response body against the spec and collect violations (tests); off by default (bench). */
  validateResponses?: boolean;
  features?: Partial<Features>;
  /** Serve `/v2/` (and `/token`) through an embedded OCI registry with Bearer auth for this user. */
  registry?: { username: string; password: string };
  /**
   * Teams in team access carry `name` (DTR does; default) or only what the document's `responses.Team` has (`id`,
   * `clientUserIsMember`) when false.
   */
  teamNames?: boolean;
  /** Serve the account service's team listing (`GET /enzi/v0/accounts/{org}/teams`), which names teams by id. */
  enzi?: boolean;
}

/** What a policy did when it was evaluated on save (`initialEvaluation`, true unless sent false). */
export interface DtrEvaluation {
  kind: PolicyKind;
  repository: string;
  /** Tags the evaluation promoted, mirrored or pruned. */
  tags: string[];
}

export interface Features {
  scanningEnabled: boolean;
  scanningLicensed: boolean;
  promotionLicensed: boolean;
  mirroringLicensed: boolean;
}

export interface DtrRequestLogEntry {
  method: string;
  path: string;
  query: string;
  status: number;
  user?: string;
  body?: unknown;
}

/** `path`: a string matches the exact path, a pattern is tested. */
export interface DtrFault extends FaultFilter, FaultPayload {
  /** `malformed`: 200 with truncated JSON; `wrongType`: the normal body with `field` replaced; `repeatCursor`: X-Next-Page-Start = the requested start; `cycleCursor`: pages after the first point back to the first; `status`. */
  kind: 'malformed' | 'wrongType' | 'repeatCursor' | 'cycleCursor' | 'status';
}

export interface TagSeed {
  name: string;
  platforms?: string[];
  digest?: string;
  size?: number;
  author?: string;
  signed?: boolean;
  updatedAt?: string;
  /** Number of CVEs per platform in its scan (generated), or no scan. */
  cves?: number;
  /** The name of the first component of its scan (default `component-0`). */
  component?: string;
}

export interface RepositorySeed {
  shortDescription?: string;
  longDescription?: string;
  visibility?: 'public' | 'private';
  scanOnPush?: boolean;
  immutableTags?: boolean;
  tagLimit?: number;
  pulls?: number;
}

export interface UserRec {
  name: string;
  id: string;
  password: string;
  admin: boolean;
  fullName: string;
  tokens: Map<string, TokenRec>;
}
export interface TokenRec {
  hashedToken: string;
  secret: string;
  tokenLabel: string;
  isActive: boolean;
  lastUsed: string;
  createdAt: string;
}
export interface TeamRec {
  id: string;
  name: string;
  members: Set<string>;
}
export interface OrgRec {
  name: string;
  id: string;
  owners: Set<string>;
  members: Set<string>;
  teams: Map<string, TeamRec>;
  access: Map<string, AccessLevel>;
}
export interface PlatformRec {
  os: string;
  arch: string;
  digest: string;
  size: number;
  cves?: number;
}
export interface TagRec {
  name: string;
  digest: string;
  mediaType: string;
  author: string;
  createdAt: string;
  updatedAt: string;
  signed: boolean;
  platforms: PlatformRec[];
  component?: string;
  promotion?: { promotionPolicyID: string; sourceRepository: string; sourceTag: string };
}
export interface RepoRec {
  id: string;
  intId: number;
  namespace: string;
  name: string;
  shortDescription: string;
  longDescription: string;
  visibility: 'public' | 'private';
  scanOnPush: boolean;
  immutableTags: boolean;
  enableManifestLists: boolean;
  tagLimit: number;
  pulls: number;
  pushes: number;
  tags: TagRec[];
  teamAccess: Map<string, AccessLevel>;
  policies: Record<PolicyKind, Map<string, Json>>;
  events: Json[];
}
export type PolicyKind = 'pruningPolicies' | 'promotionPolicies' | 'pollMirroringPolicies' | 'pushMirroringPolicies';

export interface DtrServer {
  readonly url: string;
  readonly requests: DtrRequestLogEntry[];
  /** Response bodies that did not match the spec (with `validateResponses`). */
  readonly violations: string[];
  /** Operations answered (method + path template), for the contract test's coverage check. */
  readonly answered: Set<string>;
  clearRequests(): void;
  close(): Promise<void>;
  addUser(name: string, password: string, opts?: { admin?: boolean; fullName?: string }): void;
  addOrg(name: string, opts?: { owners?: string[]; members?: string[] }): void;
  addTeam(org: string, team: string, members: string[]): void;
  /** The id of a team (DTR's `responses.Team.id`). */
  teamId(org: string, team: string): string | undefined;
  setNamespaceAccess(org: string, team: string, level: AccessLevel): void;
  setRepositoryAccess(repository: string, team: string, level: AccessLevel): void;
  addRepository(namespace: string, name: string, seed?: RepositorySeed): void;
  addTag(repository: string, seed: TagSeed): void;
  addTags(repository: string, count: number, opts?: { prefix?: string }): void;
  addEvents(repository: string, count: number): void;
  addJob(action: string, status: 'waiting' | 'running' | 'done' | 'canceled' | 'errored', logs?: string[]): string;
  createToken(user: string, label: string): string;
  /** Adds a policy as the API would store it (`kind`: pruningPolicies, promotionPolicies, pollMirroringPolicies, pushMirroringPolicies); returns its id. */
  addPolicy(repository: string, kind: PolicyKind, policy: Json): string;
  addWebhook(key: string, type: string, endpoint: string, author?: string): string;
  setFeatures(f: Partial<Features>): void;
  setFault(f: DtrFault | undefined): void;
  repository(repository: string): RepoRec | undefined;
  webhookCount(): number;
  /** The embedded registry (with `registry`). */
  readonly oci?: OciServer;
  /** Policies evaluated on save, in order (promotions and push mirrors they ran, tags they pruned). */
  readonly evaluations: DtrEvaluation[];
}

export const NAME_RE = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
export const LEVELS: AccessLevel[] = ['read-only', 'read-write', 'admin'];
export const MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

export function sha(s: string): string {
  return 'sha256:' + crypto.createHash('sha256').update(s).digest('hex');
}
export function maxLevel(a: AccessLevel | undefined, b: AccessLevel | undefined): AccessLevel | undefined {
  if (!a) return b;
  if (!b) return a;
  return LEVELS.indexOf(a) >= LEVELS.indexOf(b) ? a : b;
}
export function atLeast(have: AccessLevel | undefined, need: AccessLevel): boolean {
  return !!have && LEVELS.indexOf(have) >= LEVELS.indexOf(need);
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
export const unauthenticated = () => new HttpError(401, 'NOT_AUTHENTICATED', 'The client is not authenticated.');
export const forbidden = () => new HttpError(403, 'NOT_AUTHORIZED', 'The client is not authorized.');
export const noRepo = () => new HttpError(404, 'NO_SUCH_REPOSITORY', 'A repository with the given name does not exist.');

/** Starts the fake DTR on 127.0.0.1; resolves once it listens. */
