/**
 * SBOM documents as package tables: SPDX 2.x JSON (spdx.github.io/spdx-spec v2.3: `packages[]` with `name`,
 * `versionInfo`, `primaryPackagePurpose`, `licenseConcluded` / `licenseDeclared`, `externalRefs` of type `purl`) and
 * CycloneDX JSON (cyclonedx.org/docs/1.5/json: `components[]`, nested `components`, `licenses[]` with `license.id` /
 * `license.name` / `expression`, `purl`). Bounded: at most MAX_SBOM_PACKAGES rows, nesting checked before parsing.
 */
import { arr, obj, parseBoundedJson, str } from './boundedJson';
import { BadResponseError } from '../errors';

export const MAX_SBOM_PACKAGES = 50_000;

export interface SbomPackage {
  name: string;
  version?: string;
  /** Package type: SPDX primary purpose, CycloneDX component type, or the PURL type (`apk`, `npm`, …). */
  type?: string;
  license?: string;
  purl?: string;
}

export interface SbomDocument {
  format: 'spdx' | 'cyclonedx';
  /** `SPDX-2.3`, `CycloneDX 1.5`. */
  specVersion?: string;
  name?: string;
  created?: string;
  tools: string[];
  packages: SbomPackage[];
  /** Packages over the cap, not listed. */
  omitted: number;
}

const NO = new Set(['NOASSERTION', 'NONE', '']);

function purlType(purl: string | undefined): string | undefined {
  const m = purl ? /^pkg:([a-zA-Z][\w.+-]*)\//.exec(purl) : null;
  return m ? m[1].toLowerCase() : undefined;
}

function spdx(doc: Record<string, unknown>): SbomDocument {
  const info = obj(doc.creationInfo);
  const out: SbomDocument = { format: 'spdx', specVersion: str(doc.spdxVersion, 40), name: str(doc.name, 500), created: str(info?.created, 40), tools: arr(info?.creators).map((c) => str(c, 200)).filter((c): c is string => !!c).slice(0, 20), packages: [], omitted: 0 };
  const packages = arr(doc.packages);
  for (const raw of packages) {
    const p = obj(raw);
    const name = str(p?.name, 500);
    if (!p || !name) continue;
    if (out.packages.length >= MAX_SBOM_PACKAGES) {
      out.omitted++;
      continue;
    }
    const purlRef = arr(p.externalRefs)
      .map(obj)
      .find((r) => r && String(r.referenceType).toLowerCase() === 'purl');
    const purl = str(purlRef?.referenceLocator, 1000);
    const license = [str(p.licenseConcluded, 500), str(p.licenseDeclared, 500)].find((l) => l && !NO.has(l));
    out.packages.push({ name, version: str(p.versionInfo, 200), type: purlType(purl) ?? str(p.primaryPackagePurpose, 60)?.toLowerCase(), license, purl });
  }
  return out;
}

function cdxLicense(c: Record<string, unknown>): string | undefined {
  const names: string[] = [];
  for (const raw of arr(c.licenses)) {
    const l = obj(raw);
    const expr = str(l?.expression, 500);
    const lic = obj(l?.license);
    const name = expr ?? str(lic?.id, 200) ?? str(lic?.name, 200);
    if (name) names.push(name);
  }
  return names.length ? names.join(' AND ') : undefined;
}

function cyclonedx(doc: Record<string, unknown>): SbomDocument {
  const meta = obj(doc.metadata);
  const tools = obj(meta?.tools) ? arr(obj(meta?.tools)?.components) : arr(meta?.tools);
  const out: SbomDocument = {
    format: 'cyclonedx',
    specVersion: `CycloneDX ${str(doc.specVersion, 20) ?? ''}`.trim(),
    name: str(obj(meta?.component)?.name, 500),
    created: str(meta?.timestamp, 40),
    tools: tools.map((t) => [str(obj(t)?.vendor, 100), str(obj(t)?.name, 100), str(obj(t)?.version, 50)].filter(Boolean).join(' ')).filter(Boolean).slice(0, 20),
    packages: [],
    omitted: 0,
  };
  // Nested components, walked with an explicit stack (the depth was bounded when parsing).
  const stack: unknown[] = [...arr(doc.components)].reverse();
  while (stack.length) {
    const c = obj(stack.pop());
    if (!c) continue;
    for (const child of [...arr(c.components)].reverse()) stack.push(child);
    const name = str(c.name, 500);
    if (!name) continue;
    if (out.packages.length >= MAX_SBOM_PACKAGES) {
      out.omitted++;
      continue;
    }
    const group = str(c.group, 200);
    const purl = str(c.purl, 1000);
    out.packages.push({ name: group ? `${group}/${name}` : name, version: str(c.version, 200), type: purlType(purl) ?? str(c.type, 60), license: cdxLicense(c), purl });
  }
  return out;
}

/** Reads an SBOM document (already parsed JSON, or its text) as SPDX or CycloneDX; anything else is a clear error. */
export function parseSbom(input: unknown, what = 'The SBOM'): SbomDocument {
  const json = typeof input === 'string' ? parseBoundedJson(input, what) : input;
  const doc = obj(json);
  if (doc && typeof doc.spdxVersion === 'string') return spdx(doc);
  if (doc && (doc.bomFormat === 'CycloneDX' || (typeof doc.specVersion === 'string' && Array.isArray(doc.components)))) return cyclonedx(doc);
  if (doc && typeof doc.SPDXID === 'string') return spdx(doc);
  throw new BadResponseError(`${what} is neither SPDX JSON nor CycloneDX JSON (XML, tag-value and other formats are not shown)`);
}
