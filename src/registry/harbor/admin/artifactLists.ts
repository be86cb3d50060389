import * as z from 'zod';
import { defineResource, type Outcome, type ResourceRef, type Scope } from '../../admin';
import { done, repositoryOf } from '../../adminKit';
import { BadResponseError } from '../../errors';
import { t } from '../../l10n';
import { severities, type Severity } from '../../scan';
import type { HarborAccessory } from '../schemas';
import { type HarborArtifactsApi, type HarborTag } from '../artifactsApi';
import { artifactFacts } from '../artifactState';
import type { HarborApi } from '../api';
import type { HarborClient } from '../client';
import { countsOf, overviewSummary, scanStatusOf } from '../scanReport';

/** What the lists under an artifact need. */
export interface ArtifactListsHost {
  readonly client: HarborClient;
  readonly api: HarborApi;
  readonly artifacts: HarborArtifactsApi;
}

/** The artifact a tag node stands for: its digest when the listing gave it, else its name (a tag or the digest). */
export function referenceOf(scope: Scope): string {
  const r = scope.digest ?? scope.tag;
  if (!r) throw new BadResponseError('This needs an artifact');
  return r;
}

/** `sha256:0123456789ab`. */
export function short(digest: string): string {
  const i = digest.indexOf(':');
  return digest.slice(0, i + 13);
}

function size(n: number | null | undefined): string | undefined {
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) return undefined;
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  for (; v >= 1024 && u < units.length - 1; u++) v /= 1024;
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** "3 critical · 12 high", "no vulnerabilities", or the scan's status. */
export function scanBadge(overview: Parameters<typeof overviewSummary>[0]): string {
  const summary = overviewSummary(overview);
  if (!summary) return t('not scanned');
  const status = scanStatusOf(summary.scan_status);
  if (status === 'scanning') return typeof summary.complete_percent === 'number' ? t('scanning {0}%', summary.complete_percent) : t('scanning');
  if (status === 'queued') return t('scan queued');
  if (status === 'failed') return t('scan {0}', String(summary.scan_status).toLowerCase());
  if (status !== 'completed') return t('not scanned');
  const counts: Partial<Record<Severity, number>> = countsOf(summary) ?? {};
  const found = severities.filter((s) => (counts[s] ?? 0) > 0).map((s) => `${counts[s]} ${s}`);
  return found.length ? found.join(' · ') : t('no vulnerabilities');
}

const when = (iso: string | null | undefined): string | undefined => (iso && !iso.startsWith('0001-') && Number.isFinite(Date.parse(iso)) ? iso.slice(0, 16).replace('T', ' ') : undefined);

/** Accessory types as Harbor names them, in words. */
const ACCESSORY_TITLES: Record<string, string> = {
  'signature.cosign': 'Signature (cosign)',
  'signature.notation': 'Signature (notation)',
  'harbor.sbom': 'SBOM',
  'subject.sbom': 'SBOM',
  attestation: 'Attestation',
};

/** One platform artifact of an index. */
export interface PlatformRow {
  platform: string;
  digest: string;
  size?: number;
  badge: string;
}

/** Most platform artifacts read for one index (each is one request). */
const MAX_PLATFORMS = 32;

const tagName = z
  .string()
  .regex(/^[\w][\w.-]{0,127}$/, t('is not a valid tag name'))
  .meta({ title: t('Tag'), placeholder: t('stable'), description: t('A new tag for this artifact (letters, digits, _ . -; up to 128)') });

const panel = (p: 'scan' | 'tagDetails', ref: ResourceRef, reference: string): Outcome => ({ kind: 'panel', panel: p, repository: repositoryOf(ref.scope), reference, refresh: 'none' });

