/** DTR fake file exports (the scan CSV) and the field replacement of `wrongType` faults. */
import type { Json } from './types';

/**
 * The export's file type for an Accept header: `text/csv` or `application/json` (exact types, or `*` wildcards
 * preferring CSV, with q=0 refusing a type); undefined when neither is acceptable (DTR answers 406).
 */
export function exportType(accept: string | undefined): 'text/csv' | 'application/json' | undefined {
  const ranges = (accept ?? '*/*')
    .split(',')
    .map((r) => r.trim().split(';').map((x) => x.trim()))
    .filter((r) => r[0])
    .map(([type, ...params]) => ({ type: type!.toLowerCase(), q: Number(params.find((x) => x.startsWith('q='))?.slice(2) ?? 1) }));
  const quality = (t: string) => Math.max(0, ...ranges.filter((r) => r.type === t || r.type === '*/*' || r.type === `${t.split('/')[0]}/*`).map((r) => r.q));
  const csv = quality('text/csv');
  const json = quality('application/json');
  if (csv <= 0 && json <= 0) return undefined;
  return csv >= json ? 'text/csv' : 'application/json';
}

/** One CSV cell (RFC 4180 quoting). */
export function csvCell(v: string | number | undefined): string {
  const s = v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The export as CSV: a header row, then one row per component and CVE (a component without CVEs: one row). */
export function scanCsv(images: Array<{ os: string; arch: string; image: Json }>): string {
  const rows: Array<Array<string | number | undefined>> = [['os', 'architecture', 'manifest digest', 'layer', 'component', 'version', 'source', 'licenses', 'cve', 'cvss', 'severity', 'summary']];
  for (const { os, arch, image } of images) {
    const cves = new Map(((image.cves ?? []) as Json[]).map((c) => [c.cvePK as string, c]));
    const layerOf = new Map<string, string>();
    for (const l of (image.layers ?? []) as Json[]) for (const pk of (l.components ?? []) as string[]) layerOf.set(pk, l.digest as string);
    for (const comp of (image.components ?? []) as Json[]) {
      const base = [os, arch, image.manifestDigest as string, layerOf.get(comp.componentPK as string) ?? '', comp.name as string, comp.version as string, comp.source as string, ((comp.licenses ?? []) as string[]).join(' ')];
      const own = (comp.cves ?? []) as string[];
      if (!own.length) rows.push([...base, '', '', '', '']);
      for (const id of own) {
        const cve = cves.get(id) ?? {};
        const cvss = Number(cve.cvss ?? 0);
        rows.push([...base, id, cvss, cvss >= 7 ? 'critical' : cvss >= 4 ? 'major' : 'minor', cve.summary as string | undefined]);
      }
    }
  }
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export function replaceField(body: unknown, field: string | undefined, value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(body)) as unknown;
  const target = (Array.isArray(copy) ? copy[0] : copy) as Record<string, unknown> | undefined;
  if (!target || typeof target !== 'object') return value;
  let obj: Record<string, unknown> = target;
  const path = (field ?? Object.keys(target)[0] ?? '').split('.');
  for (const k of path.slice(0, -1)) {
    const next = obj[k];
    if (Array.isArray(next)) obj = next[0] as Record<string, unknown>;
    else obj = next as Record<string, unknown>;
  }
  obj[path[path.length - 1]!] = value;
  return copy;
}

