/** DTR fake policies: their JSON shapes, rule checks and the evaluation on save. */
import { HttpError, type Json, type TagRec, type RepoRec, type PolicyKind } from './types';
import type { DtrState } from './state';

export type DtrPolicies = ReturnType<typeof dtrPolicies>;

export function dtrPolicies(k: DtrState) {
  const { repos, evaluations, countsOf } = k;

  function policyJson(kind: PolicyKind, r: RepoRec, p: Json): Json {
    const repo = `${r.namespace}/${r.name}`;
    const status = { code: 'OK', detail: '', timestamp: '0001-01-01T00:00:00Z' };
    switch (kind) {
      case 'pruningPolicies':
        return { id: p.id, rules: p.rules, repository: repo, enabled: p.enabled, lastPrunedAt: '0001-01-01T00:00:00Z' };
      case 'promotionPolicies':
        return { id: p.id, rules: p.rules, sourceRepository: repo, targetRepository: p.targetRepository, tagTemplate: p.tagTemplate, enabled: p.enabled, lastPromotedAt: '0001-01-01T00:00:00Z' };
      case 'pollMirroringPolicies':
        return { id: p.id, username: p.username, localRepository: repo, remoteHost: p.remoteHost, remoteRepository: p.remoteRepository, remoteCA: p.remoteCA, skipTLSVerification: p.skipTLSVerification, enabled: p.enabled, lastMirroredAt: '0001-01-01T00:00:00Z', lastStatus: status };
      case 'pushMirroringPolicies':
        return { id: p.id, rules: p.rules, username: p.username, localRepository: repo, remoteHost: p.remoteHost, remoteRepository: p.remoteRepository, remoteCA: p.remoteCA, skipTLSVerification: p.skipTLSVerification, tagTemplate: p.tagTemplate, enabled: p.enabled, lastMirroredAt: '0001-01-01T00:00:00Z', lastStatus: status };
    }
  }
  const OPS: Record<string, string[]> = {
    tag: ['eq', 'sw', 'ew', 'c', 'oo', 'noo'],
    'license.name': ['oo', 'noo'],
    'component.name': ['oo', 'noo'],
    vulnerability_all: ['gte', 'gt', 'eq', 'neq', 'lte', 'lt'],
    vulnerability_critical: ['gte', 'gt', 'eq', 'neq', 'lte', 'lt'],
    vulnerability_major: ['gte', 'gt', 'eq', 'neq', 'lte', 'lt'],
    vulnerability_minor: ['gte', 'gt', 'eq', 'neq', 'lte', 'lt'],
    updated_at: ['bf', 'af'],
    updated_at_duration: ['bf', 'af'],
  };
  function checkRules(rules: unknown): Array<{ field: string; operator: string; values: string[] }> {
    const list = (rules ?? []) as Array<{ field: string; operator: string; values?: string[] }>;
    for (const r of list) {
      if (!OPS[r.field]?.includes(r.operator)) throw new HttpError(400, 'INVALID_RULE', `Operator ${r.operator} is not valid for field ${r.field}`);
    }
    return list.map((r) => ({ field: r.field, operator: r.operator, values: r.values ?? [] }));
  }
  function matches(t: TagRec, rules: Array<{ field: string; operator: string; values: string[] }>): boolean {
    return rules.every((r) => {
      const v = r.values;
      if (r.field === 'tag') {
        switch (r.operator) {
          case 'eq':
            return t.name === v[0];
          case 'sw':
            return t.name.startsWith(v[0] ?? '');
          case 'ew':
            return t.name.endsWith(v[0] ?? '');
          case 'c':
            return t.name.includes(v[0] ?? '');
          case 'oo':
            return v.includes(t.name);
          case 'noo':
            return !v.includes(t.name);
        }
      }
      if (r.field.startsWith('vulnerability_')) {
        const c = t.platforms.map(countsOf).reduce((s, x) => s + (x ? (r.field === 'vulnerability_all' ? x.critical + x.major + x.minor : x[r.field.slice(14) as 'critical']) : 0), 0);
        const n = Number(v[0]);
        return { gte: c >= n, gt: c > n, eq: c === n, neq: c !== n, lte: c <= n, lt: c < n }[r.operator as 'eq'] ?? false;
      }
      if (r.field === 'updated_at') return r.operator === 'bf' ? t.updatedAt < (v[0] ?? '') : t.updatedAt > (v[0] ?? '');
      return false;
    });
  }
  /**
   * `initialEvaluation` (default true): an enabled policy runs on save — a pruning policy prunes the matching tags,
   * a promotion policy promotes them all, a push mirroring policy pushes them all (recorded in `evaluations`).
   */
  function evaluate(kind: PolicyKind, repo: RepoRec, rec: Json, q: URLSearchParams): void {
    if (kind === 'pollMirroringPolicies' || q.get('initialEvaluation') === 'false' || rec.enabled !== true) return;
    const rules = rec.rules as Array<{ field: string; operator: string; values: string[] }>;
    const hit = repo.tags.filter((t) => matches(t, rules));
    evaluations.push({ kind, repository: `${repo.namespace}/${repo.name}`, tags: hit.map((t) => t.name) });
    if (kind === 'pruningPolicies') repo.tags = repo.tags.filter((t) => !hit.includes(t));
    if (kind === 'promotionPolicies') {
      const target = repos.get(String(rec.targetRepository));
      if (target) for (const t of hit) target.tags = target.tags.filter((x) => x.name !== t.name).concat({ ...t, promotion: { promotionPolicyID: String(rec.id), sourceRepository: `${repo.namespace}/${repo.name}`, sourceTag: t.name } });
    }
  }
  /** Signed tags have Notary data, which DTR reaches only through the push domain (`domain`). */
  function notaryDomain(q: URLSearchParams, tags: TagRec[]): void {
    if (tags.some((t) => t.signed) && !q.get('domain')) throw new HttpError(400, 'INVALID_PARAMETERS', 'domain must be set to delete signed tags (Notary data)');
  }
  function requireCredential(b: Json): void {
    if (!b.password && !b.authToken) throw new HttpError(400, 'INVALID_JSON', 'password or authToken is required');
  }


  return { policyJson, OPS, checkRules, matches, evaluate, notaryDomain, requireCredential };
}
