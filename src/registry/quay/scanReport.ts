import * as z from 'zod';
import { BadResponseError } from '../errors';
import { countBySeverity, normalizeSeverity, type ScanPackage, type ScanReport, type Vulnerability } from '../scan';

/**
 * Quay's manifest security response (`GET /api/v1/repository/{repo}/manifest/{digest}/security?vulnerabilities=true`),
 * a Clair report, mapped to the provider-neutral ScanReport.
 */
const quayVulnerability = z.object({
  Name: z.string().optional(),
  Severity: z.string().optional(),
  Link: z.string().optional().nullable(),
  FixedBy: z.string().optional().nullable(),
  Description: z.string().optional().nullable(),
  NamespaceName: z.string().optional().nullable(),
  Metadata: z.unknown().optional(),
});
const quayFeature = z.object({
  Name: z.string(),
  Version: z.string().optional().nullable(),
  VersionFormat: z.string().optional().nullable(),
  AddedBy: z.string().optional().nullable(),
  CVEIds: z.array(z.string()).optional().nullable(),
  BaseScores: z.array(z.number()).optional().nullable(),
  Vulnerabilities: z.array(quayVulnerability).optional().nullable(),
});
export const quaySecuritySchema = z.object({
  status: z.string(),
  data: z
    .object({
      Layer: z.object({
        Name: z.string().optional(),
        IndexedByVersion: z.number().optional(),
        Features: z.array(quayFeature).optional().nullable(),
      }),
    })
    .nullable()
    .optional(),
});

/** What Quay's security status values mean, for the scan panel. */
const STATUS_MESSAGES: Record<string, string> = {
  queued: 'Quay has queued this manifest for scanning; try again later',
  unsupported: 'The security scanner does not support this manifest (its base image or layer format)',
  failed: 'The security scan of this manifest failed',
  manifest_layer_too_large: 'A layer of this manifest is too large for the security scanner',
  scanned: 'Quay reports the manifest as scanned but sent no data',
};

function cveFrom(v: z.infer<typeof quayVulnerability>, fallback: string): string {
  const fromLink = v.Link?.split(/\s+/)[0]?.match(/(CVE-\d{4}-\d{4,}|GHSA-[\w-]+|RHSA-\d{4}:\d+)/i)?.[1];
  const fromName = v.Name?.match(/(CVE-\d{4}-\d{4,}|GHSA-[\w-]+|RHSA-\d{4}:\d+)/i)?.[1];
  return fromLink ?? fromName ?? v.Name ?? fallback;
}

function cvssOf(meta: unknown): number | undefined {
  const score = (meta as { NVD?: { CVSSv3?: { Score?: unknown } } } | undefined)?.NVD?.CVSSv3?.Score;
  // Clair sends the score as a number or as a numeric string.
  const n = typeof score === 'string' ? Number(score) : score;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

export function fromQuaySecurity(json: unknown, repository: string, reference: string): ScanReport {
  const r = quaySecuritySchema.safeParse(json);
  if (!r.success) throw new BadResponseError(`Unexpected security report: "${r.error.issues[0]?.path.join('.')}" ${r.error.issues[0]?.message}`);
  const { status, data } = r.data;
  if (status !== 'scanned' || !data) {
    const mapped = status === 'queued' ? 'queued' : status === 'unsupported' || status === 'manifest_layer_too_large' ? 'unsupported' : status === 'failed' ? 'failed' : 'notScanned';
    return { status: mapped, repository, reference, counts: countBySeverity([]), packages: [], vulnerabilities: [], message: STATUS_MESSAGES[status] ?? `Quay reports the scan as "${status}"` };
  }
  const packages: ScanPackage[] = [];
  const vulnerabilities: Vulnerability[] = [];
  for (const f of data.Layer.Features ?? []) {
    packages.push({ name: f.Name, version: f.Version ?? undefined, kind: f.VersionFormat || undefined, layer: f.AddedBy ?? undefined });
    for (const v of f.Vulnerabilities ?? []) {
      vulnerabilities.push({
        id: cveFrom(v, f.Name),
        severity: normalizeSeverity(v.Severity),
        packageName: f.Name,
        installedVersion: f.Version ?? undefined,
        fixedVersion: v.FixedBy || undefined,
        description: [v.Name, v.Description].filter(Boolean).join('\n\n') || undefined,
        links: (v.Link ?? '').split(/\s+/).filter((l) => /^https?:\/\//.test(l)),
        layer: f.AddedBy ?? undefined,
        cvss: cvssOf(v.Metadata),
      });
    }
  }
  return {
    status: 'completed',
    scanner: data.Layer.IndexedByVersion !== undefined ? `Clair (indexer v${data.Layer.IndexedByVersion})` : 'Clair',
    repository,
    reference,
    digest: data.Layer.Name,
    counts: countBySeverity(vulnerabilities),
    packages,
    vulnerabilities,
  };
}
