import type { Outcome } from '../../admin';
import { plural } from '../../adminKit';
import { BadResponseError } from '../../errors';
import { sleep } from '../../http';
import { t } from '../../l10n';
import type { HarborRetentionApi, RetentionExecution, RetentionTask } from '../retentionApi';
import { parseTaskLog, retentionWord } from './retentionRules';

/**
 * What an execution did (or, for a dry run, would do): its tasks (one per repository) and each task's log, read into
 * the artifacts deleted and retained. Bounded: at most `MAX_TASK_PAGES` pages of tasks and `MAX_LOGS` logs are read;
 * the result says when it is partial.
 */

const MAX_TASK_PAGES = 10;
const MAX_LOGS = 100;
/** How long Dry Run waits for Harbor's job service to finish the execution before answering "still running". */
export const WAIT = { totalMs: 60_000, stepMs: 1_000 };

/** Execution and task statuses that mean "not finished" (Harbor's job statuses and the older retention ones). */
export function isRunning(status: string | null | undefined): boolean {
  return /^(running|inprogress|pending|scheduled|ready)$/i.test(status ?? '');
}

/** The execution `eid` (or, when Harbor sent no id, the newest of its kind), once it finished or the wait ran out. */
export async function waitForExecution(api: HarborRetentionApi, id: number, eid: number | undefined, dryRun: boolean, signal?: AbortSignal): Promise<RetentionExecution> {
  const deadline = Date.now() + WAIT.totalMs;
  for (;;) {
    const page = await api.executions(id, undefined, 100, signal);
    const exec = eid !== undefined ? page.items.find((x) => x.id === eid) : page.items.filter((x) => !!x.dry_run === dryRun).sort((a, b) => b.id - a.id)[0];
    if (!exec) throw new BadResponseError(eid !== undefined ? `Harbor does not list execution ${eid} of retention policy ${id}` : `Harbor lists no ${dryRun ? 'dry run' : 'run'} of retention policy ${id}`);
    if (!isRunning(exec.status) || Date.now() >= deadline) return exec;
    await sleep(WAIT.stepMs, signal);
  }
}

export interface ExecutionResult {
  /** "team-a/app@sha256:0123456789ab (1.0, latest)" per artifact. */
  deleted: string[];
  retained: string[];
  /** Other marks (errors, immutable) and tasks whose log has no table. */
  other: string[];
  tasks: number;
  complete: boolean;
}

function shortDigest(d: string): string {
  return /^sha\d+:[0-9a-f]{12,}$/.test(d) ? d.slice(0, d.indexOf(':') + 13) : d;
}

/** Reads the tasks of an execution (or the one task `only`) and their logs. */
export async function executionResult(api: HarborRetentionApi, id: number, eid: number, signal?: AbortSignal, only?: number): Promise<ExecutionResult> {
  const tasks: RetentionTask[] = [];
  let complete = true;
  let cursor: string | undefined;
  for (let pages = 0; ; ) {
    const page = await api.tasks(id, eid, cursor, 100, signal);
    tasks.push(...page.items);
    if (page.error) complete = false;
    cursor = page.next;
    if (!cursor || only !== undefined) break;
    if (++pages >= MAX_TASK_PAGES) {
      complete = false;
      break;
    }
  }
  const chosen = only !== undefined ? tasks.filter((x) => x.id === only) : tasks;
  if (only !== undefined && !chosen.length) chosen.push({ id: only });
  const out: ExecutionResult = { deleted: [], retained: [], other: [], tasks: chosen.length, complete };
  for (const task of chosen.slice(0, MAX_LOGS)) {
    const repo = task.repository ?? t('task {0}', task.id);
    const rows = parseTaskLog(await api.taskLog(id, eid, task.id, signal));
    if (!rows) {
      out.other.push(t('{0}: the log of task {1} has no table of artifacts (status {2})', repo, task.id, task.status ?? '?'));
      continue;
    }
    for (const row of rows) {
      const line = `${repo}@${shortDigest(row.digest)}${row.tags ? ` (${row.tags.split(',').join(', ')})` : t(' (untagged)')}`;
      if (row.retention === 'DEL') out.deleted.push(line);
      else if (row.retention === 'RETAIN') out.retained.push(line);
      else out.other.push(`${retentionWord(row.retention)}: ${line}`);
    }
  }
  if (chosen.length > MAX_LOGS) out.complete = false;
  return out;
}

/** The result as a list to review: what is (or would be) deleted first, then what is kept. */
export function resultOutcome(title: string, r: ExecutionResult, dryRun: boolean): Outcome {
  const total = r.deleted.length + r.retained.length + r.other.length;
  const summary = dryRun
    ? t('{0}: {1} of {2} would be deleted', title, r.deleted.length, plural(total, 'artifact'))
    : t('{0}: {1} of {2} deleted', title, r.deleted.length, plural(total, 'artifact'));
  return {
    kind: 'list',
    title: summary,
    items: [...r.deleted.map((x) => `${retentionWord('DEL')}: ${x}`), ...r.other, ...r.retained.map((x) => `${retentionWord('RETAIN')}: ${x}`)],
    message: r.complete ? t('From {0}', plural(r.tasks, 'task')) : t('From the first {0} only: Harbor has more than this reads', plural(r.tasks, 'task')),
    refresh: 'item',
  };
}
