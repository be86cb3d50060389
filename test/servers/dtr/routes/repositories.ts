/** DTR fake routes: repositories, tags, manifests, events, policies. */
import { NAME_RE, HttpError, forbidden, type AccessLevel, type Json, type RepositorySeed, type TagRec, type PolicyKind } from '../types';
import { tools, type Ctx, type DtrKit, type Reply } from '../kit';

export function repositoryRoutes(k: DtrKit, c: Ctx): Reply | undefined {
  const { users, orgs, repos, webhooks, uuid, now, st, accessOf, nsAdmin, need, requireUser, requireAdmin, repoJson, manifestJson, tagJson, teamJson, event, countsOf, page, policyJson, checkRules, matches, evaluate, notaryDomain, requireCredential, addRepository } = k;
  const { m, p, q, b, u, ok, is } = tools(c);

  // repositories
  if (is('GET', 'repositories')) {
    requireUser(u);
    return ok({ repositories: page([...repos.values()].filter((r) => accessOf(u, r)), (r) => r.id, q, c.headers).map(repoJson) });
  }
  if (is('POST', 'repositories', 'scan', 'toggle')) {
    requireAdmin(u);
    for (const r of repos.values()) r.scanOnPush = b.scanOnPush === true;
    return ok();
  }
  if (is('GET', 'repositories', '*')) {
    requireUser(u);
    if (!users.has(p[1]!) && !orgs.has(p[1]!)) throw new HttpError(404, 'NO_SUCH_ACCOUNT', 'An account with the given name does not exist.');
    return ok({ repositories: page([...repos.values()].filter((r) => r.namespace === p[1] && accessOf(u, r)), (r) => r.id, q, c.headers).map(repoJson) });
  }
  if (is('POST', 'repositories', '*')) {
    const user = requireUser(u);
    const ns = p[1]!;
    if (!users.has(ns) && !orgs.has(ns)) throw new HttpError(404, 'NO_SUCH_ACCOUNT', 'An account with the given name does not exist.');
    if (!nsAdmin(user, ns)) throw forbidden();
    const name = typeof b.name === 'string' ? b.name : '';
    if (!NAME_RE.test(name)) throw new HttpError(400, 'INVALID_REPOSITORY_NAME', 'Invalid repository name');
    if (repos.has(`${ns}/${name}`)) throw new HttpError(400, 'REPOSITORY_EXISTS', 'A repository with the same name already exists.');
    addRepository(ns, name, b as RepositorySeed);
    return ok(repoJson(repos.get(`${ns}/${name}`)!), 201);
  }
  if (p[0] === 'repositories' && p.length >= 3) {
    const [ns, name] = [p[1]!, p[2]!];
    const rest = p.slice(3);
    if (rest.length === 0) {
      if (m === 'GET') return ok(repoJson(need(u, ns, name, 'read-only')));
      if (m === 'PATCH') {
        const r = need(u, ns, name, 'admin');
        for (const k of ['shortDescription', 'longDescription', 'visibility', 'scanOnPush', 'immutableTags', 'enableManifestLists', 'tagLimit'] as const) {
          if (b[k] !== undefined) (r as unknown as Json)[k] = b[k];
        }
        return ok(repoJson(r));
      }
      if (m === 'DELETE') {
        const r = need(u, ns, name, 'admin');
        notaryDomain(q, r.tags);
        repos.delete(`${r.namespace}/${r.name}`);
        return ok(undefined, 204);
      }
    }
    const r = (level: AccessLevel) => need(u, ns, name, level);
    const sub = rest[0];
    if (sub === 'tags' && rest.length === 1 && m === 'GET') {
      const repo = r('read-only');
      const domain = q.get('domain') ?? undefined;
      const inc = q.get('includeManifests') === 'true';
      // With manifests, a multi-platform tag is listed once per platform (one entry per manifest of its list).
      return ok(page(repo.tags, (t) => t.name, q, c.headers).flatMap((t) => (inc && t.platforms.length > 1 ? t.platforms.map((pl) => tagJson(repo, t, domain, true, pl)) : [tagJson(repo, t, domain, inc)])));
    }
    if (sub === 'tags' && rest.length === 2 && m === 'GET') {
      const repo = r('read-only');
      const ref = rest[1]!;
      const domain = q.get('domain') ?? undefined;
      const found = ref.startsWith('sha256:') ? repo.tags.filter((t) => t.digest === ref || t.platforms.some((x) => x.digest === ref)) : repo.tags.filter((t) => t.name === ref);
      if (!found.length) throw new HttpError(404, 'NO_SUCH_TAG', 'A tag with the given name does not exist for the given repository.');
      const out: Json[] = [];
      for (const t of found) {
        const platforms = t.platforms.filter((x) => (!q.get('os') || x.os === q.get('os')) && (!q.get('arch') || x.arch === q.get('arch')));
        for (const pl of ref.startsWith('sha256:') ? [undefined] : platforms) {
          const j = tagJson(repo, t, domain, true, pl);
          const counts = pl ? countsOf(pl) : undefined;
          if (counts) j.vuln_summary = { namespace: ns, reponame: name, tag: t.name, ...counts, last_scan_status: 0, check_completed_at: t.updatedAt, should_rescan: false, has_foreign_layers: false };
          out.push(j);
        }
      }
      return ok(out);
    }
    if (sub === 'tags' && rest.length === 2 && m === 'DELETE') {
      const repo = r('read-write');
      const i = repo.tags.findIndex((t) => t.name === rest[1]);
      if (i < 0) throw new HttpError(404, 'NO_SUCH_TAG', 'A tag with the given name does not exist for the given repository.');
      notaryDomain(q, [repo.tags[i]!]);
      event(repo, 'DELETE', u!.name, repo.tags[i]!.name);
      repo.tags.splice(i, 1);
      return ok(undefined, 204);
    }
    if (sub === 'manifests' && rest.length === 2 && m === 'DELETE') {
      const repo = r('read-write');
      const before = repo.tags.length;
      repo.tags = repo.tags.filter((t) => t.digest !== rest[1]);
      if (repo.tags.length === before) throw new HttpError(404, 'NO_SUCH_MANIFEST', 'A manifest with the given digest does not exist.');
      return ok(undefined, 204);
    }
    if (sub === 'manifests' && rest.length === 1 && m === 'GET') {
      const repo = r('read-only');
      return ok(page(repo.tags, (t) => t.digest, q, c.headers).map((t) => manifestJson(t)));
    }
    if (sub === 'tags' && rest.length === 3 && rest[2] === 'promotion' && m === 'POST') {
      const repo = r('read-only');
      if (!st.features.promotionLicensed) throw new HttpError(403, 'NOT_LICENSED', 'Promotion is not licensed');
      const t = repo.tags.find((x) => x.name === rest[1]);
      if (!t) throw new HttpError(404, 'NO_SUCH_TAG', 'A tag with the given name does not exist for the given repository.');
      const [tns, tname] = String(b.targetRepository).split('/');
      const target = need(u, tns ?? '', tname ?? '', 'read-write');
      const copy: TagRec = { ...t, name: String(b.targetTag), updatedAt: now(), promotion: { promotionPolicyID: '', sourceRepository: `${ns}/${name}`, sourceTag: t.name } };
      target.tags = target.tags.filter((x) => x.name !== copy.name).concat(copy);
      event(target, 'PROMOTION', u!.name, copy.name);
      return ok({ promotionPolicyID: '', sourceRepository: `${ns}/${name}`, sourceTag: t.name }, 201);
    }
    if (sub === 'tags' && rest.length === 3 && rest[2] === 'pushMirroring' && m === 'POST') {
      const repo = r('read-only');
      if (!st.features.mirroringLicensed) throw new HttpError(403, 'NOT_LICENSED', 'Mirroring is not licensed');
      requireCredential(b);
      const t = repo.tags.find((x) => x.name === rest[1]);
      if (!t) throw new HttpError(404, 'NO_SUCH_TAG', 'A tag with the given name does not exist for the given repository.');
      if (b.password === 'wrong' || b.authToken === 'wrong') throw new HttpError(400, 'REMOTE_AUTH', 'The remote registry refused the credentials');
      return ok({ mirroringPolicyID: '', digest: t.digest, remoteRepository: b.remoteRepository, remoteTag: b.remoteTag }, 201);
    }
    if (sub === 'events' && rest.length === 1 && m === 'GET') {
      const repo = r('read-only');
      return ok({ events: page(repo.events, (e) => String(e.id), q, c.headers) });
    }
    if (sub === 'webhooks' && rest.length === 1 && m === 'GET') {
      r('admin');
      return ok([...webhooks.values()].filter((w) => w.key === `${ns}/${name}`));
    }
    if (sub === 'teamAccess') {
      const repo = r('admin');
      if (!orgs.has(ns)) throw new HttpError(400, 'NOT_ORG_REPOSITORY', 'Team access applies to organization repositories');
      const org = orgs.get(ns)!;
      const list = () => ({ repository: repoJson(repo), teamAccessList: [...repo.teamAccess].map(([team, accessLevel]) => ({ accessLevel, team: teamJson(org, team, u!) })) });
      if (rest.length === 1 && m === 'GET') {
        const l = list();
        return ok({ ...l, teamAccessList: page(l.teamAccessList, (x) => String(x.team.id), q, c.headers) });
      }
      if (rest.length === 2) {
        if (!org.teams.has(rest[1]!)) throw new HttpError(404, 'NO_SUCH_TEAM', 'A team with the given name does not exist in the organization.');
        if (m === 'PUT') {
          repo.teamAccess.set(rest[1]!, b.accessLevel as AccessLevel);
          return ok(list());
        }
        if (m === 'DELETE') {
          repo.teamAccess.delete(rest[1]!);
          return ok(undefined, 204);
        }
      }
    }
    const kinds: PolicyKind[] = ['pruningPolicies', 'promotionPolicies', 'pollMirroringPolicies', 'pushMirroringPolicies'];
    if (kinds.includes(sub as PolicyKind)) {
      const kind = sub as PolicyKind;
      if (kind !== 'pruningPolicies' && !(kind === 'promotionPolicies' ? st.features.promotionLicensed : st.features.mirroringLicensed)) throw new HttpError(403, 'NOT_LICENSED', 'This feature is not licensed');
      if (rest.length === 1 && m === 'GET') {
        const repo = r('read-only');
        const all = [...repo.policies[kind].values()].map((x) => policyJson(kind, repo, x));
        return ok(kind === 'pruningPolicies' ? page(all, (x) => String(x.id), q, c.headers) : all);
      }
      if (rest.length === 2 && rest[1] === 'test' && m === 'POST' && kind === 'pruningPolicies') {
        const repo = r('admin');
        const rules = checkRules(b.rules);
        const hits = repo.tags.filter((t) => matches(t, rules)).map((t) => ({ name: t.name, digest: t.digest }));
        return ok(page(hits, (x) => x.name, q, c.headers));
      }
      if (rest.length === 1 && m === 'POST') {
        const repo = r('admin');
        if (kind.endsWith('MirroringPolicies')) requireCredential(b);
        if (kind === 'promotionPolicies') {
          const [tns, tname] = String(b.targetRepository).split('/');
          need(u, tns ?? '', tname ?? '', 'admin');
        }
        const rec: Json = { ...b, id: uuid() };
        if (kind !== 'pollMirroringPolicies') rec.rules = checkRules(b.rules);
        delete rec.password;
        delete rec.authToken;
        repo.policies[kind].set(rec.id as string, rec);
        evaluate(kind, repo, rec, q);
        return ok(policyJson(kind, repo, rec), 201);
      }
      if (rest.length === 2) {
        const repo = r(m === 'GET' ? 'read-only' : 'admin');
        const rec = repo.policies[kind].get(rest[1]!);
        if (!rec) throw new HttpError(404, 'NO_SUCH_POLICY', 'A policy with the given id does not exist.');
        if (m === 'GET') return ok(policyJson(kind, repo, rec));
        if (m === 'PUT') {
          // Credentials sent replace the stored ones: sent empty, they would leave the policy unable to sign in.
          if ('password' in b || 'authToken' in b) requireCredential(b);
          for (const [k, v] of Object.entries(b)) if (k !== 'password' && k !== 'authToken') rec[k] = k === 'rules' ? checkRules(v) : v;
          evaluate(kind, repo, rec, q);
          return ok(policyJson(kind, repo, rec));
        }
        if (m === 'DELETE') {
          repo.policies[kind].delete(rest[1]!);
          return ok(undefined, 204);
        }
      }
    }
  }
  return undefined;
}
