import type * as z from 'zod';
import { defineResource } from '../../admin';
import type { Scope, Verdict } from '../../admin';
import { BadResponseError } from '../../errors';
import { filterByPattern, PatternError } from '../../patterns';
import { autoPruneForm, immutabilityForm } from '../forms';
import { done, repositoryOf, namespaceOf, whole } from '../../adminKit';
import { durationSeconds } from './shared';
import type { AdminCtx } from './shared';
import * as s from '../schemas';
import { t } from '../../l10n';

/** Auto-prune and immutability policies, with previews of what a repository policy would do. */
export function policyTypes(c: AdminCtx) {
  const { api, has, isOrg } = c;

  // ---- Previews of what a repository policy would do, from the repository's live tags ----
  const PREVIEW_PAGES = 10;
  const liveTags = async (repository: string, signal?: AbortSignal): Promise<{ tags: s.QuayTag[]; complete: boolean }> => {
    const tags: s.QuayTag[] = [];
    let cursor: string | undefined;
    let stopped = false;
    let pages = 0;
    do {
      const page = await api.listTags(repository, cursor, { signal });
      tags.push(...page.items);
      cursor = page.next;
      // A list that stopped short (a paging loop, a page the server would not send) is not the whole list.
      stopped ||= !!page.error;
    } while (cursor && ++pages < PREVIEW_PAGES);
    return { tags, complete: !cursor && !stopped };
  };
  /** The tags the pattern selects, evaluated off the extension host with a deadline; a pattern it refuses is a form error. */
  const tagsMatching = async (tags: s.QuayTag[], pattern: string | undefined, matches: boolean, signal?: AbortSignal): Promise<s.QuayTag[] | Verdict> => {
    try {
      return await filterByPattern(tags, (t) => t.name, pattern, matches, { signal });
    } catch (e) {
      if (e instanceof PatternError) return { ok: false, summary: t('Tag pattern: {0}', e.message) };
      throw e;
    }
  };
  const pruneVerdict = async (scope: Scope, values: z.output<typeof autoPruneForm>, signal?: AbortSignal): Promise<Verdict> => {
    const repository = repositoryOf(scope);
    const { tags, complete } = await liveTags(repository, signal);
    const applies = await tagsMatching(tags, values.tagPattern, values.tagPatternMatches, signal);
    if (!Array.isArray(applies)) return applies;
    const candidates = applies.sort((a, b) => (b.start_ts ?? 0) - (a.start_ts ?? 0));
    const pruned =
      values.method === 'number_of_tags'
        ? candidates.slice(Number(values.value))
        : candidates.filter((t) => (t.start_ts ?? Infinity) < Date.now() / 1000 - durationSeconds(values.value.replace(/\s+/g, '')));
    const of = complete ? `${tags.length}` : `the first ${tags.length}`;
    const summary = `${pruned.length} of ${of} tags of ${repository} would be pruned at the next run`;
    return {
      ok: true,
      summary,
      items: pruned.map((t) => t.name),
      confirm: pruned.length ? { message: t('Save the policy? {0}.', summary), detail: t('Pruned tags stay in the tag history until the expiration window ends.'), button: t('Save Policy') } : undefined,
    };
  };
  const immutableVerdict = async (scope: Scope, values: z.output<typeof immutabilityForm>, signal?: AbortSignal): Promise<Verdict> => {
    const repository = repositoryOf(scope);
    const { tags, complete } = await liveTags(repository, signal);
    const applies = await tagsMatching(tags, values.tagPattern, values.tagPatternMatches, signal);
    if (!Array.isArray(applies)) return applies;
    const hit = applies.map((t) => t.name);
    return { ok: true, summary: t('{0} of {1}{2} tags of {3} would become immutable', hit.length, complete ? '' : 'the first ', tags.length, repository), items: hit };
  };

  // ---- Auto-prune and immutability policies (repository and organization) ----
  type Target = { org: string } | { repository: string };
  const autoPrune = (level: 'repository' | 'namespace') => {
    const target = (scope: Scope): Target => (level === 'repository' ? { repository: repositoryOf(scope) } : { org: namespaceOf(scope) });
    const body = (v: z.infer<typeof autoPruneForm>) => ({
      method: v.method,
      value: v.method === 'number_of_tags' ? Number(v.value) : v.value.replace(/\s+/g, ''),
      ...(v.tagPattern ? { tagPattern: v.tagPattern, tagPatternMatches: v.tagPatternMatches } : {}),
    });
    return defineResource<s.QuayAutoPrunePolicy & { target: Target }>()({
      type: level === 'repository' ? 'autoPrunePolicy' : 'orgAutoPrunePolicy',
      title: t('Auto-prune policies'),
      itemTitle: t('auto-prune policy'),
      icon: 'trash',
      placement: { under: level, group: 'policies' },
      shape: 'list' as const,
      available: async (scope, signal) => (level === 'repository' ? has('repoAutoPrune', signal) : (await has('orgAutoPrune', signal)) && isOrg(scope, signal)),
      key: (x) => x.uuid,
      view: (x) => ({
        label: x.method === 'number_of_tags' ? `Keep ${x.value} tags` : `Remove tags older than ${x.value}`,
        description: x.tagPattern ? `${x.tagPatternMatches === false ? 'not matching' : 'matching'} ${x.tagPattern}` : 'all tags',
        icon: 'trash',
      }),
      async list(scope, _cursor, opts) {
        const t = target(scope);
        return whole((await api.autoPrunePolicies(t, opts?.signal)).map((x) => ({ ...x, target: t })));
      },
      create: {
        title: t('Add Auto-prune Policy'),
        form: { schema: autoPruneForm, verify: level === 'repository' ? (scope, v, signal) => pruneVerdict(scope, v, signal) : undefined },
        async run(scope, values, signal) {
          await api.savePolicy(target(scope), 'autoprunepolicy', undefined, body(values), signal);
          return done(t('Added the auto-prune policy'));
        },
      },
      update: {
        title: t('Edit Auto-prune Policy'),
        form: { schema: autoPruneForm, verify: level === 'repository' ? (ref, v, signal) => pruneVerdict(ref.scope, v, signal) : undefined },
        async values(ref, signal) {
          const x = (await api.autoPrunePolicies(target(ref.scope), signal)).find((y) => y.uuid === ref.key);
          if (!x) throw new BadResponseError('The policy no longer exists');
          return { method: x.method, value: String(x.value), tagPattern: x.tagPattern ?? undefined, tagPatternMatches: x.tagPatternMatches ?? true };
        },
        async run(ref, values, signal) {
          await api.savePolicy(target(ref.scope), 'autoprunepolicy', ref.key, body(values), signal);
          return done(t('Saved the auto-prune policy'));
        },
      },
      remove: {
        title: t('Delete Auto-prune Policy'),
        confirm: async (x) => ({ message: t('Delete the auto-prune policy "{0} {1}" of {2}?', x.method, x.value, 'org' in x.target ? x.target.org : x.target.repository), button: t('Delete Policy') }),
        async run(ref, signal) {
          await api.deletePolicy(target(ref.scope), 'autoprunepolicy', ref.key, signal);
          return done(t('Deleted the auto-prune policy'));
        },
      },
    });
  };

  const immutability = (level: 'repository' | 'namespace') => {
    const target = (scope: Scope): Target => (level === 'repository' ? { repository: repositoryOf(scope) } : { org: namespaceOf(scope) });
    return defineResource<s.QuayImmutabilityPolicy & { target: Target }>()({
      type: level === 'repository' ? 'immutabilityPolicy' : 'orgImmutabilityPolicy',
      title: t('Immutability policies'),
      itemTitle: t('immutability policy'),
      icon: 'lock',
      placement: { under: level, group: 'policies' },
      shape: 'list' as const,
      available: async (scope, signal) => (level === 'repository' ? has('repoImmutability', signal) : (await has('orgImmutability', signal)) && isOrg(scope, signal)),
      key: (x) => x.uuid,
      view: (x) => ({ label: x.tagPattern, description: x.tagPatternMatches === false ? 'tags not matching' : 'tags matching', icon: 'lock' }),
      async list(scope, _cursor, opts) {
        const t = target(scope);
        return whole((await api.immutabilityPolicies(t, opts?.signal)).map((x) => ({ ...x, target: t })));
      },
      create: {
        title: t('Add Immutability Policy'),
        form: { schema: immutabilityForm, verify: level === 'repository' ? (scope, v, signal) => immutableVerdict(scope, v, signal) : undefined },
        async run(scope, values, signal) {
          await api.savePolicy(target(scope), 'immutabilitypolicy', undefined, values, signal);
          return done(t('Added the immutability policy'));
        },
      },
      update: {
        title: t('Edit Immutability Policy'),
        form: { schema: immutabilityForm, verify: level === 'repository' ? (ref, v, signal) => immutableVerdict(ref.scope, v, signal) : undefined },
        async values(ref, signal) {
          const x = (await api.immutabilityPolicies(target(ref.scope), signal)).find((y) => y.uuid === ref.key);
          if (!x) throw new BadResponseError('The policy no longer exists');
          return { tagPattern: x.tagPattern, tagPatternMatches: x.tagPatternMatches ?? true };
        },
        async run(ref, values, signal) {
          await api.savePolicy(target(ref.scope), 'immutabilitypolicy', ref.key, values, signal);
          return done(t('Saved the immutability policy'));
        },
      },
      remove: {
        title: t('Delete Immutability Policy'),
        confirm: async (x) => ({ message: t('Delete the immutability policy {0} of {1}?', x.tagPattern, 'org' in x.target ? x.target.org : x.target.repository), detail: t('Matching tags become mutable again.'), button: t('Delete Policy') }),
        async run(ref, signal) {
          await api.deletePolicy(target(ref.scope), 'immutabilitypolicy', ref.key, signal);
          return done(t('Deleted the immutability policy'));
        },
      },
    });
  };

  return { autoPrune, immutability };
}
