/**
 * Builds tiny OCI image layouts on disk (image-spec v1.1 "oci-layout"), so the sandbox can push real images with
 * `skopeo copy oci:<dir>:<ref> docker://…` without downloading anything. Every byte is generated here: layers are
 * hand-written tar archives, gzip-compressed; configs carry created/os/architecture/env/cmd/labels/history.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

export const MT_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const MT_INDEX = 'application/vnd.oci.image.index.v1+json';
export const MT_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const MT_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { os: string; architecture: string; variant?: string };
  annotations?: Record<string, string>;
}

export interface LayerFile {
  path: string;
  content: string | Buffer;
  mode?: number;
}

export interface ImageSpec {
  os?: string;
  architecture?: string;
  variant?: string;
  /** ISO timestamp of the image. */
  created: string;
  author?: string;
  env?: string[];
  cmd?: string[];
  entrypoint?: string[];
  workingDir?: string;
  user?: string;
  exposedPorts?: string[];
  labels?: Record<string, string>;
  /** One entry per layer: the files of that layer and the history line that made it. */
  layers: { files: LayerFile[]; createdBy: string }[];
  /** History entries without a layer (ENV, CMD…), appended after the layer entries. */
  emptyHistory?: string[];
  annotations?: Record<string, string>;
}

export function sha256(data: Buffer | string): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** A POSIX ustar archive of regular files (no directories needed by registries or skopeo). */
export function makeTar(files: LayerFile[], mtime = 0): Buffer {
  const blocks: Buffer[] = [];
  for (const f of files) {
    const body = Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content, 'utf8');
    const header = Buffer.alloc(512, 0);
    const name = f.path.replace(/^\/+/, '');
    if (Buffer.byteLength(name) > 100) throw new Error(`tar path too long: ${name}`);
    header.write(name, 0, 100, 'utf8');
    header.write(octal(f.mode ?? 0o644, 8), 100, 8, 'ascii');
    header.write(octal(0, 8), 108, 8, 'ascii'); // uid
    header.write(octal(0, 8), 116, 8, 'ascii'); // gid
    header.write(octal(body.length, 12), 124, 12, 'ascii');
    header.write(octal(mtime, 12), 136, 12, 'ascii');
    header.fill(0x20, 148, 156); // checksum field counts as spaces
    header.write('0', 156, 1, 'ascii'); // regular file
    header.write('ustar\u000000', 257, 8, 'ascii');
    header.write('root', 265, 32, 'ascii');
    header.write('root', 297, 32, 'ascii');
    let sum = 0;
    for (const b of header) sum += b;
    header.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'ascii');
    blocks.push(header, body);
    const pad = (512 - (body.length % 512)) % 512;
    if (pad) blocks.push(Buffer.alloc(pad, 0));
  }
  blocks.push(Buffer.alloc(1024, 0));
  return Buffer.concat(blocks);
}

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, '0')}\u0000`;
}

/** An OCI layout directory being written; blobs go to disk as they are added, `index.json` on `write()`. */
export class OciLayout {
  private readonly refs: Descriptor[] = [];

  constructor(readonly dir: string) {
    fs.mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  }

  addBlob(data: Buffer | string, mediaType: string): Descriptor {
    const buf = Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
    const hex = sha256(buf);
    fs.writeFileSync(path.join(this.dir, 'blobs', 'sha256', hex), buf);
    return { mediaType, digest: `sha256:${hex}`, size: buf.length };
  }

  /** Writes layers, config and manifest of one image; returns the manifest descriptor (with platform). */
  addImage(spec: ImageSpec): Descriptor {
    const layerDescs: Descriptor[] = [];
    const diffIds: string[] = [];
    const history: Record<string, unknown>[] = [];
    for (const layer of spec.layers) {
      const tar = makeTar(layer.files);
      diffIds.push(`sha256:${sha256(tar)}`);
      layerDescs.push(this.addBlob(zlib.gzipSync(tar, { level: 9 }), MT_LAYER_GZIP));
      history.push({ created: spec.created, created_by: layer.createdBy });
    }
    for (const line of spec.emptyHistory ?? []) history.push({ created: spec.created, created_by: line, empty_layer: true });
    const os = spec.os ?? 'linux';
    const architecture = spec.architecture ?? 'amd64';
    const config: Record<string, unknown> = {
      created: spec.created,
      ...(spec.author ? { author: spec.author } : {}),
      architecture,
      os,
      ...(spec.variant ? { variant: spec.variant } : {}),
      config: {
        ...(spec.user ? { User: spec.user } : {}),
        ...(spec.exposedPorts ? { ExposedPorts: Object.fromEntries(spec.exposedPorts.map((p) => [p, {}])) } : {}),
        Env: spec.env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
        ...(spec.entrypoint ? { Entrypoint: spec.entrypoint } : {}),
        Cmd: spec.cmd ?? ['/bin/sh'],
        ...(spec.workingDir ? { WorkingDir: spec.workingDir } : {}),
        Labels: spec.labels ?? {},
      },
      rootfs: { type: 'layers', diff_ids: diffIds },
      history,
    };
    const configDesc = this.addBlob(JSON.stringify(config), MT_CONFIG);
    const manifest = {
      schemaVersion: 2,
      mediaType: MT_MANIFEST,
      config: configDesc,
      layers: layerDescs,
      ...(spec.annotations ? { annotations: spec.annotations } : {}),
    };
    const desc = this.addBlob(JSON.stringify(manifest), MT_MANIFEST);
    return { ...desc, platform: { os, architecture, ...(spec.variant ? { variant: spec.variant } : {}) } };
  }

  /** Writes an image index over the given manifests; returns its descriptor. */
  addIndex(manifests: Descriptor[], annotations?: Record<string, string>): Descriptor {
    const index = { schemaVersion: 2, mediaType: MT_INDEX, manifests, ...(annotations ? { annotations } : {}) };
    return this.addBlob(JSON.stringify(index), MT_INDEX);
  }

  /** Names a manifest or index in `index.json` so `oci:<dir>:<ref>` finds it. */
  ref(name: string, desc: Descriptor): void {
    this.refs.push({ mediaType: desc.mediaType, digest: desc.digest, size: desc.size, annotations: { 'org.opencontainers.image.ref.name': name } });
  }

  write(): void {
    const index = { schemaVersion: 2, mediaType: MT_INDEX, manifests: this.refs };
    fs.writeFileSync(path.join(this.dir, 'index.json'), JSON.stringify(index));
  }

  /** Config + layer sizes of an image manifest written earlier. */
  imageSize(desc: Descriptor): number {
    const m = JSON.parse(this.readBlob(desc.digest).toString('utf8')) as { config: Descriptor; layers: Descriptor[] };
    return m.config.size + m.layers.reduce((sum, l) => sum + l.size, 0);
  }

  /** Raw bytes of a blob written earlier (e.g. a manifest to PUT under more tags). */
  readBlob(digest: string): Buffer {
    return fs.readFileSync(path.join(this.dir, 'blobs', 'sha256', digest.replace(/^sha256:/, '')));
  }
}
