import * as z from 'zod';
import { t } from '../../l10n';
import type { RetentionMetadata, RetentionPolicy, RetentionRule } from '../retentionApi';

/**
 * The forms of tag retention (a rule, the schedule) and the translation between their values and Harbor's
 * `RetentionRule` / `RetentionRuleTrigger`, the words a rule is shown with, and the reading of a task log (the
 * table Harbor's retention job writes: Digest, Tag, Kind, Labels, PushedTime, PulledTime, CreatedTime, Retention).
 */

/** The templates Harbor 2.x lists in `GET /retentions/metadatas`, with the unit of their one parameter. */
export const KNOWN_TEMPLATES: Readonly<Record<string, { text: string; unit?: 'COUNT' | 'DAYS' }>> = {
  latestPushedK: { text: 'the most recently pushed {0} artifacts', unit: 'COUNT' },
  latestPulledN: { text: 'the most recently pulled {0} artifacts', unit: 'COUNT' },
  nDaysSinceLastPush: { text: 'pushed within the last {0} days', unit: 'DAYS' },
  nDaysSinceLastPull: { text: 'pulled within the last {0} days', unit: 'DAYS' },
  always: { text: 'always' },
};

/** Harbor's largest count or number of days a template takes (its portal's bound). */
const MAX_PARAM = 2_147_483_647;

export const ruleForm = z
  .object({
    template: z
      .string()
      .trim()
      .min(1, t('Pick what the rule retains'))
      .meta({ title: t('Retain'), description: t('Which artifacts the rule retains, from the templates Harbor offers; artifacts no rule retains are deleted') }),
    count: z
      .number()
      .int()
      .min(0)
      .max(MAX_PARAM)
      .optional()
      .meta({ title: t('N (count or days)'), description: t('The number of artifacts, or of days, of the template; "always" takes none') }),
    repositoryDecoration: z.enum(['repoMatches', 'repoExcludes']).default('repoMatches').meta({ title: t('Repositories'), description: t('repoMatches: the repositories matching the pattern · repoExcludes: all others') }),
    repositoryPattern: z
      .string()
      .trim()
      .min(1)
      .max(512)
      .default('**')
      .meta({ title: t('Repository pattern'), description: t('Repository names inside the project (doublestar: ** any, * within a segment, {a,b} either)'), placeholder: t('**') }),
    tagDecoration: z.enum(['matches', 'excludes']).default('matches').meta({ title: t('Tags'), description: t('matches: the tags matching the pattern · excludes: all others') }),
    tagPattern: z.string().trim().min(1).max(512).default('**').meta({ title: t('Tag pattern'), description: t('Tags (doublestar: ** any, {1.*,latest} either)'), placeholder: t('**') }),
    untagged: z.boolean().default(true).meta({ title: t('Include untagged artifacts'), description: t('Whether artifacts without any tag are evaluated by the rule too') }),
    enabled: z.boolean().default(true).meta({ title: t('Enabled') }),
  })
  .refine((v) => !KNOWN_TEMPLATES[v.template]?.unit || v.count !== undefined, { message: t('This template needs N'), path: ['count'] });
export type RuleValues = z.output<typeof ruleForm>;

const CRON_FIELD = /^[0-9A-Za-z*?/,-]{1,40}$/;
export const scheduleField = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('none') }),
    z.object({ kind: z.literal('hourly') }),
    z.object({ kind: z.literal('daily') }),
    z.object({ kind: z.literal('weekly') }),
    z.object({
      kind: z.literal('custom'),
      cron: z
        .string()
        .trim()
        .refine((c) => c.split(/\s+/).length === 6 && c.split(/\s+/).every((f) => CRON_FIELD.test(f)), t('Six fields: seconds minutes hours day-of-month month day-of-week'))
        .meta({ title: t('Cron'), placeholder: t('0 0 3 * * *') }),
    }),
  ])
  .meta({ title: t('Schedule'), description: t('When Harbor runs the policy by itself (none: only on Run Now)') });
export type ScheduleValues = z.output<typeof scheduleField>;

export const scheduleForm = z.object({ schedule: scheduleField });
export const policyCreateForm = z.object({
  rules: z.array(ruleForm).max(15).meta({ title: t('Rules'), description: t('An artifact is retained when any enabled rule retains it (at most 15 rules)'), itemTitle: t('Rule'), addLabel: t('Add Rule') }),
  schedule: scheduleField,
});

/** Harbor's six-field crons for the presets its portal offers. */
const PRESETS = { hourly: '0 0 * * * *', daily: '0 0 0 * * *', weekly: '0 0 0 * * 0' } as const;

export function cronOf(s: ScheduleValues): string {
  return s.kind === 'none' ? '' : s.kind === 'custom' ? s.cron.replace(/\s+/g, ' ') : PRESETS[s.kind];
}

export function scheduleOf(policy: RetentionPolicy | undefined): ScheduleValues {
  const cron = typeof policy?.trigger?.settings?.cron === 'string' ? policy.trigger.settings.cron.trim() : '';
  if (!cron) return { kind: 'none' };
  for (const [kind, c] of Object.entries(PRESETS)) if (c === cron) return { kind: kind as keyof typeof PRESETS };
  return { kind: 'custom', cron };
}

