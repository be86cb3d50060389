import * as z from 'zod';

/**
 * zod schemas for the OCI Distribution / Docker Registry V2 responses and the OCI image-spec documents the provider
 * reads. Unknown fields are dropped; `null` where registries send it for "empty" (distribution sends `"tags": null`
 * for a repository without tags) is accepted and normalised.
 */

export const MediaTypes = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerSchema1: 'application/vnd.docker.distribution.manifest.v1+json',
  dockerSchema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
} as const;

/** The Accept list for manifest requests, most specific first. */
export const MANIFEST_ACCEPT = [MediaTypes.ociIndex, MediaTypes.ociManifest, MediaTypes.dockerList, MediaTypes.dockerManifest].join(', ');

export const INDEX_TYPES: ReadonlySet<string> = new Set([MediaTypes.ociIndex, MediaTypes.dockerList]);
export const IMAGE_TYPES: ReadonlySet<string> = new Set([MediaTypes.ociManifest, MediaTypes.dockerManifest]);
export const CONFIG_TYPES: ReadonlySet<string> = new Set([MediaTypes.ociConfig, MediaTypes.dockerConfig]);

const names = (what: string) => z.array(z.string({ error: `every ${what} must be a string` }), { error: `must be an array of ${what}s` });

/** `GET /v2/_catalog`. */
export const catalog = z.object({
  repositories: names('repository name')
    .nullish()
    .transform((v) => v ?? []),
});

/** `GET /v2/<name>/tags/list`. */
export const tagList = z.object({
  name: z.string().optional(),
  tags: names('tag name')
    .nullish()
    .transform((v) => v ?? []),
});

const digest = z.string({ error: 'must be a string' }).regex(/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/, { error: 'is not a valid digest' });
const annotations = z
  .record(z.string(), z.string())
  .nullish()
  .transform((v) => v ?? undefined);

export const platform = z.object({
  architecture: z.string({ error: 'must be a string' }),
  os: z.string({ error: 'must be a string' }),
  variant: z.string().optional(),
  'os.version': z.string().optional(),
});

export const descriptor = z.object({
  mediaType: z.string({ error: 'must be a string' }),
  digest,
  size: z.number({ error: 'must be a number' }).int().nonnegative(),
  platform: platform.optional(),
  annotations,
  artifactType: z.string().optional(),
});
export type Descriptor = z.infer<typeof descriptor>;

/** OCI image manifest / Docker manifest v2 schema 2. */
export const imageManifest = z.object({
  schemaVersion: z.literal(2, { error: 'must be 2' }),
  mediaType: z.string().optional(),
  artifactType: z.string().optional(),
  config: descriptor,
  layers: z.array(descriptor, { error: 'must be an array' }).nullish().transform((v) => v ?? []),
  annotations,
});
export type ImageManifest = z.infer<typeof imageManifest>;

/** OCI image index / Docker manifest list. */
export const imageIndex = z.object({
  schemaVersion: z.literal(2, { error: 'must be 2' }),
  mediaType: z.string().optional(),
  manifests: z.array(descriptor, { error: 'must be an array' }),
  annotations,
});
export type ImageIndex = z.infer<typeof imageIndex>;

const stringList = z
  .union([z.array(z.string()), z.string().transform((s) => [s])])
  .nullish()
  .transform((v) => v ?? []);
const keySet = z
  .record(z.string(), z.unknown())
  .nullish()
  .transform((v) => Object.keys(v ?? {}));

/** The parts of an image config (OCI image-spec config.md / Docker image JSON) the details panel shows. */
export const imageConfig = z.object({
  created: z.string().optional(),
  author: z.string().optional(),
  architecture: z.string().optional(),
  os: z.string().optional(),
  variant: z.string().optional(),
  config: z
    .object({
      User: z.string().optional(),
      WorkingDir: z.string().optional(),
      Env: stringList,
      Entrypoint: stringList,
      Cmd: stringList,
      Labels: z
        .record(z.string(), z.string())
        .nullish()
        .transform((v) => v ?? {}),
      ExposedPorts: keySet,
      Volumes: keySet,
    })
    .nullish(),
  history: z
    .array(
      z.object({
        created: z.string().optional(),
        created_by: z.string().optional(),
        comment: z.string().optional(),
        empty_layer: z.boolean().optional(),
      }),
    )
    .nullish()
    .transform((v) => v ?? []),
});
export type ImageConfig = z.infer<typeof imageConfig>;
