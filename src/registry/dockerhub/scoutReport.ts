import type { Logger } from '../context';
import { BadResponseError, NotFoundError, toRegistryError } from '../errors';
import type { Platform, Tag } from '../provider';
import { countBySeverity, normalizeSeverity, type ScanPackage, type ScanReport, type ScanStatus, type Severity, type Vulnerability } from '../scan';
import { SCOUT_NO_DATA, ScoutUnavailableError, type ScoutClient, type ScoutPackages, type ScoutSummary } from './scout';

/**
 * Docker Scout's analysis as the scan panel's report and the tree's badge, per platform. An answer that Scout has
 * nothing (no entitlement: per repository; no analysis: per image) is remembered for a while, so a tree of Hub tags
 * asks once rather than on every row and every refresh.
 */

const REMEMBER_MS = 10 * 60_000;
const MAX_REMEMBERED = 2_000;

export const platformName = (p: Platform): string => [p.os, p.architecture, p.variant].filter(Boolean).join('/');

const STATUS: Record<string, ScanStatus> = { INDEXED: 'completed', INDEXING: 'scanning', INDEXING_FAILED: 'failed', INDEXING_UNAVAILABLE: 'unsupported', NONE: 'notScanned' };

export class ScoutScans {
  private readonly unavailable = new Map<string, { error: ScoutUnavailableError; until: number }>();

