import * as z from 'zod';
import { defineAction, defineCore, type ResourceRef, type Scope } from '../../admin';
import { done, plural, repositoryOf, repositoryOfRef } from '../../adminKit';
import type { Choice } from '../../choices';
import { BadResponseError } from '../../errors';
import { t } from '../../l10n';
import { HarborArtifactsApi, copySource, type HarborLabel } from '../artifactsApi';
import { artifactFacts } from '../artifactState';
import { splitRepository } from '../client';
import type { HarborAdminHost, HarborAdminPart } from './shared';
import { artifactLists, referenceOf, short } from './artifactLists';

/** Most artifacts read to count the tags a repository delete takes (10 pages of 100). */
const COUNT_PAGES = 10;

const labelField = z.string().regex(/^\d+$/, t('pick a label from the list')).meta({ title: t('Label'), description: t('Global labels and the labels of this project') });
const copyTarget = z
  .string()
  .regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/, t('is not project/repository'))
  .meta({ title: t('Target repository'), placeholder: t('team-b/app'), description: t('project/repository; Harbor creates the repository when it does not exist') });
const description = z.string().max(4096).meta({ title: t('Description'), multiline: true, description: t('Markdown; shown in Harbor and in the tree') });

/**
 * Harbor's artifact and repository administration: under an artifact its tags, platform artifacts and accessories;
 * on an artifact Scan Now / Stop Scan, labels picked from the server, copy to another repository; on a repository its
 * description and delete.
 */
