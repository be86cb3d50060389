/** DTR fake routes: jobs and crons. */
import { HttpError } from '../types';
import { tools, type Ctx, type DtrKit, type Reply } from '../kit';

export function adminRoutes(k: DtrKit, c: Ctx): Reply | undefined {
  const { jobs, requireAdmin } = k;
  const { p, q, u, ok, is } = tools(c);

  // administration
  if (is('GET', 'jobs')) {
    requireAdmin(u);
    const start = Number(q.get('start') ?? 0);
    const limit = Number(q.get('limit') ?? 10);
    return ok({ jobs: [...jobs.values()].map((j) => j.job).slice(start, start + limit) });
  }
  if (is('GET', 'jobs', '*', 'logs')) {
    requireAdmin(u);
    const j = jobs.get(p[1]!);
    if (!j) throw new HttpError(404, 'NO_SUCH_JOB', 'No such job');
    return ok(j.logs.map((data, lineNum) => ({ lineNum, data })));
  }
  if (is('POST', 'jobs', '*', 'cancel')) {
    requireAdmin(u);
    const j = jobs.get(p[1]!);
    if (!j) throw new HttpError(404, 'NO_SUCH_JOB', 'No such job');
    j.job.status = 'canceled';
    return ok(undefined, 204);
  }
  if (is('GET', 'crons')) {
    requireAdmin(u);
    const cron = (action: string, schedule: string) => ({ id: action, action, schedule, retries: 0, capacityMap: {}, parameters: {}, deadline: '', stopTimeout: '', nextRun: '2026-11-28T00:00:00Z' });
    return ok({ crons: [cron('onlinegc', '0 0 1 * * 6'), cron('update_vuln_db', '0 0 3 * * *'), cron('poll_mirror', '0 */15 * * * *')] });
  }
  throw new HttpError(404, 'NOT_FOUND', 'Not found');
  return undefined;
}