export function scheduleText(policy: RetentionPolicy | undefined): string {
  const s = scheduleOf(policy);
  return s.kind === 'custom' ? t('cron {0}', s.cron) : s.kind === 'none' ? t('no schedule') : s.kind;
}

/** A rule as the document's `RetentionRule`: the parameter is a number keyed by the template, as Harbor reads it. */
export function ruleBody(v: RuleValues, metadata?: RetentionMetadata): RetentionRule {
  const listed = metadata?.templates?.find((x) => x.rule_template === v.template);
  const takes = listed ? (listed.params ?? []).length > 0 : !!KNOWN_TEMPLATES[v.template]?.unit;
  return {
    disabled: !v.enabled,
    action: listed?.action || 'retain',
    template: v.template,
    params: takes && v.count !== undefined ? { [v.template]: v.count } : {},
    tag_selectors: [{ kind: 'doublestar', decoration: v.tagDecoration, pattern: v.tagPattern, extras: JSON.stringify({ untagged: v.untagged }) }],
    scope_selectors: { repository: [{ kind: 'doublestar', decoration: v.repositoryDecoration, pattern: v.repositoryPattern }] },
  };
}

function untaggedOf(extras: string | null | undefined): boolean {
  try {
    const x: unknown = JSON.parse(extras || '{}');
    return !!x && typeof x === 'object' && 'untagged' in x && x.untagged === true;
  } catch {
    return false;
  }
}

/** The number a rule's parameter holds (Harbor stores a number; some servers send it as a string). */
export function paramOf(rule: RetentionRule): number | undefined {
  const v = rule.template ? rule.params?.[rule.template] : undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;
  return n !== undefined && Number.isSafeInteger(n) ? n : undefined;
}

export function ruleValues(rule: RetentionRule): z.input<typeof ruleForm> {
  const tag = rule.tag_selectors?.[0];
  const repo = rule.scope_selectors?.repository?.[0];
  return {
    template: rule.template ?? '',
    count: paramOf(rule),
    repositoryDecoration: repo?.decoration === 'repoExcludes' ? 'repoExcludes' : 'repoMatches',
    repositoryPattern: repo?.pattern || '**',
    tagDecoration: tag?.decoration === 'excludes' ? 'excludes' : 'matches',
    tagPattern: tag?.pattern || '**',
    untagged: untaggedOf(tag?.extras),
    enabled: rule.disabled !== true,
  };
}

/** "retain the most recently pushed 10 artifacts · repositories matching ** · tags matching ** (untagged too)". */
export function ruleText(rule: RetentionRule): string {
  const known = rule.template ? KNOWN_TEMPLATES[rule.template] : undefined;
  const n = paramOf(rule);
  const what = known ? t(known.text, n ?? '?') : `${rule.template ?? '?'}${n !== undefined ? ` ${n}` : ''}`;
  const v = ruleValues(rule);
  const repos = v.repositoryDecoration === 'repoExcludes' ? t('repositories excluding {0}', v.repositoryPattern ?? '**') : t('repositories matching {0}', v.repositoryPattern ?? '**');
  const tags = v.tagDecoration === 'excludes' ? t('tags excluding {0}', v.tagPattern ?? '**') : t('tags matching {0}', v.tagPattern ?? '**');
  return `${rule.action || 'retain'} ${what} · ${repos} · ${tags}${v.untagged ? t(' (untagged too)') : ''}`;
}

/** One row of a task log. */
export interface LogRow {
  digest: string;
  tags: string;
  retention: string;
  pushed?: string;
}

/**
 * The rows of the table in a retention task log. The header row names the columns (any order, any case); the
 * separator rows and the empty rows Harbor's job writes first are skipped. Undefined when the log has no table.
 */
export function parseTaskLog(log: string): LogRow[] | undefined {
  let cols: Record<string, number> | undefined;
  const rows: LogRow[] = [];
  for (const line of log.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('|') && !trimmed.startsWith('+')) continue;
    const cells = trimmed.replace(/^[|+]|[|+]$/g, '').split('|').map((c) => c.trim());
    if (cells.every((c) => /^[-+=]*$/.test(c))) continue;
    const upper = cells.map((c) => c.toUpperCase());
    if (upper.includes('DIGEST') && upper.includes('RETENTION')) {
      cols = Object.fromEntries(upper.map((c, i) => [c, i]));
      continue;
    }
    if (!cols) continue;
    const cell = (name: string) => (cols![name] !== undefined ? (cells[cols![name]!] ?? '') : '');
    if (!cell('DIGEST')) continue;
    rows.push({ digest: cell('DIGEST'), tags: cell('TAG'), retention: cell('RETENTION').toUpperCase(), pushed: cell('PUSHEDTIME') || undefined });
  }
  return cols ? rows : undefined;
}

/** "DEL" → "Delete", "RETAIN" → "Retain" … for the lines of a result. */
export function retentionWord(mark: string): string {
  switch (mark) {
    case 'DEL':
      return t('Delete');
    case 'RETAIN':
      return t('Retain');
    case 'IMMUTABLE':
      return t('Keep (immutable)');
    case 'ERR':
      return t('Error');
    default:
      return mark || '?';
  }
}