  constructor(
    private readonly client: ScoutClient,
    private readonly logger: Logger,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Forgets every remembered answer (sign-in, sign-out: the account changed). */
  reset(): void {
    this.unavailable.clear();
  }

  private remembered(key: string): ScoutUnavailableError | undefined {
    const hit = this.unavailable.get(key);
    if (hit && hit.until > this.now()) return hit.error;
    if (hit) this.unavailable.delete(key);
    return undefined;
  }

  private remember(key: string, error: ScoutUnavailableError): void {
    if (this.unavailable.size >= MAX_REMEMBERED) this.unavailable.delete(this.unavailable.keys().next().value!);
    this.unavailable.set(key, { error, until: this.now() + REMEMBER_MS });
  }

  /**
   * Adds Scout's counts to a page of tags (the worst of each severity across a tag's platforms): one request for the
   * page. Never throws; when Scout has nothing for the repository the tags stay without a badge.
   */
  async annotateTags(repository: string, tags: Tag[], signal?: AbortSignal): Promise<void> {
    const namespace = repository.split('/')[0];
    if (this.remembered(`repo:${repository}`)) return;
    const digestsOf = (t: Tag) => {
      const platforms = (t.platforms ?? []).map((p) => p.digest).filter((d): d is string => !!d);
      return platforms.length ? platforms : t.digest ? [t.digest] : [];
    };
    const wanted = [...new Set(tags.flatMap(digestsOf))].slice(0, 100);
    if (!wanted.length) return;
    let summaries: ScoutSummary[];
    try {
      summaries = await this.client.summaries(wanted, namespace, signal);
    } catch (e) {
      if (e instanceof ScoutUnavailableError) this.remember(`repo:${repository}`, e);
      else this.logger.info(`Docker Scout badges for ${repository} are not shown: ${toRegistryError(e).message}`);
      return;
    }
    const byDigest = new Map(summaries.map((s) => [s.digest, s.vulnerabilityReport] as const));
    for (const t of tags) {
      const reports = digestsOf(t).map((d) => byDigest.get(d)).filter((r): r is NonNullable<ScoutSummary['vulnerabilityReport']> => !!r);
      if (!reports.length) continue;
      const worst = (k: 'critical' | 'high' | 'medium' | 'low' | 'unspecified') => Math.max(...reports.map((r) => r[k]));
      const counts: Partial<Record<Severity, number>> = { critical: worst('critical'), high: worst('high'), medium: worst('medium'), low: worst('low'), unknown: worst('unspecified') };
      t.vulnerabilities = Object.fromEntries(Object.entries(counts).filter(([, n]) => n! > 0));
      (t.facts ??= []).push('Docker Scout');
    }
  }

  /** The report of one platform of `tag` (`platform`, else linux/amd64, else the first). */
  async report(repository: string, tag: Tag, platform: string | undefined, signal?: AbortSignal): Promise<ScanReport> {
    const platforms = (tag.platforms ?? []).filter((p) => p.digest);
    const names = platforms.map(platformName);
    if (platform !== undefined && !names.includes(platform)) {
      if ((tag.platforms ?? []).some((p) => platformName(p) === platform)) throw new BadResponseError(`Docker Hub lists no valid digest for ${platform} of ${repository}:${tag.name}`);
      throw new NotFoundError(`${platform} is not a platform of ${repository}:${tag.name}`);
    }
    const chosen = platforms.find((p) => platformName(p) === platform) ?? platforms.find((p) => platformName(p) === 'linux/amd64') ?? platforms[0];
    const digest = chosen?.digest ?? tag.digest;
    const base: ScanReport = { status: 'notScanned', scanner: 'Docker Scout', repository, reference: tag.name, counts: countBySeverity([]), packages: [], vulnerabilities: [] };
    if (digest) base.digest = digest;
    if (chosen && names.length > 1) Object.assign(base, { platforms: names, platform: platformName(chosen) });
    const unavailable = this.remembered(`repo:${repository}`) ?? (digest ? this.remembered(`digest:${digest}`) : undefined);
    if (!digest || unavailable) return { ...base, status: 'unsupported', message: unavailable?.message ?? SCOUT_NO_DATA };
    let packages: ScoutPackages | undefined;
    try {
      packages = await this.client.packages(digest, repository.split('/')[0], signal);
    } catch (e) {
      if (!(e instanceof ScoutUnavailableError)) throw e;
      this.remember(e.reason === 'noData' ? `digest:${digest}` : `repo:${repository}`, e);
      return { ...base, status: 'unsupported', message: e.message };
    }
    if (!packages) {
      this.remember(`digest:${digest}`, new ScoutUnavailableError(SCOUT_NO_DATA, 'noData'));
      return { ...base, status: 'unsupported', message: SCOUT_NO_DATA };
    }
    const status = STATUS[packages.sbomState] ?? 'notScanned';
    if (status !== 'completed') return { ...base, status, message: status === 'scanning' ? 'Docker Scout is analysing this image' : SCOUT_NO_DATA };
    return { ...base, ...fromScoutPackages(packages) };
  }
}

/** Scout's packages as the panel's rows: every vulnerability of every package (excepted ones listed and marked). */
export function fromScoutPackages(p: ScoutPackages): Pick<ScanReport, 'status' | 'counts' | 'packages' | 'vulnerabilities'> {
  const packages: ScanPackage[] = [];
  const vulnerabilities: Vulnerability[] = [];
  for (const { package: pkg, locations } of p.imagePackages.packages) {
    const name = pkg.name || pkg.purl;
    packages.push({ name, version: pkg.version, kind: pkg.type, ...(locations[0] ? { layer: locations[0].diffId } : {}) });
    for (const v of pkg.vulnerabilities) {
      const out: Vulnerability = { id: v.sourceId, severity: normalizeSeverity(v.cvss.severity ?? undefined), packageName: name, installedVersion: pkg.version, links: /^https?:\/\//.test(v.url) ? [v.url] : [] };
      if (v.fixedBy) out.fixedVersion = v.fixedBy;
      if (v.description) out.description = v.description.slice(0, 4_000);
      if (typeof v.cvss.score === 'number' && v.cvss.score >= 0 && v.cvss.score <= 10) out.cvss = v.cvss.score;
      if (locations[0]) out.layer = locations[0].diffId;
      if (v.isExcepted) out.allowlisted = true;
      vulnerabilities.push(out);
    }
  }
  return { status: 'completed', counts: countBySeverity(vulnerabilities), packages, vulnerabilities };
}
