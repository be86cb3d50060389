import { defineAction, defineResource, type ResourceRef, type Scope } from '../../admin';
import { done, namespaceOf, parentKey, plural, whole } from '../../adminKit';
import { BadResponseError, RegistryError } from '../../errors';
import { t } from '../../l10n';
import { HarborRetentionApi, type RetentionExecution, type RetentionPolicy, type RetentionPolicyBody, type RetentionRule, type RetentionTask, positiveId } from '../retentionApi';
import { executionResult, isRunning, resultOutcome, waitForExecution } from './retentionRun';
import { cronOf, policyCreateForm, ruleBody, ruleForm, ruleText, ruleValues, scheduleForm, scheduleOf, scheduleText, type ScheduleValues } from './retentionRules';
import { isRobot } from '../client';
import type { HarborAdminPart } from './shared';

/** The retention policy of a project, as an item. */
interface PolicyItem {
  project: string;
  projectId: number;
  id: number;
  policy: RetentionPolicy;
}

interface RuleItem {
  key: string;
  index: number;
  rule: RetentionRule;
}

/** A short fingerprint of a rule, so that a rule's key stops matching once someone else changed or moved it. */
function fingerprint(rule: RetentionRule): string {
  let h = 0;
  for (const c of JSON.stringify([rule.template, rule.params, rule.tag_selectors, rule.scope_selectors, rule.action])) h = (h * 31 + c.charCodeAt(0)) | 0;
  return (h >>> 0).toString(36);
}

/**
 * Tag retention per project (Policies group): the project's policy with its schedule, its rules (add, edit,
 * enable / disable, delete), Dry Run (what would be deleted, from the tasks' logs) before Run Now, and the
 * executions with their tasks and logs; a running execution can be stopped.
 */