export const artifactsPart: HarborAdminPart = (host: HarborAdminHost) => {
  const artifacts = new HarborArtifactsApi(host.client);
  const { api } = host;
  const facts = (ref: ResourceRef) => artifactFacts(host.client, ref.scope.repository, ref.scope.digest);
  const running = (ref: ResourceRef) => {
    const s = facts(ref)?.scan;
    return s === 'scanning' || s === 'queued';
  };
  const digestOf = async (ref: ResourceRef, signal?: AbortSignal): Promise<string> => ref.scope.digest ?? (await api.artifact(repositoryOf(ref.scope), referenceOf(ref.scope), signal)).digest;
  const named = (ref: ResourceRef) => `${repositoryOf(ref.scope)}:${ref.scope.tag ?? ref.key}`;

  const labelsOffered = async (scope: Scope, query: string, signal?: AbortSignal): Promise<HarborLabel[]> => {
    const [project] = splitRepository(repositoryOf(scope));
    const projectId = await artifacts.projectId(project, signal).catch(() => undefined);
    const [global, own] = await Promise.all([artifacts.labels('g', undefined, signal), projectId === undefined ? Promise.resolve([]) : artifacts.labels('p', projectId, signal)]);
    const q = query.trim().toLowerCase();
    return [...own, ...global].filter((l) => !q || (l.name ?? '').toLowerCase().includes(q));
  };
  const labelsOn = async (scope: Scope, signal?: AbortSignal): Promise<HarborLabel[]> => (await api.artifact(repositoryOf(scope), referenceOf(scope), signal)).labels?.flatMap((l) => (typeof l.id === 'number' ? [{ id: l.id, name: l.name }] : [])) ?? [];
  const choice = (l: HarborLabel): Choice => ({ value: String(l.id), label: l.name ?? String(l.id), ...(l.scope ? { description: l.scope === 'p' ? t('project label') : t('global label') } : {}) });

  const action = defineAction<ResourceRef, ResourceRef>();
  const tagCore = defineCore({
    type: 'tag',
    shape: 'core',
    actions: [
      action({
        id: 'scanNow',
        title: t('Scan Now'),
        icon: 'shield',
        when: (ref) => !running(ref),
        async run(ref, _input, signal) {
          await artifacts.scan(repositoryOf(ref.scope), await digestOf(ref, signal), signal);
          return done(t('Harbor is scanning {0}; its row updates when the scan finishes', named(ref)), 'list');
        },
      }),
      action({
        id: 'stopScan',
        title: t('Stop Scan'),
        icon: 'debug-stop',
        when: (ref) => running(ref),
        confirm: async (ref) => ({ message: t('Stop the scan of {0}?', named(ref)), detail: t('The artifact keeps no report of this scan.'), button: t('Stop Scan') }),
        async run(ref, _input, signal) {
          await artifacts.stopScan(repositoryOf(ref.scope), await digestOf(ref, signal), signal);
          return done(t('Stopped the scan of {0}', named(ref)), 'list');
        },
      }),
      action({
        id: 'addLabel',
        title: t('Add Label…'),
        icon: 'tag',
        input: {
          schema: z.object({ label: labelField }),
          submitLabel: t('Add Label'),
          choices: { label: { title: t('labels'), load: async (scope, query, signal) => (await labelsOffered(scope, query, signal)).map(choice) } },
        },
        async run(ref, v, signal) {
          await artifacts.addLabel(repositoryOf(ref.scope), await digestOf(ref, signal), Number(v.label), signal);
          return done(t('Added the label to {0}', named(ref)), 'list');
        },
      }),
      action({
        id: 'removeLabel',
        title: t('Remove Label…'),
        icon: 'close',
        when: (ref) => (facts(ref)?.labels ?? 1) > 0,
        input: {
          schema: z.object({ label: labelField.meta({ title: t('Label'), description: t('A label of this artifact') }) }),
          submitLabel: t('Remove Label'),
          choices: { label: { title: t('labels'), load: async (scope, query, signal) => (await labelsOn(scope, signal)).filter((l) => !query || (l.name ?? '').toLowerCase().includes(query.toLowerCase())).map(choice) } },
        },
        async confirm(ref, _ref, v, signal) {
          const label = (await labelsOn(ref.scope, signal)).find((l) => String(l.id) === v.label);
          if (!label) throw new BadResponseError(t('{0} has no such label', named(ref)));
          return { message: t('Remove label {0} from {1}?', label.name ?? v.label, named(ref)), button: t('Remove Label') };
        },
        async run(ref, v, signal) {
          await artifacts.removeLabel(repositoryOf(ref.scope), await digestOf(ref, signal), Number(v.label), signal);
          return done(t('Removed the label from {0}', named(ref)), 'list');
        },
      }),
      action({
        id: 'copyArtifact',
        title: t('Copy to Repository…'),
        icon: 'copy',
        input: { schema: z.object({ target: copyTarget }), submitLabel: t('Copy') },
        async run(ref, v, signal) {
          const from = repositoryOf(ref.scope);
          if (v.target === from) throw new BadResponseError(t('The artifact is already in {0}', from));
          const digest = await digestOf(ref, signal);
          await artifacts.copy(v.target, copySource(from, digest), signal);
          return done(t('Copied {0} ({1}) to {2}', named(ref), short(digest), v.target), 'none');
        },
      }),
    ],
  });

  /** Artifacts and tags a repository holds (counted over at most `COUNT_PAGES` pages). */
  const holdings = async (repository: string, signal?: AbortSignal): Promise<{ artifacts: number; tags: string[]; more: boolean }> => {
    let cursor: string | undefined;
    let count = 0;
    const tags: string[] = [];
    for (let i = 0; i < COUNT_PAGES; i++) {
      const page = await api.listArtifacts(repository, cursor, { signal });
      count += page.items.length;
      for (const a of page.items) for (const x of a.tags ?? []) tags.push(x.name);
      if (page.error) throw page.error;
      if (!page.next) return { artifacts: count, tags, more: false };
      cursor = page.next;
    }
    return { artifacts: count, tags, more: true };
  };

  const repositoryCore = defineCore({
    type: 'repository',
    shape: 'core',
    update: {
      title: t('Edit Description'),
      form: { schema: z.object({ description }), submitLabel: t('Save') },
      values: async (ref, signal) => ({ description: (await artifacts.repository(repositoryOfRef(ref), signal)).description ?? '' }),
      async run(ref, v, signal) {
        const repository = repositoryOfRef(ref);
        await artifacts.updateDescription(repository, v.description, signal);
        return done(t('Saved the description of {0}', repository));
      },
    },
    remove: {
      title: t('Delete Repository'),
      async confirm(_item, ref, signal) {
        const repository = repositoryOfRef(ref);
        const h = await holdings(repository, signal);
        const at = h.more ? t('at least ') : '';
        const listed = h.tags.slice(0, 20).join(', ') + (h.tags.length > 20 ? t(' and {0} more', h.tags.length - 20) : '');
        return {
          message: t('Delete repository {0} with its {1}{2} and {1}{3}?', repository, at, plural(h.artifacts, 'artifact'), plural(h.tags.length, 'tag')),
          detail: [h.tags.length ? t('Tags deleted: {0}.', listed) : undefined, t('Every artifact of {0} is deleted. This cannot be undone.', repository)].filter(Boolean).join('\n'),
          button: t('Delete Repository'),
        };
      },
      async run(ref, signal) {
        const repository = repositoryOfRef(ref);
        await artifacts.deleteRepository(repository, signal);
        return done(t('Deleted repository {0}', repository));
      },
    },
  });

  return [tagCore, repositoryCore, ...artifactLists({ client: host.client, api, artifacts })];
};
