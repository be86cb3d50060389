import type * as z from 'zod';
import { defineResource, type FormSchema, type ResourceRef, type Scope, type Verdict } from '../../admin';
import { done, plural, repositoryOf, whole } from '../../adminKit';
import { pollMirroringBody, promotionBody, pruningBody, pushMirroringBody, type PolicyKind } from '../bodies';
import { splitRepository } from '../client';
import * as s from '../schemas';
import { hostOf, remote, ruleText, rulesToInput, stripEmptyCredentials, type AdminContext } from './context';
import { pruningForm, promotionForm, pollMirroringForm, pollMirroringUpdateForm, pushMirroringForm, pushMirroringUpdateForm } from './forms';
import { t } from '../../l10n';

/** The update forms start with the credentials DTR has. */
const keepCredentials: { auth: 'keep' } = { auth: 'keep' };

type Policy = { id: string; enabled: boolean; rules?: s.DtrRule[] };

/** How one kind of policy is declared: its API kind, item schema, forms and request bodies. */
interface PolicyDecl<T extends Policy, C extends FormSchema, U extends FormSchema> {
  type: string;
  kind: PolicyKind;
  title: string;
  itemTitle: string;
  icon: string;
  schema: z.ZodType<T>;
  create: PolicyForm<C>;
  update: PolicyForm<U>;
  available?: () => boolean;
  values(item: T): z.input<U>;
  describe(item: T): string;
}

/** A policy form, the request body its values make, and what is checked before saving (in the policy's repository). */
interface PolicyForm<S extends FormSchema> {
  form: S;
  body: (v: z.output<S>) => Record<string, unknown>;
  verify?: (scope: Scope, values: z.output<S>, signal?: AbortSignal) => Promise<Verdict>;
}

