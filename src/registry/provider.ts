import type { RegistryError } from './errors';
import type { ScanReport } from './scan';

/** An opaque paging cursor; only the provider that produced it knows what it means (Link URL, `next`, page number…). */
export type Cursor = string;

/** One page of results. `next` is absent on the last page. */
export interface Page<T> {
  items: T[];
  next?: Cursor;
}

export interface PageOptions {
  /** Requested page size; providers may clamp it. */
  pageSize?: number;
  signal?: AbortSignal;
}

/** What a provider can do; the tree and commands ask these flags and never switch on the registry kind. */
export interface Capabilities {
  /** Repositories are grouped under namespaces (Hub, DTR, Quay). */
  namespaces: boolean;
  /** The registry can list repositories (OCI: `/v2/_catalog`). */
  listRepositories: boolean;
  tags: boolean;
  /**
   * The server pages tag lists itself (`n`/`last` + `Link`). When false, `listTags` returns every tag in one page
   * and the tree sorts and pages them locally.
   */
  serverTagPaging: boolean;
  tagDetails: boolean;
  deleteTag: boolean;
  editRepository: boolean;
  policies: boolean;
  scanSummary: boolean;
  health: boolean;
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
}

/** What deleting a tag will do; shown to the user for confirmation before `deleteTag` runs. */
export interface DeletePlan {
  repository: string;
  tag: string;
  digest: string;
  /** Every tag in the repository that points at the same digest (includes `tag`). */
  affectedTags: string[];
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
  /** Manifest(s), layers and config of a tag or digest, for the details panel. */
  getImageDetails?(repository: string, reference: string, signal?: AbortSignal): Promise<ImageDetails>;
  /** Vulnerability report of a tag, for providers with `scanSummary`. */
  getScanReport?(repository: string, tag: string, signal?: AbortSignal): Promise<ScanReport>;

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
}
