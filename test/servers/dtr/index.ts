/**
 * An in-memory DTR / MSR API (`/api/v0`, DTR 2.6) for tests, the benchmark and the demo. It follows the vendored
 * Swagger document (test/fixtures/specs/dtr-api.json, mended in test/servers/dtrSpec.ts): every request body is
 * validated against the operation's form and refused with 400 when it does not match, and with
 * `validateResponses` every response body is checked against the spec (violations collected in `violations`).
 * What the document leaves out and DTR does is built in: HTTP Basic with a password or an API token, paging with
 * `pageStart`/`pageSize` and the `X-Next-Page-Start` header (`X-Resource-Count` with `count=true`), roles from each
 * operation's description (401 without credentials, 403 without the access level, 404 for what the user cannot see),
 * and the error envelope `{"errors":[{"code","message"}]}`.
 *
 * `apiShape: '1.3'` answers repository calls in the DTR 1.3 shapes (integer ids, `status: "ok"`, create needs only
 * a name). `registry: true` also serves DTR's `/v2/` registry (test/servers/ociServer.ts behind the same origin,
 * Bearer challenge with `/token`) for tag details.
 */
import { arm } from '../kit/faults';
import { closeServer, listen } from '../kit/listen';
import { startOciServer } from '../oci/index';
import { dtrHttp } from './http';
import { dtrPolicies } from './policies';
import { dtrSeeding } from './seed';
import { createDtrState } from './state';
import { MANIFEST, sha, type DtrServer, type DtrServerOptions } from './types';

/** Starts the fake DTR on 127.0.0.1; resolves once it listens. */
export async function startDtrServer(opts: DtrServerOptions = {}): Promise<DtrServer> {
  const state = createDtrState(opts);
  const seeding = dtrSeeding(state);
  const kit = { ...state, ...dtrPolicies(state), ...seeding };
  const { users, orgs, repos, webhooks, jobs, log, requests, evaluations, violations, answered, uuid, now, st, event, addUser, addOrg, addRepository, addTag, createToken } = kit;
  const server = dtrHttp(kit);

  st.base = await listen(server, opts.port ?? 0);
  if (opts.registry) {
    st.oci = await startOciServer({ auth: { type: 'bearer', username: opts.registry.username, password: opts.registry.password, service: 'dtr' } });
  }

  return {
    url: st.base,
    requests,
    violations,
    answered,
    evaluations,
    oci: st.oci,
    clearRequests: () => log.clear(),
    close: async () => {
      await closeServer(server);
      await st.oci?.close();
    },
    addUser,
    addOrg,
    addTeam: (org, team, members) => {
      const o = orgs.get(org);
      if (!o) throw new Error(`no org ${org}`);
      o.teams.set(team, { id: uuid(), name: team, members: new Set(members) });
      for (const m of members) o.members.add(m);
    },
    teamId: (org, team) => orgs.get(org)?.teams.get(team)?.id,
    setNamespaceAccess: (org, team, level) => orgs.get(org)!.access.set(team, level),
    setRepositoryAccess: (repository, team, level) => repos.get(repository)!.teamAccess.set(team, level),
    addRepository,
    addTag,
    addTags: (repository, count, o = {}) => {
      const r = repos.get(repository);
      if (!r) throw new Error(`no repository ${repository}`);
      const prefix = o.prefix ?? 'v';
      for (let i = 0; i < count; i++) {
        const name = `${prefix}${i}`;
        const d = sha(`${repository}|${name}`);
        r.tags.push({ name, digest: d, mediaType: MANIFEST, author: 'ci', createdAt: '2026-10-01T00:00:00Z', updatedAt: '2026-10-01T00:00:00Z', signed: false, platforms: [{ os: 'linux', arch: 'amd64', digest: d, size: 1000 + i }] });
      }
    },
    addEvents: (repository, count) => {
      const r = repos.get(repository)!;
      for (let i = 0; i < count; i++) event(r, i % 3 ? 'PULL' : 'PUSH', 'ci', `v${i}`);
    },
    addJob: (action, status, logs = []) => {
      const id = uuid();
      jobs.set(id, { job: { id, retryFromID: '', workerID: 'worker-1', status, scheduledAt: now(), lastUpdated: now(), action, retriesLeft: 0, retriesTotal: 0, capacityMap: {}, parameters: {}, deadline: '', stopTimeout: '' }, logs });
      return id;
    },
    createToken,
    addPolicy: (repository, kind, policy) => {
      const id = uuid();
      repos.get(repository)!.policies[kind].set(id, { enabled: true, rules: [], ...policy, id });
      return id;
    },
    addWebhook: (key, type, endpoint, author = 'admin') => {
      const id = uuid();
      webhooks.set(id, { id, type, key, endpoint, authorID: users.get(author)?.id ?? author, createdAt: now(), inactive: false, tlsCert: '', skipTLSVerification: false, lastSuccessfulAt: '' });
      return id;
    },
    setFeatures: (f) => {
      st.features = { ...st.features, ...f };
    },
    setFault: (f) => {
      st.fault = f ? arm(f) : undefined;
    },
    repository: (repository) => repos.get(repository),
    webhookCount: () => webhooks.size,
  };
}
