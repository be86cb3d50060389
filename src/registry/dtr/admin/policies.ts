import * as z from 'zod';
import { type FormDecl, type ResourceRef, type ResourceType, type Scope, type Verdict } from '../../admin';
import { pollMirroringBody, promotionBody, pruningBody, pushMirroringBody, type PolicyKind } from '../bodies';
import { splitRepository } from '../client';
import * as s from '../schemas';
import { done, hostOf, parse, remote, repoOf, ruleText, rulesToInput, stripEmptyCredentials, whole, type AdminContext } from './context';
import { pruningForm, promotionForm, pollMirroringForm, pollMirroringUpdateForm, pushMirroringForm, pushMirroringUpdateForm } from './forms';

/** Per-repository pruning, promotion and mirroring policies. */
export function policiesTypes(c: AdminContext) {
  const { api, loadFeatures, promotion, mirroring } = c;

  function policyType<T extends { id: string; enabled: boolean; rules?: s.DtrRule[] }, F extends Record<string, unknown>>(o: {
    type: string;
    kind: PolicyKind;
    title: string;
    itemTitle: string;
    icon: string;
    schema: z.ZodType<T>;
    createForm: z.ZodType<F>;
    updateForm?: z.ZodType<Record<string, unknown>>;
    available?: () => boolean;
    body(v: F): Record<string, unknown>;
    updateBody?(v: Record<string, unknown>): Record<string, unknown>;
    values(item: T): Record<string, unknown>;
    describe(item: T): string;
    verify?: FormDecl['verify'];
  }): ResourceType<T> {
    // Saving an enabled pruning policy prunes the matching tags at once: the repository's tags change too.
    const prunes = (v: unknown): boolean => o.kind === 'pruningPolicies' && (v as { enabled?: unknown }).enabled === true;
    const form = (schema: z.ZodType<Record<string, unknown>>, title: string): FormDecl => ({ schema, title, ...(o.verify ? { verify: o.verify } : {}) });
    return {
      type: o.type,
      title: o.title,
      itemTitle: o.itemTitle,
      icon: o.icon,
      placement: { under: 'repository', group: 'policies' },
      shape: 'list',
      available: async (scope, signal) => {
        await loadFeatures(signal);
        return !!scope.repository && (o.available?.() ?? true);
      },
      key: (item) => item.id,
      view: (item) => ({
        label: o.describe(item),
        description: item.enabled ? 'enabled' : 'disabled',
        tooltip: (item.rules ?? []).map(ruleText).join('\n') || undefined,
        icon: o.icon,
      }),
      list: async (scope, _cursor, opts) => whole(await api.listPolicies(repoOf(scope), o.kind, o.schema, opts?.signal)),
      get: (ref, signal) => api.getPolicy(repoOf(ref.scope), o.kind, ref.key, o.schema, signal),
      create: {
        title: `New ${o.itemTitle}`,
        form: form(o.createForm as z.ZodType<Record<string, unknown>>, `New ${o.itemTitle}`),
        run: async (scope, values, signal) => {
          const v = parse(o.createForm, values);
          const created = await api.savePolicy(repoOf(scope), o.kind, undefined, o.body(v), o.schema, signal);
          return done(`Created ${o.itemTitle} ${created.id}`, prunes(v) ? 'owner' : 'list');
        },
      },
      update: {
        title: `Edit ${o.itemTitle}`,
        form: form(o.updateForm ?? (o.createForm as z.ZodType<Record<string, unknown>>), `Edit ${o.itemTitle}`),
        values: async (ref, signal) => o.values(await api.getPolicy(repoOf(ref.scope), o.kind, ref.key, o.schema, signal)),
        run: async (ref, values, signal) => {
          const body = o.updateBody ? o.updateBody(parse(o.updateForm ?? o.createForm, values) as Record<string, unknown>) : o.body(parse(o.createForm, values));
          await api.savePolicy(repoOf(ref.scope), o.kind, ref.key, body, o.schema, signal);
          return done(`Saved ${o.itemTitle} ${ref.key}`, prunes(body) ? 'owner' : 'item');
        },
      },
      remove: {
        title: `Delete ${o.itemTitle}`,
        confirm: (item, ref) => ({ message: `Delete the ${o.itemTitle} "${o.describe(item)}" of ${ref.scope.repository ?? ''}?`, detail: `Policy id ${item.id}`, button: 'Delete Policy' }),
        run: async (ref, signal) => {
          await api.deletePolicy(repoOf(ref.scope), o.kind, ref.key, signal);
          return done(`Deleted ${o.itemTitle} ${ref.key}`);
        },
      },
    };
  }

  const verifyPruning: FormDecl['verify'] = async (target, values, signal) => {
    const scope = 'scope' in target && 'type' in target ? (target as ResourceRef).scope : (target as Scope);
    const v = parse(pruningForm, values);
    const tags = await api.testPruning(repoOf(scope), v.rules, signal);
    const verdict: Verdict = {
      ok: true,
      summary: tags.length ? `The rules match ${tags.length} tag${tags.length === 1 ? '' : 's'} of ${scope.repository}.` : `The rules match no tag of ${scope.repository}.`,
      items: tags,
    };
    if (tags.length && v.enabled) {
      verdict.confirm = { message: `Saving prunes ${tags.length} tag${tags.length === 1 ? '' : 's'} of ${scope.repository} now. Save the pruning policy?`, detail: tags.slice(0, 20).join(', ') + (tags.length > 20 ? ', …' : ''), button: 'Save and Prune' };
    }
    return verdict;
  };

  const pruning = policyType({
    type: 'pruningPolicy',
    kind: 'pruningPolicies',
    title: 'Pruning Policies',
    itemTitle: 'pruning policy',
    icon: 'trash',
    schema: s.pruningPolicy,
    createForm: pruningForm,
    body: (v) => pruningBody(v),
    values: (item) => ({ enabled: item.enabled, rules: rulesToInput(item.rules) }),
    describe: (item) => item.rules.map(ruleText).join(' and ') || `policy ${item.id}`,
    verify: verifyPruning,
  });

  const promotionPolicies = policyType({
    type: 'promotionPolicy',
    kind: 'promotionPolicies',
    title: 'Promotion Policies',
    itemTitle: 'promotion policy',
    icon: 'arrow-up',
    schema: s.promotionPolicy,
    createForm: promotionForm,
    available: promotion,
    body: (v) => {
      splitRepository(v.targetRepository);
      return promotionBody(v);
    },
    values: (item) => ({ targetRepository: item.targetRepository, tagTemplate: item.tagTemplate, enabled: item.enabled, rules: rulesToInput(item.rules) }),
    describe: (item) => `→ ${item.targetRepository}:${item.tagTemplate || '%n'}`,
  });

  const pollMirroring = policyType({
    type: 'pollMirroringPolicy',
    kind: 'pollMirroringPolicies',
    title: 'Poll Mirroring Policies',
    itemTitle: 'poll mirroring policy',
    icon: 'cloud-download',
    schema: s.pollMirroringPolicy,
    createForm: pollMirroringForm,
    updateForm: pollMirroringUpdateForm as z.ZodType<Record<string, unknown>>,
    available: mirroring,
    body: (v) => pollMirroringBody({ ...remote(v), enabled: v.enabled }),
    updateBody: (raw) => {
      const v = raw as z.infer<typeof pollMirroringUpdateForm>;
      return stripEmptyCredentials(pollMirroringBody({ ...remote(v), enabled: v.enabled }));
    },
    values: (item) => ({ remoteHost: item.remoteHost, remoteRepository: item.remoteRepository, username: item.username, remoteCA: item.remoteCA, skipTLSVerification: item.skipTLSVerification, enabled: item.enabled, credentials: { auth: 'keep' } }),
    describe: (item) => `← ${hostOf(item.remoteHost)}/${item.remoteRepository}`,
  });

  const pushMirroring = policyType({
    type: 'pushMirroringPolicy',
    kind: 'pushMirroringPolicies',
    title: 'Push Mirroring Policies',
    itemTitle: 'push mirroring policy',
    icon: 'cloud-upload',
    schema: s.pushMirroringPolicy,
    createForm: pushMirroringForm,
    updateForm: pushMirroringUpdateForm as z.ZodType<Record<string, unknown>>,
    available: mirroring,
    body: (v) => pushMirroringBody({ ...remote(v), enabled: v.enabled, rules: v.rules, tagTemplate: v.tagTemplate }),
    updateBody: (raw) => {
      const v = raw as z.infer<typeof pushMirroringUpdateForm>;
      return stripEmptyCredentials(pushMirroringBody({ ...remote(v), enabled: v.enabled, rules: v.rules, tagTemplate: v.tagTemplate }));
    },
    values: (item) => ({
      remoteHost: item.remoteHost,
      remoteRepository: item.remoteRepository,
      username: item.username,
      remoteCA: item.remoteCA,
      skipTLSVerification: item.skipTLSVerification,
      tagTemplate: item.tagTemplate,
      enabled: item.enabled,
      rules: rulesToInput(item.rules),
      credentials: { auth: 'keep' },
    }),
    describe: (item) => `→ ${hostOf(item.remoteHost)}/${item.remoteRepository}:${item.tagTemplate || '%n'}`,
  });

  return [pruning, promotionPolicies, pollMirroring, pushMirroring];
}
