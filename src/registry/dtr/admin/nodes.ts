import { defineAction, defineCore, refKey, type Outcome, type ResourceRef } from '../../admin';
import { done, plural, namespaceOf, repositoryOf, repositoryOfRef, tagOf } from '../../adminKit';
import { UnsupportedError } from '../../errors';
import type { DeletePlan } from '../../provider';
import type { RepoSettings } from '../api';
import { splitRepository } from '../client';
import * as s from '../schemas';
import { hostOf, remote, type AdminContext } from './context';
import { repoCreateForm, repoUpdateForm, promoteForm, pushMirrorForm, emptyForm, exportScanForm } from './forms';
import { t } from '../../l10n';

/** Create / edit / delete and actions on the nodes the provider lists itself: namespaces, repositories and tags. */
export function coreNodeOps(c: AdminContext) {
  const { p, api, access, scanning, promotion, mirroring, atLeast } = c;

  const namespaceOps = defineCore({
    type: 'namespace',
    shape: 'core',
    create: {
      title: t('New Repository'),
      form: { schema: repoCreateForm, title: t('New repository'), submitLabel: t('Create Repository') },
      run: async (scope, v, signal) => {
        const ns = namespaceOf(scope);
        const { name, ...settings } = v;
        await api.createRepository(ns, name, settings, signal);
        return done(t('Created repository {0}/{1}', ns, name));
      },
    },
  });

  const repositoryOps = defineCore({
    type: 'repository',
    shape: 'core',
    update: {
      title: t('Edit Repository'),
      form: { schema: repoUpdateForm, title: t('Repository settings'), description: t('DTR 1.3 keeps only the descriptions and the visibility; later versions keep every setting') },
      values: async (ref, signal) => {
        const r = await api.repository(repositoryOfRef(ref), signal);
        const v: RepoSettings = {
          shortDescription: r.shortDescription ?? '',
          longDescription: r.longDescription ?? '',
          visibility: r.visibility ?? 'private',
          scanOnPush: r.scanOnPush ?? false,
          immutableTags: r.immutableTags ?? false,
          enableManifestLists: r.enableManifestLists ?? false,
          tagLimit: r.tagLimit ?? 0,
        };
        return { ...v };
      },
      run: async (ref, v, signal) => {
        await api.updateRepository(repositoryOfRef(ref), v, signal);
        // The repository's description and visibility are shown by the namespace's listing: reload that.
        return done(t('Saved repository {0}', repositoryOfRef(ref)), 'list');
      },
    },
    remove: {
      title: t('Delete Repository'),
      confirm: (_node, ref) => {
        const repository = repositoryOfRef(ref);
        return Promise.resolve({ message: t('Delete repository {0} with all its tags?', repository), detail: t('DTR removes the repository, its tags, policies and webhooks. This cannot be undone.'), button: t('Delete Repository') });
      },
      run: async (ref, signal) => {
        const repository = repositoryOfRef(ref);
        await api.deleteRepository(repository, signal);
        access.delete(repository);
        return done(t('Deleted repository {0}', repository), 'owner');
      },
    },
  });

  /** Manifest deletes as confirmed (by the reference of the tag), until they run. */
  const confirmedPlans = new Map<string, DeletePlan>();

  const platformsOf = async (ref: ResourceRef, signal?: AbortSignal): Promise<string[]> => {
    const entries = await api.tag(repositoryOf(ref.scope), tagOf(ref), signal);
    return [...new Set(entries.map((e) => s.platformOf(e.manifest)).filter((x): x is string => !!x))];
  };

  /** The platform to export: the one named (it must be one of the tag's), or the tag's only platform. */
  const exportPlatform = async (ref: ResourceRef, named: string, signal?: AbortSignal): Promise<{ os: string; arch: string }> => {
    const platforms = await platformsOf(ref, signal);
    const subject = `${ref.scope.repository}:${tagOf(ref)}`;
    if (!platforms.length) throw new UnsupportedError(`DTR names no platform for ${subject}; there is no scan summary to export`);
    let chosen = named;
    if (!chosen) {
      if (platforms.length > 1) throw new UnsupportedError(`${subject} has several platforms; choose one of ${platforms.join(', ')}`);
      chosen = platforms[0]!;
    }
    if (!platforms.includes(chosen)) throw new UnsupportedError(`${subject} has no platform ${chosen}; choose one of ${platforms.join(', ')}`);
    const [os, arch] = chosen.split('/');
    return { os: os!, arch: arch! };
  };

  const tagAction = defineAction<ResourceRef>();
  const tagOps = defineCore({
    type: 'tag',
    shape: 'core',
    actions: [
      tagAction({
        id: 'promote',
        title: t('Promote…'),
        icon: 'arrow-up',
        when: () => promotion(),
        input: { schema: promoteForm, title: t('Promote tag'), submitLabel: t('Promote') },
        confirm: (_node, ref, v) => Promise.resolve({ message: t('Promote {0}:{1} to {2}:{3}?', String(ref.scope.repository), ref.scope.tag ?? ref.key, v.targetRepository, v.targetTag), button: t('Promote') }),
        run: async (ref, v, signal) => {
          await api.promote(repositoryOf(ref.scope), tagOf(ref), v.targetRepository, v.targetTag, signal);
          return done(t('Promoted {0}:{1} to {2}:{3}', String(ref.scope.repository), tagOf(ref), v.targetRepository, v.targetTag), 'none');
        },
      }),
      tagAction({
        id: 'pushMirror',
        title: t('Push to Remote Registry…'),
        icon: 'cloud-upload',
        when: () => mirroring(),
        input: { schema: pushMirrorForm, title: t('Push mirror'), submitLabel: t('Push'), description: t('The credentials go to DTR with this request only; they are not stored') },
        confirm: (_node, ref, v) => Promise.resolve({ message: t('Push {0}:{1} to {2}/{3}:{4}?', String(ref.scope.repository), ref.scope.tag ?? ref.key, v.remoteHost, v.remoteRepository, v.remoteTag), button: t('Push') }),
        run: async (ref, v, signal) => {
          await api.pushMirror(repositoryOf(ref.scope), tagOf(ref), { ...remote(v), remoteTag: v.remoteTag }, signal);
          return done(t('Pushed {0}:{1} to {2}/{3}:{4}', String(ref.scope.repository), tagOf(ref), hostOf(v.remoteHost), v.remoteRepository, v.remoteTag), 'none');
        },
      }),
      {
        id: 'scan',
        title: t('Scan Now'),
        icon: 'shield',
        when: (ref) => scanning() && atLeast(ref.scope.repository, 'read-write'),
        run: async (ref, _input, signal) => {
          const platforms = await platformsOf(ref, signal);
          if (!platforms.length) throw new UnsupportedError(`DTR names no platform for ${ref.scope.repository}:${tagOf(ref)}; it cannot be scanned`);
          for (const pl of platforms) {
            const [os, arch] = pl.split('/');
            await api.scan(repositoryOf(ref.scope), tagOf(ref), os!, arch!, signal);
          }
          return done(t('Scan started for {0}:{1} ({2})', String(ref.scope.repository), tagOf(ref), platforms.join(', ')), 'item');
        },
      },
      {
        id: 'scanSummary',
        title: t('Show Scan Summary'),
        icon: 'report',
        when: () => scanning(),
        run: async (ref) => Promise.resolve({ kind: 'panel', panel: 'scan', repository: repositoryOf(ref.scope), reference: tagOf(ref) } satisfies Outcome),
      },
      tagAction({
        id: 'exportScanSummary',
        title: t('Export Scan Summary…'),
        icon: 'desktop-download',
        when: () => scanning(),
        input: {
          schema: exportScanForm,
          title: t('Export scan summary'),
          submitLabel: t('Export'),
          verify: async (ref, v, signal) => {
            try {
              const pl = await exportPlatform(ref, v.platform, signal);
              return { ok: true, summary: t('Platform {0}/{1}', pl.os, pl.arch) };
            } catch (e) {
              if (e instanceof UnsupportedError) return { ok: false, summary: e.message };
              throw e;
            }
          },
        },
        run: async (ref, v, signal) => {
          const pl = await exportPlatform(ref, v.platform, signal);
          const repository = repositoryOf(ref.scope);
          const content = await api.exportScanSummary(repository, tagOf(ref), pl, v.format, signal);
          const fileName = `${[...splitRepository(repository), tagOf(ref), pl.os, pl.arch].join('-')}-scan.${v.format}`;
          return {
            kind: 'file',
            message: t('Exported the scan summary of {0}:{1} ({2}/{3}) as {4}', repository, tagOf(ref), pl.os, pl.arch, v.format.toUpperCase()),
            fileName,
            mediaType: v.format === 'csv' ? 'text/csv' : 'application/json',
            content,
            refresh: 'none',
          } satisfies Outcome;
        },
      }),
      tagAction({
        id: 'deleteManifest',
        title: t('Delete Manifest…'),
        icon: 'trash',
        when: (ref) => atLeast(ref.scope.repository, 'read-write'),
        input: {
          schema: emptyForm,
          title: t('Delete manifest'),
          description: t('Deleting the manifest removes every tag that points at it.'),
          submitLabel: t('Delete Manifest'),
          verify: async (ref, _values, signal) => {
            const plan = await p.planDeleteManifest(repositoryOf(ref.scope), tagOf(ref), signal);
            // Pinned: the run deletes this digest and these tags, or nothing.
            confirmedPlans.set(refKey(ref), plan);
            return {
              ok: true,
              summary: t('Deleting {0} removes {1}', plan.digest, plural(plan.affectedTags.length, 'tag')),
              items: plan.affectedTags,
              confirm: { message: t('Delete manifest {0} of {1} and its tags {2}?', plan.digest, plan.repository, plan.affectedTags.join(', ')), button: t('Delete Manifest') },
            };
          },
        },
        run: async (ref, _input, signal) => {
          const key = refKey(ref);
          const plan = confirmedPlans.get(key);
          if (!plan) throw new UnsupportedError(`Nothing was deleted: the deletion of the manifest of ${ref.scope.repository ?? ''}:${tagOf(ref)} was not confirmed`);
          confirmedPlans.delete(key);
          // Re-checked right before deleting: a moved tag or another set of tags stops it, naming what changed.
          await p.deleteTag(plan, signal);
          return done(t('Deleted manifest {0} (tags {1})', plan.digest, plan.affectedTags.join(', ')), 'owner');
        },
      }),
    ],
  });

  return [namespaceOps, repositoryOps, tagOps];
}
