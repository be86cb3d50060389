/**
 * Classifies what refers to an image by the media and artifact types and annotations the registry reports, without
 * reading content: cosign (SIGNATURE_SPEC, ATTESTATION_SPEC, SBOM_SPEC), Notary v2 / notation, sigstore bundles, SPDX
 * and CycloneDX SBOMs, in-toto attestations in DSSE envelopes (by predicate type), vulnerability reports.
 */
import type { AttachmentKind } from '../attachments';
import { t } from '../l10n';

export const SupplyChainTypes = {
  cosignSimpleSigning: 'application/vnd.dev.cosign.simplesigning.v1+json',
  cosignSigArtifact: 'application/vnd.dev.cosign.artifact.sig.v1+json',
  cosignSbomArtifact: 'application/vnd.dev.cosign.artifact.sbom.v1+json',
  notarySignature: 'application/vnd.cncf.notary.signature',
  sigstoreBundle: 'application/vnd.dev.sigstore.bundle',
  dsse: 'application/vnd.dsse.envelope.v1+json',
  inToto: 'application/vnd.in-toto+json',
  spdxJson: 'application/spdx+json',
  cyclonedxJson: 'application/vnd.cyclonedx+json',
  harborSbom: 'application/vnd.goharbor.harbor.sbom.v1',
  sarif: 'application/sarif+json',
} as const;

/** Annotations carrying the in-toto predicate type: cosign's layer annotation, buildx's, sigstore bundles'. */
const PREDICATE_ANNOTATIONS = ['predicateType', 'in-toto.io/predicate-type', 'dev.sigstore.bundle.predicateType'];

export const PredicateTypes = {
  slsaV02: 'https://slsa.dev/provenance/v0.2',
  slsaV1: 'https://slsa.dev/provenance/v1',
  cosignVuln: 'https://cosign.sigstore.dev/attestation/vuln/v1',
  cosignCustom: 'https://cosign.sigstore.dev/attestation/v1',
  spdx: 'https://spdx.dev/Document',
  cyclonedx: 'https://cyclonedx.org/bom',
} as const;

export interface Classified {
  kind: AttachmentKind;
  subtype?: string;
  predicateType?: string;
  label: string;
}

/** Media types are compared without parameters and case. */
function base(mediaType: string | undefined): string {
  return (mediaType ?? '').split(';')[0].trim().toLowerCase();
}

/** `spdx` / `cyclonedx` / `syft` for an SBOM media type (cosign SBOM_SPEC lists `text/spdx`, `application/vnd.cyclonedx`, `application/vnd.syft+json` and their suffixed forms). */
export function sbomFormat(mediaType: string | undefined): 'spdx' | 'cyclonedx' | 'syft' | undefined {
  const m = base(mediaType);
  if (/^(?:text|application)\/(?:vnd\.)?spdx(?:\+json|\+xml|\+yaml)?$/.test(m) || m === 'text/spdx+json') return 'spdx';
  if (/^application\/vnd\.cyclonedx(?:\+json|\+xml)?$/.test(m)) return 'cyclonedx';
  if (m === 'application/vnd.syft+json') return 'syft';
  return undefined;
}

/** The predicate type named by annotations, if any. */
export function predicateTypeOf(annotations: Record<string, string> | undefined): string | undefined {
  for (const k of PREDICATE_ANNOTATIONS) {
    const v = annotations?.[k];
    if (v) return v.slice(0, 500);
  }
  return undefined;
}

/** "SLSA provenance v1", "vulnerability scan", … for a predicate type; the type itself otherwise. */
export function predicateLabel(predicateType: string): string {
  const p = predicateType.replace(/\/+$/, '');
  if (/^https:\/\/slsa\.dev\/provenance\/v0\.[12]$/.test(p)) return t('SLSA provenance {0}', p.slice(p.lastIndexOf('/') + 1));
  if (/^https:\/\/slsa\.dev\/provenance\/v1(?:\.\d+)?$/.test(p)) return t('SLSA provenance {0}', p.slice(p.lastIndexOf('/') + 1));
  if (p === PredicateTypes.cosignVuln) return t('vulnerability scan');
  if (p === PredicateTypes.cosignCustom) return t('custom attestation');
  if (/^https:\/\/spdx\.dev\/Document/.test(p)) return t('SPDX SBOM');
  if (/^https:\/\/cyclonedx\.org\/bom/.test(p)) return t('CycloneDX SBOM');
  return predicateType.slice(0, 200);
}

