/** The OCI fake's content: repositories with their tags, manifests and blobs, and how images are seeded. */
import { MEDIA_TYPES, NAME_RE, Repo, TAG_RE, sha256, type ImageSeed } from './types';

export type OciStore = ReturnType<typeof createOciStore>;

export function createOciStore() {
  const repos = new Map<string, Repo>();

  const repo = (name: string, create = false): Repo | undefined => {
    let r = repos.get(name);
    if (!r && create) {
      r = new Repo();
      repos.set(name, r);
    }
    return r;
  };

  // ---- seeding --------------------------------------------------------------------------------------------------

  function putBlob(r: Repo, body: Buffer): string {
    const d = sha256(body);
    r.blobs.set(d, body);
    return d;
  }

  function putManifest(r: Repo, mediaType: string, obj: unknown): { digest: string; size: number } {
    const body = Buffer.from(JSON.stringify(obj, null, 2));
    const digest = sha256(body);
    r.manifests.set(digest, { mediaType, body });
    return { digest, size: body.length };
  }

  function addImage(repository: string, tags: string | string[], seed: ImageSeed = {}): string {
    if (!NAME_RE.test(repository)) throw new Error(`invalid repository name ${repository}`);
    const r = repo(repository, true)!;
    const docker = seed.format === 'docker';
    const platforms = seed.platforms ?? ['linux/amd64'];
    const sizes = seed.layerSizes ?? [1000, 2000];
    const salt = seed.salt ?? '';
    const children: Array<{ digest: string; size: number; platform: string }> = [];
    platforms.forEach((p, i) => {
      const [os, architecture, variant] = p.split('/');
      const created = Array.isArray(seed.created) ? seed.created[i] : (seed.created ?? '2024-01-01T00:00:00Z');
      const layers = sizes.map((size, j) => ({
        mediaType: docker ? MEDIA_TYPES.dockerLayer : MEDIA_TYPES.ociLayer,
        digest: sha256(`${repository}|${p}|${j}|${size}|${salt}`),
        size,
      }));
      const config = {
        created,
        architecture,
        os,
        ...(variant ? { variant } : {}),
        config: { Env: ['PATH=/usr/local/bin:/usr/bin:/bin'], Cmd: ['/bin/sh'], ...(seed.config ?? {}) },
        rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
        history: layers.map((_, j) => ({ created, created_by: `/bin/sh -c step-${j + 1}` })),
      };
      const configBody = Buffer.from(JSON.stringify(config));
      const configDigest = putBlob(r, configBody);
      const single = platforms.length === 1 && !seed.index;
      const m = putManifest(r, docker ? MEDIA_TYPES.dockerManifest : MEDIA_TYPES.ociManifest, {
        schemaVersion: 2,
        mediaType: docker ? MEDIA_TYPES.dockerManifest : MEDIA_TYPES.ociManifest,
        config: { mediaType: docker ? MEDIA_TYPES.dockerConfig : MEDIA_TYPES.ociConfig, digest: configDigest, size: configBody.length },
        layers,
        ...(single && seed.annotations ? { annotations: seed.annotations } : {}),
      });
      children.push({ ...m, platform: p });
    });
    let top: string;
    if (platforms.length === 1 && !seed.index) {
      top = children[0].digest;
    } else {
      const mediaType = docker ? MEDIA_TYPES.dockerList : MEDIA_TYPES.ociIndex;
      top = putManifest(r, mediaType, {
        schemaVersion: 2,
        mediaType,
        manifests: children.map((c) => {
          const [os, architecture, variant] = c.platform.split('/');
          return {
            mediaType: docker ? MEDIA_TYPES.dockerManifest : MEDIA_TYPES.ociManifest,
            digest: c.digest,
            size: c.size,
            platform: { architecture, os, ...(variant ? { variant } : {}) },
          };
        }),
        ...(seed.annotations ? { annotations: seed.annotations } : {}),
      }).digest;
    }
    tag(repository, tags, top);
    return top;
  }

  function tag(repository: string, tags: string | string[], digest: string): void {
    const r = repo(repository, true)!;
    if (!r.manifests.has(digest)) throw new Error(`unknown manifest ${digest} in ${repository}`);
    for (const t of Array.isArray(tags) ? tags : [tags]) {
      if (!TAG_RE.test(t)) throw new Error(`invalid tag ${t}`);
      r.tags.set(t, digest);
    }
  }

  // ---- auth -----------------------------------------------------------------------------------------------------

  return { repos, repo, putBlob, putManifest, addImage, tag };
}
