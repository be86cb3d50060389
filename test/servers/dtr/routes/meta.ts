/** DTR fake routes: metadata, features, cluster status, alerts and search. */
import { HttpError } from '../types';
import { tools, type Ctx, type DtrKit, type Reply } from '../kit';

export function metaRoutes(k: DtrKit, c: Ctx): Reply | undefined {
  const { users, orgs, repos, now, st, accessOf, requireUser, requireAdmin, repoJson, accountJson } = k;
  const { q, u, ok, is } = tools(c);

  // meta
  if (is('GET', 'meta', 'features')) return ok({ ...st.features, metadataStoreOptedIn: false, onlineGCEnabled: true, db_version: 42, ucpHost: 'ucp.example.com' }, requireUser(u) ? 200 : 401);
  if (is('GET', 'meta', 'cluster_status')) {
    requireAdmin(u);
    return ok({ rethink_system_tables: {}, replica_health: { '0a1b2c3d4e5f': 'OK', '1a2b3c4d5e6f': 'OK' }, replica_timestamp: { '0a1b2c3d4e5f': now() }, replica_readonly: { '0a1b2c3d4e5f': false }, gc_lock_holder: '' });
  }
  if (is('GET', 'meta', 'alerts')) {
    requireAdmin(u);
    return ok([{ id: 'license', message: 'Your license expires in 20 days', class: 'warning', url: 'https://example.com/license', img: '' }]);
  }
  if (is('GET', 'index', 'autocomplete')) {
    requireUser(u);
    // `query` is required by the document; DTR refuses the request without it.
    if (!q.has('query')) throw new HttpError(400, 'INVALID_PARAMETERS', 'query is required');
    const query = q.get('query') ?? '';
    const limit = Number(q.get('limit') ?? 25);
    const accountResults = q.get('includeAccounts') === 'false' ? [] : [...users.keys(), ...orgs.keys()].filter((n) => n.includes(query)).slice(0, limit).map(accountJson);
    const repositoryResults = q.get('includeRepositories') === 'false' ? [] : [...repos.values()].filter((r) => accessOf(u, r) && `${r.namespace}/${r.name}`.includes(query)).slice(0, limit).map(repoJson);
    return ok({ accountResults, repositoryResults });
  }
  return undefined;
}