export const retentionPart: HarborAdminPart = (host) => {
  const api = new HarborRetentionApi(host.client);
  const metadata = (signal?: AbortSignal) => api.metadatas(signal).catch(() => undefined);

  const projectOf = async (name: string, signal?: AbortSignal): Promise<{ id: number; retentionId?: number }> => {
    const p = await host.api.project(name, signal);
    if (typeof p.project_id !== 'number') throw new BadResponseError(`Project ${name}: Harbor sent no project id`);
    const raw = p.metadata?.retention_id;
    return { id: p.project_id, retentionId: raw ? positiveId(raw, 'retention id of the project') : undefined };
  };
  const policyItem = async (project: string, signal?: AbortSignal): Promise<PolicyItem | undefined> => {
    const p = await projectOf(project, signal);
    if (!p.retentionId) return undefined;
    return { project, projectId: p.id, id: p.retentionId, policy: await api.policy(p.retentionId, signal) };
  };
  const policyRef = async (ref: ResourceRef, signal?: AbortSignal): Promise<PolicyItem> => {
    const item = await policyItem(namespaceOf(ref.scope), signal);
    if (!item || String(item.id) !== ref.key) throw new RegistryError('notFound', t('The retention policy {0} of {1} no longer exists', ref.key, namespaceOf(ref.scope)));
    return item;
  };
  const body = (item: { id?: number; projectId: number }, rules: RetentionRule[], schedule: ScheduleValues | string): RetentionPolicyBody => ({
    ...(item.id ? { id: item.id } : {}),
    algorithm: 'or',
    rules,
    trigger: { kind: 'Schedule', settings: { cron: typeof schedule === 'string' ? schedule : cronOf(schedule) }, references: {} },
    scope: { level: 'project', ref: item.projectId },
  });
  const cronNow = (p: RetentionPolicy): string => (typeof p.trigger?.settings?.cron === 'string' ? p.trigger.settings.cron : '');
  const verifyTemplate = async (template: string, signal?: AbortSignal) => {
    const m = await metadata(signal);
    const listed = m?.templates?.map((x) => x.rule_template).filter((x): x is string => !!x);
    if (listed?.length && !listed.includes(template)) return { ok: false, summary: t('Harbor offers no template "{0}" (it offers {1})', template, listed.join(', ')) };
    return { ok: true, summary: t('Harbor offers the template {0}', template) };
  };

  // ---- Dry Run and Run Now ----
  const dryRun = async (item: PolicyItem, signal?: AbortSignal) => {
    const eid = await api.trigger(item.id, true, signal);
    const exec = await waitForExecution(api, item.id, eid, true, signal);
    return { exec, result: isRunning(exec.status) ? undefined : await executionResult(api, item.id, exec.id, signal) };
  };

  const policy = defineResource<PolicyItem>()({
    type: 'harborRetention',
    title: t('Tag Retention'),
    itemTitle: t('retention policy'),
    icon: 'archive',
    placement: { under: 'namespace', group: 'policies' },
    shape: 'list',
    // Harbor refuses robot accounts the project itself, where the policy's id is: the node is for users.
    available: async (scope) => {
      if (!scope.namespace) return false;
      const login = await host.client.login().catch(() => undefined);
      return !!login?.username && !!login.secret && !isRobot(login.username);
    },
    key: (x) => String(x.id),
    view: (x) => ({
      label: t('Retention policy {0}', x.id),
      description: t('{0} · {1}', plural((x.policy.rules ?? []).length, 'rule'), scheduleText(x.policy)),
      tooltip: (x.policy.rules ?? []).map((r, i) => `${i + 1}. ${ruleText(r)}${r.disabled ? t(' (disabled)') : ''}`).join('\n') || t('No rules: a run deletes nothing'),
      icon: 'archive',
    }),
    list: async (scope, _cursor, opts) => {
      const item = await policyItem(namespaceOf(scope), opts?.signal);
      return whole(item ? [item] : []);
    },
    get: policyRef,
    create: {
      title: t('Create Retention Policy'),
      form: { schema: policyCreateForm, title: t('New tag retention policy'), choices: { 'rules.template': { load: async (_s, _q, signal) => templateChoices(await metadata(signal)), title: t('templates') } } },
      run: async (scope: Scope, v, signal) => {
        const project = namespaceOf(scope);
        const p = await projectOf(project, signal);
        if (p.retentionId) throw new RegistryError('unsupported', t('Project {0} already has retention policy {1}: edit it instead', project, p.retentionId));
        const m = await metadata(signal);
        const id = await api.create(body({ projectId: p.id }, v.rules.map((r) => ruleBody(r, m)), v.schedule), signal);
        return done(id ? t('Created retention policy {0} of {1}', id, project) : t('Created the retention policy of {0}', project));
      },
    },
    update: {
      title: t('Edit Schedule'),
      form: { schema: scheduleForm, title: t('Retention schedule') },
      values: async (ref, signal) => ({ schedule: scheduleOf((await policyRef(ref, signal)).policy) }),
      run: async (ref, v, signal) => {
        const item = await policyRef(ref, signal);
        await api.update(item.id, body(item, item.policy.rules ?? [], v.schedule), signal);
        return done(t('Saved the schedule of retention policy {0} of {1}: {2}', item.id, item.project, scheduleText({ trigger: { settings: { cron: cronOf(v.schedule) } } })), 'item');
      },
    },
    actions: [
      defineAction<PolicyItem>()({
        id: 'dryRun',
        title: t('Dry Run'),
        icon: 'beaker',
        run: async (ref, _input, signal) => {
          const item = await policyRef(ref, signal);
          const { exec, result } = await dryRun(item, signal);
          if (!result) return { kind: 'list', title: t('Dry run {0} of retention policy {1} of {2} is still running', exec.id, item.id, item.project), items: [], message: t('Its result appears under Executions when it finishes'), refresh: 'item' };
          return resultOutcome(t('Dry run of retention policy {0} of {1}', item.id, item.project), result, true);
        },
      }),
      defineAction<PolicyItem>()({
        id: 'runNow',
        title: t('Run Now'),
        icon: 'run-all',
        confirm: async (_item, ref, _input, signal) => {
          const item = await policyRef(ref, signal);
          const { exec, result } = await dryRun(item, signal);
          const deleted = result?.deleted ?? [];
          const detail = !result
            ? t('The dry run ({0}) did not finish; what the run deletes is not known yet.', exec.id)
            : deleted.length
              ? t('The dry run deletes {0}:\n{1}', plural(deleted.length, 'artifact'), deleted.slice(0, 30).join('\n') + (deleted.length > 30 ? '\n…' : ''))
              : t('The dry run deletes nothing.');
          return { message: t('Run retention policy {0} of project {1} now? Artifacts it does not retain are deleted for good.', item.id, item.project), detail, button: t('Run Now') };
        },
        run: async (ref, _input, signal) => {
          const item = await policyRef(ref, signal);
          const eid = await api.trigger(item.id, false, signal);
          return done(t('Started a run{0} of retention policy {1} of {2}', eid ? ` (${eid})` : '', item.id, item.project), 'item');
        },
      }),
    ],
  });

  // ---- Rules of the policy ----
  const rules = async (ref: { scope: Scope }, signal?: AbortSignal) => {
    const key = parentKey(ref.scope, 'harborRetention');
    return policyRef({ type: 'harborRetention', scope: { namespace: namespaceOf(ref.scope) }, key }, signal);
  };
  const ruleAt = async (ref: ResourceRef, signal?: AbortSignal) => {
    const item = await rules(ref, signal);
    const all = item.policy.rules ?? [];
    const index = all.findIndex((r, i) => `${i}:${fingerprint(r)}` === ref.key);
    if (index < 0) throw new RegistryError('notFound', t('The rule changed or moved since it was listed: refresh the rules of retention policy {0}', item.id));
    return { item, all, index };
  };
  const saveRules = async (item: PolicyItem, next: RetentionRule[], signal?: AbortSignal) => api.update(item.id, body(item, next, cronNow(item.policy)), signal);
  const toggle = (enable: boolean) =>
    defineAction<RuleItem>()({
      id: enable ? 'enable' : 'disable',
      title: enable ? t('Enable') : t('Disable'),
      icon: enable ? 'play' : 'debug-pause',
      when: (x) => (x.rule.disabled === true) === enable,
      run: async (ref, _input, signal) => {
        const { item, all, index } = await ruleAt(ref, signal);
        await saveRules(item, all.map((r, i) => (i === index ? { ...r, disabled: !enable } : r)), signal);
        return done(enable ? t('Enabled rule {0} of retention policy {1} of {2}', index + 1, item.id, item.project) : t('Disabled rule {0} of retention policy {1} of {2}', index + 1, item.id, item.project), 'owner');
      },
    });
  const templatesChoice = { template: { load: async (_s: Scope, _q: string, signal?: AbortSignal) => templateChoices(await metadata(signal)), title: t('templates') } };
  const rule = defineResource<RuleItem>()({
    type: 'harborRetentionRule',
    title: t('Rules'),
    itemTitle: t('retention rule'),
    icon: 'list-ordered',
    placement: { under: { type: 'harborRetention' } },
    shape: 'list',
    key: (x) => x.key,
    view: (x) => ({ label: `${x.index + 1}. ${ruleText(x.rule)}`, description: x.rule.disabled ? t('disabled') : undefined, icon: x.rule.disabled ? 'circle-slash' : 'pass' }),
    list: async (scope, _cursor, opts) => whole(((await rules({ scope }, opts?.signal)).policy.rules ?? []).map((r, index) => ({ key: `${index}:${fingerprint(r)}`, index, rule: r }))),
    create: {
      title: t('Add Rule'),
      form: { schema: ruleForm, title: t('New retention rule'), choices: templatesChoice, verify: (_scope, v, signal) => verifyTemplate(v.template, signal) },
      run: async (scope, v, signal) => {
        const item = await rules({ scope }, signal);
        const all = item.policy.rules ?? [];
        if (all.length >= 15) throw new RegistryError('unsupported', t('Retention policy {0} already has 15 rules, the most Harbor allows', item.id));
        await saveRules(item, [...all, ruleBody(v, await metadata(signal))], signal);
        return done(t('Added rule {0} to retention policy {1} of {2}', all.length + 1, item.id, item.project), 'owner');
      },
    },
    update: {
      title: t('Edit Rule'),
      form: { schema: ruleForm, title: t('Edit retention rule'), choices: templatesChoice, verify: (_ref, v, signal) => verifyTemplate(v.template, signal) },
      values: async (ref, signal) => {
        const { all, index } = await ruleAt(ref, signal);
        return ruleValues(all[index]!);
      },
      run: async (ref, v, signal) => {
        const { item, all, index } = await ruleAt(ref, signal);
        const m = await metadata(signal);
        await saveRules(item, all.map((r, i) => (i === index ? { ...ruleBody(v, m), ...(r.id != null ? { id: r.id } : {}), ...(r.priority != null ? { priority: r.priority } : {}) } : r)), signal);
        return done(t('Saved rule {0} of retention policy {1} of {2}', index + 1, item.id, item.project), 'owner');
      },
    },
    remove: {
      title: t('Delete Rule'),
      confirm: (x, ref) => Promise.resolve({ message: t('Delete rule {0} "{1}" of the retention policy of project {2}?', x.index + 1, ruleText(x.rule), namespaceOf(ref.scope)), detail: t('Artifacts only this rule retains are deleted at the next run.'), button: t('Delete Rule') }),
      run: async (ref, signal) => {
        const { item, all, index } = await ruleAt(ref, signal);
        await saveRules(item, all.filter((_r, i) => i !== index), signal);
        return done(t('Deleted rule {0} of retention policy {1} of {2}', index + 1, item.id, item.project), 'owner');
      },
    },
    actions: [toggle(true), toggle(false)],
  });

  // ---- Executions and their tasks ----
  const policyIdOf = (scope: Scope) => positiveId(parentKey(scope, 'harborRetention'));
  const execution = defineResource<RetentionExecution>()({
    type: 'harborRetentionExecution',
    title: t('Executions'),
    itemTitle: t('retention execution'),
    icon: 'history',
    placement: { under: { type: 'harborRetention' } },
    shape: 'list',
    key: (x) => String(x.id),
    view: (x) => ({
      label: x.dry_run ? t('{0} · dry run', x.id) : t('{0} · run', x.id),
      description: t('{0} · {1}', x.status ?? '?', x.start_time ?? ''),
      tooltip: t('Status: {0}\nTrigger: {1}\nStarted: {2}\nEnded: {3}', x.status ?? '?', x.trigger ?? '?', x.start_time ?? '?', x.end_time ?? '—'),
      icon: isRunning(x.status) ? 'sync' : x.dry_run ? 'beaker' : 'history',
    }),
    list: (scope, cursor, opts) => api.executions(policyIdOf(scope), cursor, opts?.pageSize, opts?.signal),
    actions: [
      defineAction<RetentionExecution>()({
        id: 'result',
        title: t('Show Result'),
        icon: 'list-flat',
        when: (x) => !isRunning(x.status),
        run: async (ref, _input, signal) => {
          const id = policyIdOf(ref.scope);
          const result = await executionResult(api, id, positiveId(ref.key, 'execution id'), signal);
          return resultOutcome(t('Execution {0} of retention policy {1} of {2}', ref.key, id, namespaceOf(ref.scope)), result, false);
        },
      }),
      defineAction<RetentionExecution>()({
        id: 'stop',
        title: t('Stop'),
        icon: 'debug-stop',
        when: (x) => isRunning(x.status),
        confirm: (x, ref) => Promise.resolve({ message: t('Stop execution {0} of the retention policy of project {1}?', x.id, namespaceOf(ref.scope)), detail: t('What it already deleted stays deleted.'), button: t('Stop') }),
        run: async (ref, _input, signal) => {
          await api.stop(policyIdOf(ref.scope), positiveId(ref.key, 'execution id'), signal);
          return done(t('Stopped execution {0} of the retention policy of {1}', ref.key, namespaceOf(ref.scope)));
        },
      }),
    ],
  });

  const task = defineResource<RetentionTask>()({
    type: 'harborRetentionTask',
    title: t('Tasks'),
    itemTitle: t('retention task'),
    icon: 'checklist',
    placement: { under: { type: 'harborRetentionExecution' } },
    shape: 'list',
    key: (x) => String(x.id),
    view: (x) => ({
      label: x.repository ?? t('task {0}', x.id),
      description: t('{0} · retained {1} of {2}', x.status ?? '?', x.retained ?? '?', x.total ?? '?'),
      tooltip: t('Started: {0}\nEnded: {1}', x.start_time ?? '?', x.end_time ?? '—'),
      icon: 'package',
    }),
    list: (scope, cursor, opts) => api.tasks(policyIdOf(scope), positiveId(parentKey(scope, 'harborRetentionExecution'), 'execution id'), cursor, opts?.pageSize, opts?.signal),
    actions: [
      defineAction<RetentionTask>()({
        id: 'log',
        title: t('Show Log'),
        icon: 'output',
        run: async (ref, _input, signal) => {
          const id = policyIdOf(ref.scope);
          const eid = positiveId(parentKey(ref.scope, 'harborRetentionExecution'), 'execution id');
          const result = await executionResult(api, id, eid, signal, positiveId(ref.key, 'task id'));
          return resultOutcome(t('Task {0} of execution {1} of retention policy {2}', ref.key, eid, id), result, false);
        },
      }),
    ],
  });

  return [policy, rule, execution, task];
};

function templateChoices(m: Awaited<ReturnType<HarborRetentionApi['metadatas']>> | undefined) {
  const listed = (m?.templates ?? []).filter((x) => x.rule_template);
  if (listed.length) return listed.map((x) => ({ value: x.rule_template!, label: x.display_text || x.rule_template!, description: (x.params ?? []).map((p) => p.unit).filter(Boolean).join(', ') || undefined }));
  throw new BadResponseError('Harbor listed no retention templates');
}
