/**
 * An in-memory Red Hat Quay (`/api/v1`, `/health/*`, and `/v2` through an embedded OCI registry) for tests, the
 * benchmark and the demo. Response bodies follow the shapes read from Quay's source
 * (test/fixtures/specs/quay-models-found.json; checked by test/unit/quayContract.test.ts); request bodies are checked
 * against the request schemas of test/fixtures/specs/quay-api.json (Quay's discovery document) where it has them, and
 * against the documented keys (test/fixtures/specs/SOURCES.md) for the feature-gated endpoints it lacks. A bad
 * request body is refused with 400, as Quay's `validate_json_request` does.
 *
 * Routing is Quay's: `{repository}` is `namespace/name` with a literal `/`; a `%2F` in the path does not route (404).
 * `/api/v1` takes `Authorization: Bearer <token>`; tokens carry OAuth scopes and a missing scope answers 403
 * `insufficient_scope`. Tag history is kept like Quay's: deleting or moving a tag ends its entry (`end_ts`), an
 * expiration is a future `end_ts`, restore starts a new entry.
 */
import { closeServer, listen } from '../kit/listen';
import { Router } from '../kit/router';
import { startOciServer } from '../oci/index';
import { quayHttp, type QuayRoute } from './http';
import type { Handler } from './kit';
import { accountRoutes } from './routes/account';
import { manifestRoutes } from './routes/manifests';
import { notificationRoutes } from './routes/notifications';
import { orgRoutes } from './routes/orgs';
import { policyRoutes } from './routes/policies';
import { repositoryRoutes } from './routes/repositories';
import { seedDemo } from './seed';
import { createQuayState } from './state';
import { ALL_SCOPES, FEATURE_TEMPLATES, type QuayFeature, type QuayServer, type QuayServerOptions } from './types';

export async function startQuayServer(opts: QuayServerOptions = {}): Promise<QuayServer> {
  const state = createQuayState(opts);
  const { orgs, repos, log, requests, requestIssues, faults, st, addUser, addOrg, issueToken, addRepository, repoOr404, addTag, endTag, addLogs , addTags } = state;
  // {repository} is namespace/name with a literal slash (each part decoded); other parameters are one segment.
  const router = new Router<QuayRoute>({ params: { repository: { pattern: '[^/]+/[^/]+', decode: (raw) => raw.split('/').map(decodeURIComponent).join('/') } } });
  const route = (method: string, template: string, h: Handler) => {
    const feature = (Object.keys(FEATURE_TEMPLATES) as QuayFeature[]).find((f) => FEATURE_TEMPLATES[f].includes(template));
    router.add(method, template, { h, feature });
  };
  const kit = { ...state, route, ok: (body: unknown, status = 200) => ({ status, body }) };
  for (const family of [repositoryRoutes, manifestRoutes, orgRoutes, notificationRoutes, policyRoutes, accountRoutes]) family(kit);
  const server = quayHttp(state, router);
  const url = await listen(server, opts.port ?? 0);

  addUser('alice');
  const token = issueToken('alice', ALL_SCOPES);
  if (opts.registry) {
    st.registry = await startOciServer({ auth: { type: 'bearer', username: '$oauthtoken', password: token, realm: `${url}/v2/auth`, service: new URL(url).host } });
  }

  if (opts.seed ?? true) await seedDemo(state, token);


  return {
    url,
    requests,
    requestIssues,
    token,
    username: 'alice',
    registry: st.registry,
    clearRequests: () => log.clear(),
    issueToken,
    addUser,
    addOrg,
    inviteToTeam: (org, team, who) => {
      const t = orgs.get(org)?.teams.get(team);
      if (!t) throw new Error(`no team ${org}/${team}`);
      t.invited.add(who);
    },
    addRepository,
    addTag,
    addTags,
    endTag,
    addLogs,
    setFailingServices: (s) => void (st.failing = s),
    setFault: (f) => faults.set(f),
    tags: (repository) => repoOr404(repository).tags.map((t) => ({ name: t.name, digest: t.digest, start: t.start, end: t.end })),
    repository: (repository) => {
      const r = repos.get(repository);
      return r && { description: r.description, isPublic: r.isPublic, state: r.state };
    },
    mirrorOf: (repository) => repos.get(repository)?.mirror,
    proxyCacheOf: (org) => orgs.get(org)?.proxyCache,
    close: async () => {
      await closeServer(server);
      await st.registry?.close();
    },
  };
}
