import type { ImageDetails, PlatformImage } from './provider';
import { bySeverity, type ScanReport, type Severity, type Vulnerability } from './scan';

/**
 * Comparing two images (tags of one repository, or of two registries) the way a reviewer does before promoting one:
 * per platform, which layers were added, removed or kept (by digest, with the history command that made each), what
 * changed in the configuration, the size delta, and — when both sides have scan reports — the vulnerabilities fixed
 * and introduced. Plain data in, plain data out: no requests here.
 */

export type LayerState = 'added' | 'removed' | 'shared';

export interface LayerChange {
  state: LayerState;
  digest: string;
  size: number;
  /** The history command that made the layer, when the config's history lines up with the layers. */
  createdBy?: string;
}

export interface ConfigChange {
  /** What changed: `env PATH`, `label org.opencontainers.image.version`, `entrypoint`, `exposed port 8080/tcp`… */
  field: string;
  before?: string;
  after?: string;
}

export interface VulnerabilityChange {
  id: string;
  severity: Severity;
  packageName: string;
  installedVersion?: string;
  fixedVersion?: string;
}

export interface PlatformComparison {
  /** `os/arch[/variant]`, or `image` for single images without a platform. */
  platform: string;
  leftDigest?: string;
  rightDigest?: string;
  /** The same manifest on both sides: nothing differs. */
  identical: boolean;
  leftSize?: number;
  rightSize?: number;
  /** Right total size minus left's. */
  sizeDelta?: number;
  layers: LayerChange[];
  config: ConfigChange[];
  /** Only when both sides had a completed report for this platform. */
  vulnerabilities?: { fixed: VulnerabilityChange[]; introduced: VulnerabilityChange[]; left: string; right: string };
  /** A platform only one side has, a platform not read, a scan missing… */
  notes: string[];
}

/** Limits of what one comparison carries (a panel message stays small whatever the images). */
export const COMPARE_LIMITS = { platforms: 32, layers: 500, configChanges: 500, vulnerabilities: 2_000, text: 2_000 } as const;

function clip(s: string | undefined): string | undefined {
  return s === undefined ? undefined : s.length > COMPARE_LIMITS.text ? `${s.slice(0, COMPARE_LIMITS.text)}…` : s;
}

export function platformKey(img: PlatformImage): string {
  const p = img.platform ?? (img.config?.os && img.config.architecture ? { os: img.config.os, architecture: img.config.architecture, variant: img.config.variant } : undefined);
  return p ? [p.os, p.architecture, p.variant].filter(Boolean).join('/') : 'image';
}

/** Each layer's history command: the history entries that made a layer (not `empty_layer`), in order. */
export function layerCommands(img: PlatformImage): Map<string, string> {
  const out = new Map<string, string>();
  const made = (img.config?.history ?? []).filter((h) => !h.emptyLayer);
  // Only when the history lines up with the layers; otherwise a command would be put on the wrong layer.
  if (made.length !== img.layers.length) return out;
  img.layers.forEach((l, i) => {
    const by = made[i]?.createdBy;
    if (by && !out.has(l.digest)) out.set(l.digest, by);
  });
  return out;
}

export function compareLayers(left: PlatformImage, right: PlatformImage): LayerChange[] {
  const leftCmds = layerCommands(left);
  const rightCmds = layerCommands(right);
  const inLeft = new Set(left.layers.map((l) => l.digest));
  const inRight = new Set(right.layers.map((l) => l.digest));
  const out: LayerChange[] = [];
  const seen = new Set<string>();
  // Right's order (the newer image, as it would be pulled), then the layers only left had.
  for (const l of right.layers) {
    if (seen.has(l.digest)) continue;
    seen.add(l.digest);
    out.push({ state: inLeft.has(l.digest) ? 'shared' : 'added', digest: l.digest, size: l.size, ...cmd(rightCmds.get(l.digest) ?? leftCmds.get(l.digest)) });
  }
  for (const l of left.layers) {
    if (seen.has(l.digest) || inRight.has(l.digest)) continue;
    seen.add(l.digest);
    out.push({ state: 'removed', digest: l.digest, size: l.size, ...cmd(leftCmds.get(l.digest)) });
  }
  return out.slice(0, COMPARE_LIMITS.layers);
}

function cmd(createdBy: string | undefined): { createdBy?: string } {
  return createdBy ? { createdBy: clip(createdBy) } : {};
}

function envMap(env: string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of env) {
    const i = e.indexOf('=');
    m.set(i < 0 ? e : e.slice(0, i), i < 0 ? '' : e.slice(i + 1));
  }
  return m;
}

function mapChanges(prefix: string, a: Map<string, string>, b: Map<string, string>, out: ConfigChange[]): void {
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  for (const k of keys) {
    const before = a.get(k);
    const after = b.get(k);
    if (before !== after) out.push({ field: `${prefix} ${k}`, ...(before !== undefined ? { before: clip(before) } : {}), ...(after !== undefined ? { after: clip(after) } : {}) });
  }
}

function setChanges(prefix: string, a: string[], b: string[], out: ConfigChange[]): void {
  const sa = new Set(a);
  const sb = new Set(b);
  for (const x of [...sa].filter((x) => !sb.has(x)).sort()) out.push({ field: `${prefix} ${x}`, before: 'present' });
  for (const x of [...sb].filter((x) => !sa.has(x)).sort()) out.push({ field: `${prefix} ${x}`, after: 'present' });
}