/** Per-repository pruning, promotion and mirroring policies. */
export function policiesTypes(c: AdminContext) {
  const { api, loadFeatures, promotion, mirroring } = c;

  function policyType<T extends Policy, C extends FormSchema, U extends FormSchema>(o: PolicyDecl<T, C, U>) {
    // Saving an enabled pruning policy prunes the matching tags at once: the repository's tags change too.
    const prunes = (body: Record<string, unknown>): boolean => o.kind === 'pruningPolicies' && body.enabled === true;
    const { verify: verifyCreate } = o.create;
    const { verify: verifyUpdate } = o.update;
    return defineResource<T>()({
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
      list: async (scope, _cursor, opts) => whole(await api.listPolicies(repositoryOf(scope), o.kind, o.schema, opts?.signal)),
      get: (ref, signal) => api.getPolicy(repositoryOf(ref.scope), o.kind, ref.key, o.schema, signal),
      create: {
        title: t('New {0}', o.itemTitle),
        form: { schema: o.create.form, title: t('New {0}', o.itemTitle), ...(verifyCreate ? { verify: verifyCreate } : {}) },
        run: async (scope, v, signal) => {
          const body = o.create.body(v);
          const created = await api.savePolicy(repositoryOf(scope), o.kind, undefined, body, o.schema, signal);
          return done(t('Created {0} {1}', o.itemTitle, created.id), prunes(body) ? 'owner' : 'list');
        },
      },
      update: {
        title: t('Edit {0}', o.itemTitle),
        form: { schema: o.update.form, title: t('Edit {0}', o.itemTitle), ...(verifyUpdate ? { verify: (ref: ResourceRef, v: z.output<U>, signal?: AbortSignal) => verifyUpdate(ref.scope, v, signal) } : {}) },
        values: async (ref, signal) => o.values(await api.getPolicy(repositoryOf(ref.scope), o.kind, ref.key, o.schema, signal)),
        run: async (ref, v, signal) => {
          const body = o.update.body(v);
          await api.savePolicy(repositoryOf(ref.scope), o.kind, ref.key, body, o.schema, signal);
          return done(t('Saved {0} {1}', o.itemTitle, ref.key), prunes(body) ? 'owner' : 'item');
        },
      },
      remove: {
        title: t('Delete {0}', o.itemTitle),
        confirm: (item, ref) => Promise.resolve({ message: t('Delete the {0} "{1}" of {2}?', o.itemTitle, o.describe(item), ref.scope.repository ?? ''), detail: t('Policy id {0}', item.id), button: t('Delete Policy') }),
        run: async (ref, signal) => {
          await api.deletePolicy(repositoryOf(ref.scope), o.kind, ref.key, signal);
          return done(t('Deleted {0} {1}', o.itemTitle, ref.key));
        },
      },
    });
  }

  const verifyPruning = async (scope: Scope, v: z.output<typeof pruningForm>, signal?: AbortSignal): Promise<Verdict> => {
    const tags = await api.testPruning(repositoryOf(scope), v.rules, signal);
    const verdict: Verdict = {
      ok: true,
      summary: tags.length ? `The rules match ${plural(tags.length, 'tag')} of ${scope.repository}.` : `The rules match no tag of ${scope.repository}.`,
      items: tags,
    };
    if (tags.length && v.enabled) {
      verdict.confirm = { message: t('Saving prunes {0} of {1} now. Save the pruning policy?', plural(tags.length, 'tag'), String(scope.repository)), detail: tags.slice(0, 20).join(', ') + (tags.length > 20 ? ', …' : ''), button: t('Save and Prune') };
    }
    return verdict;
  };

  // The target is checked (namespace/name) before anything is sent.
  const promotionPolicyBody = (v: z.output<typeof promotionForm>) => {
    splitRepository(v.targetRepository);
    return promotionBody(v);
  };

  const pruning = policyType({
    type: 'pruningPolicy',
    kind: 'pruningPolicies',
    title: t('Pruning Policies'),
    itemTitle: t('pruning policy'),
    icon: 'trash',
    schema: s.pruningPolicy,
    create: { form: pruningForm, body: pruningBody, verify: verifyPruning },
    update: { form: pruningForm, body: pruningBody, verify: verifyPruning },
    values: (item) => ({ enabled: item.enabled, rules: rulesToInput(item.rules) }),
    describe: (item) => item.rules.map(ruleText).join(' and ') || `policy ${item.id}`,
  });

  const promotionPolicies = policyType({
    type: 'promotionPolicy',
    kind: 'promotionPolicies',
    title: t('Promotion Policies'),
    itemTitle: t('promotion policy'),
    icon: 'arrow-up',
    schema: s.promotionPolicy,
    create: { form: promotionForm, body: promotionPolicyBody },
    update: { form: promotionForm, body: promotionPolicyBody },
    available: promotion,
    values: (item) => ({ targetRepository: item.targetRepository, tagTemplate: item.tagTemplate, enabled: item.enabled, rules: rulesToInput(item.rules) }),
    describe: (item) => `→ ${item.targetRepository}:${item.tagTemplate || '%n'}`,
  });

  const pollMirroring = policyType({
    type: 'pollMirroringPolicy',
    kind: 'pollMirroringPolicies',
    title: t('Poll Mirroring Policies'),
    itemTitle: t('poll mirroring policy'),
    icon: 'cloud-download',
    schema: s.pollMirroringPolicy,
    create: { form: pollMirroringForm, body: (v) => pollMirroringBody({ ...remote(v), enabled: v.enabled }) },
    update: { form: pollMirroringUpdateForm, body: (v) => stripEmptyCredentials(pollMirroringBody({ ...remote(v), enabled: v.enabled })) },
    available: mirroring,
    values: (item) => ({ remoteHost: item.remoteHost, remoteRepository: item.remoteRepository, username: item.username, remoteCA: item.remoteCA, skipTLSVerification: item.skipTLSVerification, enabled: item.enabled, credentials: keepCredentials }),
    describe: (item) => `← ${hostOf(item.remoteHost)}/${item.remoteRepository}`,
  });

  const pushMirroring = policyType({
    type: 'pushMirroringPolicy',
    kind: 'pushMirroringPolicies',
    title: t('Push Mirroring Policies'),
    itemTitle: t('push mirroring policy'),
    icon: 'cloud-upload',
    schema: s.pushMirroringPolicy,
    create: { form: pushMirroringForm, body: (v) => pushMirroringBody({ ...remote(v), enabled: v.enabled, rules: v.rules, tagTemplate: v.tagTemplate }) },
    update: { form: pushMirroringUpdateForm, body: (v) => stripEmptyCredentials(pushMirroringBody({ ...remote(v), enabled: v.enabled, rules: v.rules, tagTemplate: v.tagTemplate })) },
    available: mirroring,
    values: (item) => ({
      remoteHost: item.remoteHost,
      remoteRepository: item.remoteRepository,
      username: item.username,
      remoteCA: item.remoteCA,
      skipTLSVerification: item.skipTLSVerification,
      tagTemplate: item.tagTemplate,
      enabled: item.enabled,
      rules: rulesToInput(item.rules),
      credentials: keepCredentials,
    }),
    describe: (item) => `→ ${hostOf(item.remoteHost)}/${item.remoteRepository}:${item.tagTemplate || '%n'}`,
  });

  return [pruning, promotionPolicies, pollMirroring, pushMirroring];
}
