/**
 * Reading an attachment's content: its manifest (by digest, checked) and the blob(s) holding the signature payload,
 * SBOM, DSSE envelope or report. Every blob is read up to the size its descriptor declares and at most
 * MAX_ATTACHMENT_BYTES: a larger one is refused before anything is downloaded, with a message saying how large it is.
 */
import type { Attachment, AttachmentBlob, AttachmentContent } from '../attachments';
import { verifyDigest } from '../digest';
import { BadResponseError, UnsupportedError } from '../errors';
import { BODY_LIMITS } from '../http';
import { type DistributionClient, repoPath } from './client';
import { attachmentView } from './attachmentView';
import { parseManifest, short } from './manifests';
import * as s from './schemas';

/** Largest attachment blob read (an SBOM of a large image is a few MiB; 32 MiB leaves room and bounds memory). */
export const MAX_ATTACHMENT_BYTES = 32 * 1024 * 1024;
/** Layers of one referring manifest read at most. */
const MAX_CONTENT_LAYERS = 4;

const pull = (name: string) => ({ kind: 'repository', name, action: 'pull' }) as const;

/** "12.5 MiB". */
export function mebibytes(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

/** Reads one blob within the limit, checked against its digest. */
export async function readBlob(client: DistributionClient, repository: string, d: Pick<AttachmentBlob, 'digest' | 'mediaType' | 'size' | 'annotations'>, signal?: AbortSignal): Promise<AttachmentBlob> {
  const what = `The attached blob ${repository}@${short(d.digest)}`;
  if (d.size > MAX_ATTACHMENT_BYTES) {
    throw new UnsupportedError(`${what} is ${mebibytes(d.size)}, larger than the ${mebibytes(MAX_ATTACHMENT_BYTES)} that are read; it was not downloaded`);
  }
  const res = await client.sendOk({ method: 'GET', url: `${repoPath(repository)}/blobs/${d.digest}`, access: pull(repository), what, signal, maxBodyBytes: Math.max(1, d.size) });
  if (res.body.length !== d.size) throw new BadResponseError(`${what}: the registry sent ${res.body.length} bytes, the descriptor says ${d.size}`);
  verifyDigest(res.body, d.digest, what);
  return { digest: d.digest, mediaType: d.mediaType, size: d.size, annotations: d.annotations, body: res.body };
}

/** The attachment's manifest and content blob(s). */
export async function fetchAttachmentContent(client: DistributionClient, repository: string, attachment: Attachment, signal?: AbortSignal): Promise<AttachmentContent> {
  const content = await readContent(client, repository, attachment, signal);
  return { ...content, view: attachmentView(content) };
}

async function readContent(client: DistributionClient, repository: string, attachment: Attachment, signal?: AbortSignal): Promise<Omit<AttachmentContent, 'view'>> {
  const what = `The attachment ${repository}@${short(attachment.digest)}`;
  const res = await client.sendOk({
    method: 'GET',
    url: `${repoPath(repository)}/manifests/${attachment.digest}`,
    access: pull(repository),
    what,
    headers: { accept: s.MANIFEST_ACCEPT },
    signal,
    maxBodyBytes: BODY_LIMITS.manifest,
  });
  verifyDigest(res.body, attachment.digest, what);
  const doc = parseManifest(res.body, res.header('content-type'), attachment.digest, what);
  const raw = JSON.parse(res.body.toString('utf8')) as { subject?: { digest?: unknown }; artifactType?: unknown };
  const subject = typeof raw.subject?.digest === 'string' ? raw.subject.digest : undefined;
  if (!doc.image) {
    // An index as an artifact (rare): nothing to read inside, its entries are shown by the list.
    return { attachment, subject, artifactType: typeof raw.artifactType === 'string' ? raw.artifactType : undefined, annotations: doc.index?.annotations, blobs: [], skippedLayers: doc.index?.manifests.length ?? 0 };
  }
  const m = doc.image;
  let chosen: s.Descriptor[];
  if (attachment.layer) {
    const l = m.layers[attachment.layer.index];
    if (!l || l.digest !== attachment.layer.digest) throw new BadResponseError(`${what}: the manifest changed since it was listed; list the attachments again`);
    chosen = [l];
  } else {
    chosen = m.layers.slice(0, MAX_CONTENT_LAYERS);
  }
  const blobs: AttachmentBlob[] = [];
  for (const l of chosen) blobs.push(await readBlob(client, repository, l, signal));
  return {
    attachment,
    subject,
    artifactType: m.artifactType ?? (m.config.mediaType !== s.MediaTypes.ociConfig ? m.config.mediaType : undefined),
    annotations: m.annotations,
    blobs,
    skippedLayers: attachment.layer ? 0 : Math.max(0, m.layers.length - MAX_CONTENT_LAYERS),
  };
}
