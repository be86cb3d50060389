import type { AdminModel } from './admin';
import type { Attachment, AttachmentContent, AttachmentList, AttachmentListOptions } from './attachments';
import type { RegistryError } from './errors';
import type { ScanReport, Severity } from './scan';
import type { LayerVerification } from './verifyResult';
import type { ParsedReport, ReportTarget } from './reports/types';
import type { Cursor, Page, PageOptions } from './paging';

export type { Cursor, Page, PageOptions } from './paging';

/** What a provider can do; the tree and commands ask these flags and never switch on the registry kind. */
export interface Capabilities {
  /** Repositories are grouped under namespaces (Hub, DTR, Quay). */
  namespaces: boolean;
  tagDetails: boolean;
  deleteTag: boolean;
  scanSummary: boolean;
  /** `listRepositories` filters by `nameFilter` on the server, so a filter reaches past the loaded pages. */
  serverRepositoryFilter?: boolean;
  /** Orders `listRepositories` accepts in `ordering` (the first is the server's default). */
  repositoryOrderings?: readonly string[];
  /** `listTags` filters by `nameFilter` on the server, so a filter reaches past the loaded pages. */
  serverTagFilter?: boolean;
  /**
   * Orders `listTags` accepts in `ordering` (the first is the server's default). With them the tree keeps the
   * registry's order of a tag list instead of sorting it by the tag sort order setting, unless the user picks that.
   */
  tagOrderings?: readonly string[];
  /**
   * Where the repositories come from: `catalog`, the registry's own list (with the configured ones added), or
   * `configured`, only the entry's `repositories` setting because the registry does not list them. Set by providers
   * that read that setting; the tree then offers Add Repository… and Remove Repository from the List.
   */
  repositoryList?: 'catalog' | 'configured';
}

export interface Namespace {
  name: string;
  description?: string;
}

export interface Repository {
  /** Full repository path as used in pull references, without the registry host (e.g. `team/app`). */
  name: string;
  namespace?: string;
  description?: string;
  /** Filled in by providers whose listing carries them (Hub). */
  isPrivate?: boolean;
  starCount?: number;
  pullCount?: number;
  /** ISO timestamp of the last push or change. */
  lastUpdated?: string;
  /** Short extra facts the listing carries (state, tag limit, scan-on-push…), shown in the description and tooltip. */
  facts?: string[];
  /** Shown because the entry's `repositories` setting names it (it can be removed from that list). */
  configured?: boolean;
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
  digest?: string;
  size?: number;
}

export interface Tag {
  name: string;
  /** Filled in when the listing itself carries it (Hub); OCI fills it via getTagDetails. */
  digest?: string;
  size?: number;
  created?: string;
  platforms?: Platform[];
  /** ISO timestamps from listings that carry them (Hub). */
  lastPushed?: string;
  lastPulled?: string;
  /** ISO timestamp after which the registry removes the tag (Quay expiration). */
  expiresAt?: string;
  /** Vulnerability counts by severity, when the listing or the details carry a scan result. */
  vulnerabilities?: Partial<Record<Severity, number>>;
  /** Short extra facts (signed, manifest list, author…), shown in the description and tooltip. */
  facts?: string[];
  /**
   * The row is changing on the server (a scan running or queued): the tree reads it again with `readTag` after this
   * many milliseconds, until a read no longer sets it.
   */
  refreshAfterMs?: number;
}

export interface TagDetails {
  repository: string;
  tag: string;
  /** Digest of the manifest or index the tag points at. */
  digest: string;
  mediaType: string;
  /** Sum of config + layer sizes (for an index: of all platform manifests). */
  size?: number;
  /** ISO timestamp from the image config's `created`; for an index, the newest among platforms. */
  created?: string;
  /** Platforms of an index; a single entry for a plain image when its config names os/architecture. */
  platforms: Platform[];
  isIndex: boolean;
  /** Vulnerability counts by severity, when the registry reports a scan for the digest. */
  vulnerabilities?: Partial<Record<Severity, number>>;
}

/** What deleting a tag will do; shown to the user for confirmation before `deleteTag` runs. */
export interface DeletePlan {
  repository: string;
  tag: string;
  digest: string;
  /** Every tag the deletion removes (includes `tag`): all tags sharing the digest when the registry deletes by digest. */
  affectedTags: string[];
  /**
   * True when the registry deletes the manifest by digest (OCI), removing every tag that points at it; false when it
   * removes just the tag (Docker Hub).
   */
  byDigest: boolean;
  /** How the registry can undo the deletion, when it can (shown instead of "This cannot be undone"). */
  undo?: string;
}

export interface HealthResult {
  ok: boolean;
  latencyMs: number;
  checkedAt: number;
  error?: RegistryError;
  /** Extra facts for the tooltip (e.g. Hub rate-limit remaining). */
  details?: Record<string, string>;
}