/** An SBOM predicate: the attestation is shown as an SBOM. */
function sbomPredicate(p: string): 'spdx' | 'cyclonedx' | undefined {
  if (/^https:\/\/spdx\.dev\/Document/.test(p)) return 'spdx';
  if (/^https:\/\/cyclonedx\.org\/bom/.test(p)) return 'cyclonedx';
  return undefined;
}

function attestation(predicateType: string | undefined): Classified {
  if (!predicateType) return { kind: 'attestation', label: t('attestation') };
  const sbom = sbomPredicate(predicateType);
  if (sbom) return { kind: 'sbom', subtype: sbom, predicateType, label: predicateLabel(predicateType) };
  return { kind: 'attestation', subtype: predicateType, predicateType, label: predicateLabel(predicateType) };
}

function sbom(format: 'spdx' | 'cyclonedx' | 'syft'): Classified {
  const names = { spdx: 'SPDX', cyclonedx: 'CycloneDX', syft: 'Syft' } as const;
  return { kind: 'sbom', subtype: format, label: t('{0} SBOM', names[format]) };
}

/**
 * Classifies a referrer by its descriptor (referrers API or tag schema index entry): `artifactType` first, then the
 * annotations. Unknown types are `other`, labelled by their artifact type.
 */
export function classifyReferrer(artifactType: string | undefined, annotations: Record<string, string> | undefined): Classified {
  const a = base(artifactType);
  const predicateType = predicateTypeOf(annotations);
  if (a === SupplyChainTypes.cosignSigArtifact || a === SupplyChainTypes.cosignSimpleSigning) return { kind: 'signature', subtype: 'cosign', label: t('cosign signature') };
  if (a === SupplyChainTypes.notarySignature) return { kind: 'signature', subtype: 'notation', label: t('Notary signature') };
  if (a.startsWith(SupplyChainTypes.sigstoreBundle)) {
    // A bundle holds a signature, or an attestation when it names a predicate type.
    return predicateType ? attestation(predicateType) : { kind: 'signature', subtype: 'sigstore-bundle', label: t('sigstore bundle signature') };
  }
  if (a === SupplyChainTypes.dsse || a === SupplyChainTypes.inToto || a.startsWith('application/vnd.in-toto')) return attestation(predicateType);
  if (a === SupplyChainTypes.cosignSbomArtifact || a === SupplyChainTypes.harborSbom) return { ...sbom('spdx'), subtype: a === SupplyChainTypes.harborSbom ? 'harbor' : 'cosign', label: t('SBOM') };
  const format = sbomFormat(a);
  if (format) return sbom(format);
  if (a === SupplyChainTypes.sarif || a.includes('sarif')) return { kind: 'other', subtype: 'sarif', label: t('SARIF report') };
  if (a.includes('trivy')) return { kind: 'other', subtype: 'trivy', label: t('Trivy report') };
  if (predicateType) return attestation(predicateType);
  return { kind: 'other', label: artifactType ? artifactType.slice(0, 200) : t('artifact') };
}

/** Which cosign tag a layer came from. */
export type CosignTagKind = 'sig' | 'att' | 'sbom';

/** Classifies one layer of a cosign `.sig`, `.att` or `.sbom` tag's manifest. */
export function classifyCosignLayer(tag: CosignTagKind, mediaType: string, annotations: Record<string, string> | undefined): Classified {
  if (tag === 'sig') {
    const m = base(mediaType);
    if (m === SupplyChainTypes.cosignSimpleSigning) return { kind: 'signature', subtype: 'cosign', label: t('cosign signature') };
    return { kind: 'signature', subtype: 'cosign', label: t('cosign signature ({0})', mediaType.slice(0, 100)) };
  }
  if (tag === 'att') return attestation(predicateTypeOf(annotations));
  const format = sbomFormat(mediaType);
  return format ? sbom(format) : { kind: 'sbom', subtype: 'cosign', label: t('SBOM ({0})', mediaType.slice(0, 100)) };
}