function valueChange(field: string, before: string | undefined, after: string | undefined, out: ConfigChange[]): void {
  if ((before ?? '') !== (after ?? '')) out.push({ field, ...(before ? { before: clip(before) } : {}), ...(after ? { after: clip(after) } : {}) });
}

const argv = (a: string[]) => (a.length ? JSON.stringify(a) : undefined);

/** Differences of the parts of the config a person looks at: env, entrypoint, cmd, labels, ports, user, workdir, volumes. */
export function compareConfig(left: PlatformImage, right: PlatformImage): ConfigChange[] {
  const a = left.config;
  const b = right.config;
  const out: ConfigChange[] = [];
  if (!a || !b) return out;
  valueChange('entrypoint', argv(a.entrypoint), argv(b.entrypoint), out);
  valueChange('cmd', argv(a.cmd), argv(b.cmd), out);
  valueChange('user', a.user, b.user, out);
  valueChange('working dir', a.workingDir, b.workingDir, out);
  mapChanges('env', envMap(a.env), envMap(b.env), out);
  mapChanges('label', new Map(Object.entries(a.labels)), new Map(Object.entries(b.labels)), out);
  setChanges('exposed port', a.exposedPorts, b.exposedPorts, out);
  setChanges('volume', a.volumes, b.volumes, out);
  return out.slice(0, COMPARE_LIMITS.configChanges);
}

function vulnKey(v: Vulnerability): string {
  return `${v.id}\u0000${v.packageName}`;
}

function change(v: Vulnerability): VulnerabilityChange {
  return { id: v.id, severity: v.severity, packageName: v.packageName, ...(v.installedVersion ? { installedVersion: v.installedVersion } : {}), ...(v.fixedVersion ? { fixedVersion: v.fixedVersion } : {}) };
}

/** Vulnerabilities (by id and package) only the left report has — fixed — and only the right has — introduced. */
export function compareVulnerabilities(left: ScanReport, right: ScanReport): { fixed: VulnerabilityChange[]; introduced: VulnerabilityChange[] } {
  const inLeft = new Set(left.vulnerabilities.map(vulnKey));
  const inRight = new Set(right.vulnerabilities.map(vulnKey));
  const fixed = left.vulnerabilities.filter((v) => !inRight.has(vulnKey(v))).sort(bySeverity);
  const introduced = right.vulnerabilities.filter((v) => !inLeft.has(vulnKey(v))).sort(bySeverity);
  const once = (vs: Vulnerability[]) => [...new Map(vs.map((v) => [vulnKey(v), v])).values()].slice(0, COMPARE_LIMITS.vulnerabilities).map(change);
  return { fixed: once(fixed), introduced: once(introduced) };
}

/**
 * The comparison of two images, platform by platform (matched by `os/arch[/variant]`; two single images compare with
 * each other whatever their platforms). `scans` gives each side's report per platform, when read.
 */
export function compareImages(left: ImageDetails, right: ImageDetails, scans: { left?: Map<string, ScanReport>; right?: Map<string, ScanReport> } = {}): PlatformComparison[] {
  const single = !left.isIndex && !right.isIndex && left.images.length === 1 && right.images.length === 1;
  const pairs: [string, PlatformImage | undefined, PlatformImage | undefined][] = [];
  if (single) {
    const a = left.images[0]!;
    const b = right.images[0]!;
    const ka = platformKey(a);
    const kb = platformKey(b);
    pairs.push([ka === kb ? ka : `${ka} → ${kb}`, a, b]);
  } else {
    const byKey = (d: ImageDetails) => new Map(d.images.map((i) => [platformKey(i), i]));
    const l = byKey(left);
    const r = byKey(right);
    for (const k of [...new Set([...r.keys(), ...l.keys()])]) pairs.push([k, l.get(k), r.get(k)]);
  }
  return pairs.slice(0, COMPARE_LIMITS.platforms).map(([platform, a, b]) => {
    const notes: string[] = [];
    const out: PlatformComparison = { platform, identical: !!a && !!b && a.digest === b.digest, layers: [], config: [], notes };
    if (a) {
      out.leftDigest = a.digest;
      out.leftSize = a.totalSize;
    }
    if (b) {
      out.rightDigest = b.digest;
      out.rightSize = b.totalSize;
    }
    if (!a || !b) {
      notes.push(a ? 'Only the left image has this platform' : 'Only the right image has this platform');
      return out;
    }
    if (a.detailsOmitted || b.detailsOmitted) notes.push('This platform of a large index was not read; its layers and configuration are not compared');
    out.sizeDelta = b.totalSize - a.totalSize;
    out.layers = compareLayers(a, b);
    out.config = compareConfig(a, b);
    if (!a.config || !b.config) notes.push('The configuration of one side could not be read');
    const sa = scans.left?.get(platform) ?? (single ? first(scans.left) : undefined);
    const sb = scans.right?.get(platform) ?? (single ? first(scans.right) : undefined);
    if (sa?.status === 'completed' && sb?.status === 'completed') {
      out.vulnerabilities = { ...compareVulnerabilities(sa, sb), left: reportName(sa), right: reportName(sb) };
    } else if (scans.left || scans.right) {
      notes.push('Vulnerabilities are compared only when both sides have a completed scan');
    }
    return out;
  });
}

function first<T>(m: Map<string, T> | undefined): T | undefined {
  return m ? m.values().next().value : undefined;
}

function reportName(r: ScanReport): string {
  return [r.scanner, r.scannedAt ? `scanned ${r.scannedAt.slice(0, 16).replace('T', ' ')}` : undefined].filter(Boolean).join(', ') || 'registry scan';
}
