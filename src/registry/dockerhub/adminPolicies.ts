import * as z from 'zod';
import { defineAction, defineResource, type NodeRef, type SingletonResource } from '../admin';
import { plural, refreshed, repositoryOf } from '../adminKit';
import type { HubApi } from './api';
import { splitRepository } from './names';
import { t } from '../l10n';

/** A repository's Policies group on Docker Hub: immutable tags (rules verified against existing tags before saving). */

/** A rule is a regular expression matched against tag names. */
const rule = z
  .string()
  .min(1)
  .max(255, t('At most 255 characters'))
  .refine((s) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  }, t('Not a valid regular expression'));

export const immutableTagsForm = z
  .object({
    enabled: z.boolean().default(false).meta({ title: t('Immutable tags'), description: t('Tags matching a rule cannot be overwritten or deleted.') }),
    rules: z
      .array(rule)
      .max(20, t('At most 20 rules'))
      .optional()
      .meta({ title: t('Rules'), description: t('One regular expression per line (e.g. ^v[0-9]+\\. or ^latest$). Saving first shows which existing tags the rules match.'), multiline: true }),
  })
  .refine((v) => !v.enabled || (v.rules?.length ?? 0) > 0, { path: ['rules'], message: 'Add at least one rule, or turn immutable tags off.' });

export const verifyRuleForm = z.object({
  rule: rule.meta({ title: t('Rule'), description: t('Regular expression matched against tag names'), placeholder: t('^v[0-9]+$') }),
});

function listText(tags: string[], max = 20): string {
  if (tags.length === 0) return 'no existing tag';
  const shown = tags.slice(0, max).join(', ');
  return tags.length > max ? `${shown} and ${tags.length - max} more` : shown;
}

interface ImmutableTags {
  repository: string;
  enabled: boolean;
  rules: string[];
}


function repoOf(scope: NodeRef['scope']): [string, string] {
  return splitRepository(repositoryOf(scope));
}

export function hubImmutableTags(api: HubApi): SingletonResource<ImmutableTags> {
  async function matchingTags(ns: string, name: string, rules: string[], signal?: AbortSignal): Promise<string[]> {
    const all = new Set<string>();
    for (const r of rules) for (const t of await api.verifyImmutableTags(ns, name, r, signal)) all.add(t);
    return [...all].sort();
  }

  return defineResource<ImmutableTags>()({
    type: 'immutableTags',
    title: t('Immutable tags'),
    itemTitle: t('immutable-tag rules'),
    icon: 'lock',
    placement: { under: 'repository', group: 'policies' },
    shape: 'singleton',
    view: (s) => ({
      label: t('Immutable tags'),
      description: s.enabled ? `on · ${plural(s.rules.length, 'rule')}${s.rules.length ? `: ${s.rules.join(', ')}` : ''}` : 'off',
      tooltip: s.rules.length ? `Rules (regular expressions):\n${s.rules.join('\n')}` : 'No rules',
      icon: s.enabled ? 'lock' : 'unlock',
    }),
    async get(ref, signal) {
      const [ns, name] = repoOf(ref.scope);
      const s = await api.getImmutableTags(ns, name, signal);
      return { repository: `${ns}/${name}`, ...s };
    },
    update: {
      title: t('Edit Immutable-Tag Rules'),
      form: {
        schema: immutableTagsForm,
        description: t('Saving verifies the rules first and shows which existing tags they match.'),
        submitLabel: t('Verify and Save'),
        async verify(target, v, signal) {
          const [ns, name] = repoOf(target.scope);
          const rules = v.rules ?? [];
          const matched = rules.length ? await matchingTags(ns, name, rules, signal) : [];
          const summary = `The rules match ${plural(matched.length, 'existing tag')}: ${listText(matched)}.`;
          return {
            ok: true,
            summary,
            items: matched,
            confirm: {
              message: v.enabled ? `Make matching tags of ${ns}/${name} immutable?` : `Turn immutable tags off for ${ns}/${name}?`,
              detail: v.enabled ? t('{0} They can no longer be overwritten or deleted.', summary) : summary,
              button: t('Save Rules'),
            },
          };
        },
      },
      async values(ref, signal) {
        const [ns, name] = repoOf(ref.scope);
        const s = await api.getImmutableTags(ns, name, signal);
        return { enabled: s.enabled, rules: s.rules };
      },
      async run(ref, v, signal) {
        const [ns, name] = repoOf(ref.scope);
        await api.setImmutableTags(ns, name, { enabled: v.enabled, rules: v.rules ?? [] }, signal);
        return refreshed('Saved.');
      },
    },
    actions: [
      defineAction<ImmutableTags, NodeRef>()({
        id: 'verifyRule',
        title: t('Verify Rule'),
        icon: 'check-all',
        input: { schema: verifyRuleForm, title: t('Verify an immutable-tag rule') },
        async run(ref, { rule: regex }, signal) {
          const [ns, name] = repoOf(ref.scope);
          const tags = await api.verifyImmutableTags(ns, name, regex, signal);
          return { kind: 'list', title: t('“{0}” matches {1} of {2}/{3}', regex, plural(tags.length, 'tag'), ns, name), items: tags, message: tags.length ? undefined : t('No existing tag matches') };
        },
      }),
    ],
  });
}