/** The tags, platform artifacts and accessories listed under an artifact. */
export function artifactLists(h: ArtifactListsHost) {
  const { api, artifacts } = h;

  const tags = defineResource<HarborTag>()({
    type: 'artifactTag',
    title: t('Tags'),
    itemTitle: t('tag'),
    icon: 'tag',
    placement: { under: 'tag' },
    shape: 'list',
    key: (x) => x.name,
    view: (x) => ({
      label: x.name,
      description: [x.immutable ? t('immutable') : undefined, when(x.push_time) && t('pushed {0}', when(x.push_time)!), when(x.pull_time) ? t('pulled {0}', when(x.pull_time)!) : t('never pulled')].filter(Boolean).join(' · '),
      icon: x.immutable ? 'lock' : 'tag',
    }),
    list: (scope, cursor, opts) => artifacts.listTags(repositoryOf(scope), referenceOf(scope), cursor, opts?.pageSize, opts?.signal),
    create: {
      title: t('Add Tag'),
      form: { schema: z.object({ name: tagName }), submitLabel: t('Add Tag') },
      async run(scope, v, signal) {
        const repository = repositoryOf(scope);
        await artifacts.createTag(repository, referenceOf(scope), v.name, signal);
        return done(t('Added tag {0}:{1}', repository, v.name), 'item');
      },
    },
    remove: {
      title: t('Delete Tag'),
      async confirm(x, ref) {
        const repository = repositoryOf(ref.scope);
        const digest = ref.scope.digest;
        return {
          message: t('Delete tag {0}:{1}?', repository, x.name),
          detail: [
            digest ? t('Only the tag is removed; the artifact {0} stays (untagged if this was its last tag).', digest) : t('Only the tag is removed; the artifact stays.'),
            x.immutable ? t('The tag is immutable: Harbor refuses to delete it while an immutability rule matches it.') : undefined,
          ]
            .filter(Boolean)
            .join('\n'),
          button: t('Delete Tag'),
        };
      },
      async run(ref, signal) {
        const repository = repositoryOf(ref.scope);
        await artifacts.deleteTag(repository, referenceOf(ref.scope), ref.key, signal);
        return done(t('Deleted tag {0}:{1}', repository, ref.key));
      },
    },
  });

  const isIndex = async (scope: Scope, signal?: AbortSignal): Promise<boolean> => {
    const known = artifactFacts(h.client, scope.repository, scope.digest);
    if (known) return known.isIndex;
    return !!(await api.artifact(repositoryOf(scope), referenceOf(scope), signal)).references?.length;
  };

  const platforms = defineResource<PlatformRow>()({
    type: 'platformArtifact',
    title: t('Platforms'),
    itemTitle: t('platform artifact'),
    icon: 'layers',
    placement: { under: 'tag' },
    shape: 'list',
    available: (scope, signal) => isIndex(scope, signal),
    key: (p) => p.digest,
    view: (p) => ({ label: p.platform, description: [short(p.digest), size(p.size), p.badge].filter(Boolean).join(' · '), tooltip: `${p.platform}\n${p.digest}`, icon: 'vm' }),
    async list(scope, _cursor, opts) {
      const repository = repositoryOf(scope);
      const index = await api.artifact(repository, referenceOf(scope), opts?.signal);
      const refs = (index.references ?? []).slice(0, MAX_PLATFORMS);
      const children = await Promise.all(refs.map((r) => api.artifact(repository, r.child_digest, opts?.signal)));
      const items = refs.map((r, i): PlatformRow => {
        const p = r.platform;
        const c = children[i]!;
        const name = [p?.os, p?.architecture, p?.variant].filter(Boolean).join('/') || t('unknown platform');
        const attestation = r.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest';
        return { platform: attestation ? t('{0} (attestation)', name) : name, digest: r.child_digest, ...(typeof c.size === 'number' ? { size: c.size } : {}), badge: scanBadge(c.scan_overview) };
      });
      const more = (index.references?.length ?? 0) - refs.length;
      return more > 0 ? { items, error: new BadResponseError(t('{0} more platform artifacts are not shown', more)) } : { items };
    },
    actions: [
      { id: 'platformDetails', title: t('Show Tag Details'), icon: 'info', run: async (ref) => panel('tagDetails', ref, ref.key) },
      { id: 'platformScan', title: t('Show Scan Summary'), icon: 'shield', run: async (ref) => panel('scan', ref, ref.key) },
    ],
  });

  const hasAccessories = async (scope: Scope, signal?: AbortSignal): Promise<boolean> => {
    const known = artifactFacts(h.client, scope.repository, scope.digest);
    if (known) return known.accessories > 0;
    return !!(await api.artifact(repositoryOf(scope), referenceOf(scope), signal)).accessories?.length;
  };

  const accessories = defineResource<HarborAccessory>()({
    type: 'accessory',
    title: t('Signatures and SBOMs'),
    itemTitle: t('accessory'),
    icon: 'verified',
    placement: { under: 'tag' },
    shape: 'list',
    available: (scope, signal) => hasAccessories(scope, signal),
    key: (a) => a.digest ?? String(a.id ?? ''),
    view: (a) => ({
      label: ACCESSORY_TITLES[a.type ?? ''] ?? a.type ?? t('accessory'),
      description: [a.digest ? short(a.digest) : undefined, size(a.size), when(a.creation_time)].filter(Boolean).join(' · '),
      tooltip: [a.type, a.digest].filter(Boolean).join('\n'),
      icon: a.type?.startsWith('signature') ? 'verified' : 'package',
    }),
    list: (scope, cursor, opts) => artifacts.listAccessories(repositoryOf(scope), referenceOf(scope), cursor, opts?.pageSize, opts?.signal),
    actions: [
      {
        id: 'accessoryDetails',
        title: t('Show Tag Details'),
        icon: 'info',
        when: (a) => !!a.digest,
        run: async (ref) => panel('tagDetails', ref, ref.key),
      },
    ],
  });

  return [tags, platforms, accessories];
}
