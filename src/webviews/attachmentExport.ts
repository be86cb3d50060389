import type { SbomDocument } from '../registry/distribution/sbom';
import { csvCell } from './scanFilter';

/** Packages whose name, version, type, licence or PURL contains `search` (case-insensitive). */
export function filterPackages(sbom: SbomDocument, search: string): SbomDocument['packages'] {
  const q = search.trim().toLowerCase();
  if (!q) return sbom.packages;
  return sbom.packages.filter((p) => [p.name, p.version, p.type, p.license, p.purl].some((v) => v?.toLowerCase().includes(q)));
}

/** CSV of a package table (RFC 4180 quoting; a cell a spreadsheet would run as a formula is quote-prefixed). */
export function packagesCsv(packages: SbomDocument['packages']): string {
  const rows = packages.map((p) => [p.name, p.version, p.type, p.license, p.purl].map(csvCell).join(','));
  return ['name,version,type,license,purl', ...rows].join('\r\n') + '\r\n';
}

/** JSON of a package table, with the document it came from. */
export function packagesJson(sbom: SbomDocument, packages: SbomDocument['packages']): string {
  return JSON.stringify({ format: sbom.format, specVersion: sbom.specVersion, name: sbom.name, created: sbom.created, packages }, null, 2) + '\n';
}
