import type { RegistryManager } from '../config/registryManager';
import { compareImages, platformKey } from '../registry/compare';
import { NotFoundError, UnsupportedError, isRegistryError } from '../registry/errors';
import type { ImageDetails, RegistryProvider } from '../registry/provider';
import type { ScanReport } from '../registry/scan';
import type { PanelSpec } from './panelHost';
import type { RestoreState } from './protocol';

/** One side of a comparison: a tag or digest of a repository of a configured registry. */
export interface CompareSide {
  registryName: string;
  repository: string;
  reference: string;
}

export interface CompareTarget {
  left: CompareSide;
  right: CompareSide;
}

/** Platforms of an index read for a comparison at most (each is a manifest and a config request per side). */
const MAX_PLATFORMS_READ = 8;

export function parseCompareRestore(s: RestoreState | undefined): CompareTarget | undefined {
  if (!s) return undefined;
  const side = (p: 'left' | 'right'): CompareSide | undefined => {
    const registryName = s[`${p}Registry`];
    const repository = s[`${p}Repository`];
    const reference = s[`${p}Reference`];
    return typeof registryName === 'string' && typeof repository === 'string' && typeof reference === 'string' ? { registryName, repository, reference } : undefined;
  };
  const left = side('left');
  const right = side('right');
  return left && right ? { left, right } : undefined;
}

function restoreOf(t: CompareTarget): RestoreState {
  return {
    leftRegistry: t.left.registryName,
    leftRepository: t.left.repository,
    leftReference: t.left.reference,
    rightRegistry: t.right.registryName,
    rightRepository: t.right.repository,
    rightReference: t.right.reference,
  };
}

export function sideName(s: CompareSide): string {
  return `${s.repository}${s.reference.includes(':') ? '@' + s.reference.slice(0, 19) : ':' + s.reference}`;
}

function providerOf(manager: RegistryManager, s: CompareSide): RegistryProvider {
  const state = manager.get(s.registryName);
  if (!state) throw new NotFoundError(`No registry named "${s.registryName}" is configured any more`);
  const provider = state.provider;
  if (!provider) throw state.unavailable ?? new UnsupportedError(`${s.registryName} is not available`);
  if (!provider.getImageDetails) throw new UnsupportedError(`${s.registryName} cannot show image details, so its images cannot be compared`);
  return provider;
}

/** The image with the platforms of a large index that were listed but not read now read (up to a bound). */
async function readImage(provider: RegistryProvider, s: CompareSide, signal: AbortSignal): Promise<ImageDetails> {
  const d = await provider.getImageDetails!(s.repository, s.reference, signal);
  let budget = MAX_PLATFORMS_READ;
  const images = await Promise.all(
    d.images.map(async (img) => {
      if (!img.detailsOmitted || budget-- <= 0) return img;
      const one = (await provider.getImageDetails!(s.repository, img.digest, signal)).images[0];
      return one ? { ...one, platform: img.platform ?? one.platform, digest: img.digest } : img;
    }),
  );
  return { ...d, images };
}

/** Each platform's scan report, when the registry scans; a failure leaves that side without one (a note says why). */
async function readScans(provider: RegistryProvider, s: CompareSide, d: ImageDetails, notes: string[], signal: AbortSignal): Promise<Map<string, ScanReport> | undefined> {
  if (!provider.capabilities.scanSummary || !provider.getScanReport) return undefined;
  const out = new Map<string, ScanReport>();
  try {
    const first = await provider.getScanReport(s.repository, s.reference, signal);
    const platforms = first.platforms ?? [];
    if (!platforms.length) {
      out.set(d.images.length === 1 ? platformKey(d.images[0]!) : (first.platform ?? 'image'), first);
      return out;
    }
    out.set(first.platform ?? platforms[0]!, first);
    for (const p of platforms.slice(0, MAX_PLATFORMS_READ)) {
      if (!out.has(p)) out.set(p, await provider.getScanReport(s.repository, s.reference, signal, p));
    }
  } catch (e) {
    if (isRegistryError(e) && e.kind === 'cancelled') throw e;
    notes.push(`The scan of ${sideName(s)} could not be read: ${(e as Error).message}`);
  }
  return out;
}

/** Compare With…: two images side by side, per platform. */
export function compareSpec(manager: RegistryManager, t: CompareTarget): PanelSpec {
  const key = `${t.left.registryName}/${t.left.repository}:${t.left.reference} ⇄ ${t.right.registryName}/${t.right.repository}:${t.right.reference}`;
  return {
    kind: 'compare',
    key,
    title: `Compare: ${sideName(t.left)} ⇄ ${sideName(t.right)}`,
    restore: restoreOf(t),
    cacheContent: true,
    async load(signal) {
      const lp = providerOf(manager, t.left);
      const rp = providerOf(manager, t.right);
      const [left, right] = await Promise.all([readImage(lp, t.left, signal), readImage(rp, t.right, signal)]);
      const notes: string[] = [];
      const [ls, rs] = await Promise.all([readScans(lp, t.left, left, notes, signal), readScans(rp, t.right, right, notes, signal)]);
      if (!ls && !rs) notes.push('Neither registry scans images: vulnerabilities are not compared');
      else if (!ls || !rs) notes.push(`${ls ? t.right.registryName : t.left.registryName} does not scan images: vulnerabilities are not compared`);
      const platforms = compareImages(left, right, { left: ls, right: rs });
      return {
        type: 'init',
        panel: 'compare',
        data: { left: { ...t.left, digest: left.digest }, right: { ...t.right, digest: right.digest }, platforms, notes },
        restore: restoreOf(t),
      };
    },
  };
}
