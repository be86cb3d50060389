import * as z from 'zod';
import { defineAction, defineResource } from '../../admin';
import { done, namespaceOf, refreshed } from '../../adminKit';
import { BadResponseError, NotFoundError } from '../../errors';
import { t } from '../../l10n';
import { type HarborProjectApi, type ImmutableRuleReq, projectApiOf } from '../projectApi';
import type { ImmutableRule } from '../projectSchemas';
import { type HarborAdminPart, signedInPerson } from './shared';

const ruleForm = z.object({
  repositories: z.enum(['repoMatches', 'repoExcludes']).default('repoMatches').meta({ title: t('Repositories'), description: t('repoMatches: the rule applies to repositories matching the pattern; repoExcludes: to all others') }),
  repositoryPattern: z.string().trim().min(1, t('is empty')).max(255).default('**').meta({ title: t('Repository pattern'), placeholder: t('**'), description: t('Inside the project, doublestar globs: ** for all, app/*, {web,api}') }),
  tags: z.enum(['matches', 'excludes']).default('matches').meta({ title: t('Tags'), description: t('matches: tags matching the pattern become immutable; excludes: all other tags') }),
  tagPattern: z.string().trim().min(1, t('is empty')).max(255).default('**').meta({ title: t('Tag pattern'), placeholder: t('v*'), description: t('Doublestar globs: ** for all, v*, release-{1,2}.*') }),
  disabled: z.boolean().default(false).meta({ title: t('Disabled') }),
});
type RuleValues = z.output<typeof ruleForm>;

/** The rule in Harbor's words ("repositories matching ** · tags matching v*"). */
export function describeRule(r: ImmutableRule): string {
  const repo = r.scope_selectors?.repository?.[0];
  const tag = r.tag_selectors?.[0];
  const repoWord = repo?.decoration === 'repoExcludes' ? t('repositories excluding {0}', repo.pattern ?? '') : t('repositories matching {0}', repo?.pattern ?? '**');
  const tagWord = tag?.decoration === 'excludes' ? t('tags excluding {0}', tag.pattern ?? '') : t('tags matching {0}', tag?.pattern ?? '**');
  return `${repoWord} · ${tagWord}`;
}

function body(v: RuleValues, priority: number): ImmutableRuleReq {
  return {
    priority,
    disabled: v.disabled,
    action: 'immutable',
    template: 'immutable_template',
    tag_selectors: [{ kind: 'doublestar', decoration: v.tags, pattern: v.tagPattern }],
    scope_selectors: { repository: [{ kind: 'doublestar', decoration: v.repositories, pattern: v.repositoryPattern }] },
  };
}

function valuesOf(r: ImmutableRule): RuleValues {
  const repo = r.scope_selectors?.repository?.[0];
  const tag = r.tag_selectors?.[0];
  return {
    repositories: repo?.decoration === 'repoExcludes' ? 'repoExcludes' : 'repoMatches',
    repositoryPattern: repo?.pattern || '**',
    tags: tag?.decoration === 'excludes' ? 'excludes' : 'matches',
    tagPattern: tag?.pattern || '**',
    disabled: r.disabled === true,
  };
}

function ruleId(key: string): number {
  if (!/^\d{1,15}$/.test(key)) throw new BadResponseError(`"${key.slice(0, 40)}" is not a rule id`);
  return Number(key);
}

/** A rule by id: Harbor has no GET of one rule, so it is found in the listing. */
async function findRule(api: HarborProjectApi, project: string, id: number, signal?: AbortSignal): Promise<ImmutableRule> {
  let cursor: string | undefined;
  do {
    const page = await api.immutableRules(project, cursor, undefined, signal);
    const hit = page.items.find((r) => r.id === id);
    if (hit) return hit;
    if (page.error) throw page.error;
    cursor = page.next;
  } while (cursor !== undefined);
  throw new NotFoundError(`Tag immutability rule ${id} of ${project} is gone`);
}

/** Tag immutability rules of a project: list, create, edit, enable / disable, delete. */
export const immutabilityPart: HarborAdminPart = (host) => {
  const api = projectApiOf(host.client);

  const toggle = (disabled: boolean) =>
    defineAction<ImmutableRule>()({
      id: disabled ? 'disable' : 'enable',
      title: disabled ? t('Disable Rule') : t('Enable Rule'),
      icon: disabled ? 'debug-pause' : 'play',
      when: (r) => (r.disabled === true) !== disabled,
      async run(ref, _input, signal) {
        const project = namespaceOf(ref.scope);
        const id = ruleId(ref.key);
        const r = await findRule(api, project, id, signal);
        await api.updateImmutableRule(project, id, body({ ...valuesOf(r), disabled }, r.priority ?? 0), signal);
        return refreshed(disabled ? t('Disabled the rule {0}', describeRule(r)) : t('Enabled the rule {0}', describeRule(r)));
      },
    });

  const rules = defineResource<ImmutableRule>()({
    type: 'immutableRule',
    title: t('Tag immutability'),
    itemTitle: t('tag immutability rule'),
    icon: 'lock',
    placement: { under: 'namespace', group: 'policies' },
    available: () => signedInPerson(host),
    shape: 'list',
    key: (r) => String(r.id),
    view: (r) => ({
      label: describeRule(r),
      description: r.disabled ? t('disabled') : undefined,
      tooltip: t('Tags this rule selects cannot be pushed over or deleted'),
      icon: r.disabled ? 'circle-slash' : 'lock',
    }),
    list: (scope, cursor, opts) => api.immutableRules(namespaceOf(scope), cursor, opts?.pageSize, opts?.signal),
    get: (ref, signal) => findRule(api, namespaceOf(ref.scope), ruleId(ref.key), signal),
    create: {
      title: t('Add Immutability Rule'),
      form: { schema: ruleForm, title: t('New tag immutability rule'), description: t('Needs the project admin or maintainer role. Harbor keeps at most 15 rules a project.'), submitLabel: t('Add Rule') },
      async run(scope, v, signal) {
        const project = namespaceOf(scope);
        await api.createImmutableRule(project, body(v, 0), signal);
        return done(t('Added the rule {0}', `${v.repositoryPattern} · ${v.tagPattern}`), 'item');
      },
    },
    update: {
      title: t('Edit Immutability Rule'),
      form: { schema: ruleForm, title: t('Tag immutability rule') },
      values: async (ref, signal) => valuesOf(await findRule(api, namespaceOf(ref.scope), ruleId(ref.key), signal)),
      async run(ref, v, signal) {
        const project = namespaceOf(ref.scope);
        const id = ruleId(ref.key);
        const r = await findRule(api, project, id, signal);
        await api.updateImmutableRule(project, id, body(v, r.priority ?? 0), signal);
        return done(t('Saved the rule {0}', `${v.repositoryPattern} · ${v.tagPattern}`));
      },
    },
    remove: {
      title: t('Delete Immutability Rule'),
      confirm: (r, ref) => Promise.resolve({ message: t('Delete the tag immutability rule "{0}" of project {1}?', describeRule(r), namespaceOf(ref.scope)), detail: t('The tags it protects can be pushed over and deleted again.'), button: t('Delete Rule') }),
      async run(ref, signal) {
        const project = namespaceOf(ref.scope);
        await api.deleteImmutableRule(project, ruleId(ref.key), signal);
        return done(t('Deleted the tag immutability rule of {0}', project));
      },
    },
    actions: [toggle(false), toggle(true)],
  });

  return [rules];
};