/** One registry connection. Implementations live in src/registry/<kind>/ and never import 'vscode'. */
export interface RegistryProvider {
  readonly kind: string;
  readonly capabilities: Capabilities;

  /** Cheap reachability/auth check (`GET /v2/` for OCI). Never throws; failures are in the result. */
  ping(signal?: AbortSignal): Promise<HealthResult>;

  listNamespaces?(cursor: Cursor | undefined, opts?: PageOptions): Promise<Page<Namespace>>;
  listRepositories(namespace: string | undefined, cursor: Cursor | undefined, opts?: PageOptions): Promise<Page<Repository>>;
  listTags(repository: string, cursor: Cursor | undefined, opts?: PageOptions): Promise<Page<Tag>>;
  getTagDetails?(repository: string, tag: string, signal?: AbortSignal): Promise<TagDetails>;
  /** One row of `listTags` read again (for rows that set `refreshAfterMs`). */
  readTag?(repository: string, tag: string, signal?: AbortSignal): Promise<Tag>;
  /** Manifest(s), layers and config of a tag or digest, for the details panel. */
  getImageDetails?(repository: string, reference: string, signal?: AbortSignal): Promise<ImageDetails>;
  /**
   * Vulnerability report of a tag, for providers with `scanSummary`. `platform` (`os/arch[/variant]`) picks one
   * platform of a multi-platform tag; the report lists the platforms it could show in `platforms`.
   */
  getScanReport?(repository: string, tag: string, signal?: AbortSignal, platform?: string): Promise<ScanReport>;

  /**
   * What refers to a manifest digest (signatures, SBOMs, attestations, other artifacts), for every registry with a
   * Distribution API behind it: one bounded referrers call (or the tag-schema fallback) plus cosign's tags.
   */
  listAttachments?(repository: string, digest: string, opts?: AttachmentListOptions): Promise<AttachmentList>;
  /** One attachment's manifest and content blobs (bounded in size, digests checked). */
  getAttachmentContent?(repository: string, attachment: Attachment, signal?: AbortSignal): Promise<AttachmentContent>;
  /**
   * Verifies the cosign signatures and DSSE attestations among `attachments` with a PEM public key, against the image
   * `digest` (src/registry/verifyAttachment.ts; it lives with the Distribution library, loaded with the provider).
   */
  verifyAttachments?(repository: string, digest: string, attachments: readonly Attachment[], publicKeyPem: string, signal?: AbortSignal): Promise<LayerVerification[]>;
  /** An attached vulnerability report, read and parsed (src/registry/reports/; loaded with the provider). */
  getAttachedReport?(repository: string, attachment: Attachment, target: ReportTarget, signal?: AbortSignal): Promise<ParsedReport>;

  /**
   * What this registry administers (tokens, teams, policies; create/edit/delete of namespaces, repositories and tags
   * through their core types), rendered by the generic UI.
   */
  readonly admin?: AdminModel;

  /** Resolves the digest and the other tags sharing it, so the user can confirm. */
  planDeleteTag?(repository: string, tag: string, signal?: AbortSignal): Promise<DeletePlan>;
  /** Executes a confirmed plan. */
  deleteTag?(plan: DeletePlan, signal?: AbortSignal): Promise<void>;

  /** Host (and port) to use in pull references, e.g. `registry.example.com:5000`. */
  pullHost(): string;

  /** Drops cached tokens (sign-out, credential change). */
  resetAuth(): void;
  dispose(): void;
}

/** One layer of an image manifest. */
export interface LayerInfo {
  digest: string;
  mediaType: string;
  size: number;
  annotations?: Record<string, string>;
}

export interface HistoryEntry {
  created?: string;
  createdBy?: string;
  comment?: string;
  emptyLayer?: boolean;
}

/** The parts of an image config a person looks at. */
export interface ImageConfigSummary {
  digest: string;
  size: number;
  created?: string;
  author?: string;
  os?: string;
  architecture?: string;
  variant?: string;
  user?: string;
  workingDir?: string;
  env: string[];
  entrypoint: string[];
  cmd: string[];
  labels: Record<string, string>;
  exposedPorts: string[];
  volumes: string[];
  history: HistoryEntry[];
}

/** One platform's image (the whole image when the reference is not an index). */
export interface PlatformImage {
  platform?: Platform;
  digest: string;
  mediaType: string;
  layers: LayerInfo[];
  config?: ImageConfigSummary;
  /** config + layers. */
  totalSize: number;
  annotations?: Record<string, string>;
  /** True when this platform of a large index was not read (layers and config empty); its digest reads it on demand. */
  detailsOmitted?: boolean;
}

/** Everything the tag details panel shows; fetched once per digest. */
export interface ImageDetails {
  repository: string;
  /** The tag or digest the user asked for. */
  reference: string;
  digest: string;
  mediaType: string;
  isIndex: boolean;
  annotations?: Record<string, string>;
  images: PlatformImage[];
  /** The repository's overview in Markdown, where the registry keeps one (Docker Hub's full description). */
  overview?: string;
}
