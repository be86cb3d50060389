/** Hub fake routes: Repositories, their tags, immutable tags, privacy and group permissions. */
import { HttpError, hash32, type RepoRec } from '../types';
import { readJson, str, bool, strArray, compileRule } from '../request';
import type { HubKit } from '../kit';

export function repositoryRoutes(k: HubKit): void {
  const { canRead, getRepo, namespaceExists, record, repoKey, requireAuth, requireWrite, sortTags, iso, orgs, repos, paginate, repoInfo, repoListEntry, tagJson, route } = k;


  route('GET', '/v2/namespaces/{namespace}/repositories', ({ p, path, q, m }) => {
    const ns = m[0]!;
    if (!namespaceExists(ns)) throw new HttpError(404, 'Namespace not found');
    let list = [...repos.values()].filter((r) => r.namespace === ns && canRead(r, p));
    const name = q.get('name');
    if (name) list = list.filter((r) => r.name.includes(name));
    const ordering = q.get('ordering');
    const orderings = ['name', '-name', 'last_updated', '-last_updated', 'pull_count', '-pull_count'];
    if (ordering && !orderings.includes(ordering)) {
      throw new HttpError(400, 'Invalid ordering value', { ordering: [`Invalid ordering value. Must be one of: ${orderings.join(', ')}`] });
    }
    const key = (ordering ?? 'name').replace(/^-/, '') as 'name' | 'last_updated' | 'pull_count';
    const dir = ordering?.startsWith('-') ? -1 : 1;
    const val = (r: RepoRec) => (key === 'name' ? r.name : key === 'last_updated' ? r.lastUpdated : r.pullCount);
    list.sort((a, b) => (val(a) < val(b) ? -dir : val(a) > val(b) ? dir : a.name.localeCompare(b.name)));
    const pg = paginate(list, path, q, 10, 'null');
    return { status: 200, body: { count: pg.count, ...pg.links, results: pg.slice.map(repoListEntry) } };
  });

  route('POST', '/v2/namespaces/{namespace}/repositories', async ({ req, p, m }) => {
    const ns = m[0]!;
    const who = requireWrite(ns, p, 'write');
    const body = await readJson(req);
    const name = str(body, 'name', true)!;
    const bodyNs = str(body, 'namespace', true)!;
    if (bodyNs !== ns) throw new HttpError(400, 'namespace does not match the path', { namespace: ['Must match the namespace in the path.'] });
    if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(name) || name.length < 2 || name.length > 255) {
      throw new HttpError(400, 'Invalid repository name', { name: ['Use 2-255 lowercase letters, digits and separators.'] });
    }
    const fullDescription = str(body, 'full_description', false) ?? '';
    if (fullDescription.length > 25_000) throw new HttpError(400, 'full_description is too long', { full_description: ['Ensure this field has no more than 25000 characters.'] });
    if (repos.has(repoKey(ns, name))) throw new HttpError(400, `Repository ${ns}/${name} already exists`, { name: ['Repository with this Name and Namespace already exists.'] });
    const r: RepoRec = {
      namespace: ns,
      name,
      description: str(body, 'description', false) ?? '',
      fullDescription,
      isPrivate: bool(body, 'is_private', false) ?? false,
      starCount: 0,
      pullCount: 0,
      lastUpdated: iso(),
      dateRegistered: iso(),
      immutable: { enabled: false, rules: [] },
      tags: [],
      tagIndex: new Map(),
      sorted: true,
    };
    repos.set(repoKey(ns, name), r);
    record(ns, 'repo.create', `${ns}/${name}`, who.name, {}, `created the repository ${ns}/${name}`);
    return { status: 201, body: repoInfo(r, p) };
  });

  route('GET', '/v2/namespaces/{namespace}/repositories/{repository}', ({ p, m }) => ({ status: 200, body: repoInfo(getRepo(m[0]!, m[1]!, p), p) }));

  route('PATCH', '/v2/namespaces/{namespace}/repositories/{repository}/immutabletags', async ({ req, p, m }) => {
    const repo = getRepo(m[0]!, m[1]!, p);
    const who = requireWrite(repo.namespace, p, 'admin', repo);
    const body = await readJson(req);
    const enabled = bool(body, 'immutable_tags', true)!;
    const rules = strArray(body, 'immutable_tags_rules', true)!;
    rules.forEach(compileRule);
    repo.immutable = { enabled, rules: [...rules] };
    record(repo.namespace, 'repo.immutable_tags.update', `${repo.namespace}/${repo.name}`, who.name, { enabled: String(enabled) }, `updated the immutable tags of ${repo.namespace}/${repo.name}`);
    return { status: 200, body: repoInfo(repo, p) };
  });

  route('POST', '/v2/namespaces/{namespace}/repositories/{repository}/immutabletags/verify', async ({ req, p, m }) => {
    const repo = getRepo(m[0]!, m[1]!, p);
    requireAuth(p);
    const body = await readJson(req);
    const re = compileRule(str(body, 'regex', true)!);
    sortTags(repo);
    return { status: 200, body: { tags: repo.tags.filter((t) => re.test(t.name)).map((t) => t.name) } };
  });

  route('GET', '/v2/namespaces/{namespace}/repositories/{repository}/tags', ({ p, path, q, m }) => {
    const repo = getRepo(m[0]!, m[1]!, p);
    sortTags(repo);
    let tags = repo.tags;
    const ordering = q.get('ordering');
    if (ordering === 'name' || ordering === '-name') {
      const dir = ordering === 'name' ? 1 : -1;
      tags = [...tags].sort((a, b) => dir * a.name.localeCompare(b.name));
    }
    const name = q.get('name');
    if (name) tags = tags.filter((t) => t.name.includes(name));
    const pg = paginate(tags, path, q, 10, 'null');
    const repoId = Math.abs(hash32(repoKey(repo.namespace, repo.name)));
    return { status: 200, body: { count: pg.count, ...pg.links, results: pg.slice.map((t) => tagJson(t, repoId)) } };
  });

  route('GET', '/v2/namespaces/{namespace}/repositories/{repository}/tags/{tag}', ({ p, m }) => {
    const repo = getRepo(m[0]!, m[1]!, p);
    const t = repo.tagIndex.get(m[2]!);
    if (!t) throw new HttpError(404, 'Tag not found');
    return { status: 200, body: tagJson(t, Math.abs(hash32(repoKey(repo.namespace, repo.name)))) };
  });

  route('POST', '/v2/repositories/{namespace}/{repository}/groups', async ({ req, p, m }) => {
    const repo = getRepo(m[0]!, m[1]!, p);
    requireWrite(repo.namespace, p, 'admin', repo);
    const body = await readJson(req);
    const groupId = body.group_id;
    const permission = str(body, 'permission', true)!;
    if (typeof groupId !== 'number' || !Number.isInteger(groupId)) throw new HttpError(400, 'group_id must be an integer');
    if (!['read', 'write', 'admin'].includes(permission)) throw new HttpError(400, 'Invalid permission');
    const g = [...(orgs.get(repo.namespace)?.groups.values() ?? [])].find((x) => x.id === groupId);
    if (!g) throw new HttpError(404, 'Group not found');
    return { status: 200, body: { group_name: g.name, permission, group_id: g.id } };
  });

  // Not in the published spec: the repository endpoints Hub's web UI and hub-tool (pkg/hub/repositories.go, tags.go) use.
  route('PATCH', '/v2/repositories/{namespace}/{repository}/', async ({ req, p, m }) => {
    const repo = getRepo(m[0]!, m[1]!, p);
    requireWrite(repo.namespace, p, 'write', repo);
    const body = await readJson(req);
    const description = str(body, 'description', false);
    const fullDescription = str(body, 'full_description', false);
    if (description !== undefined) {
      if (description.length > 100) throw new HttpError(400, 'description is too long', { description: ['Ensure this field has no more than 100 characters.'] });
      repo.description = description;
    }
    if (fullDescription !== undefined) {
      if (fullDescription.length > 25_000) throw new HttpError(400, 'full_description is too long', { full_description: ['Ensure this field has no more than 25000 characters.'] });
      repo.fullDescription = fullDescription;
    }
    repo.lastUpdated = iso();
    return { status: 200, body: repoInfo(repo, p) };
  });

  route('POST', '/v2/repositories/{namespace}/{repository}/privacy/', async ({ req, p, m }) => {
    const repo = getRepo(m[0]!, m[1]!, p);
    const who = requireWrite(repo.namespace, p, 'admin', repo);
    const body = await readJson(req);
    repo.isPrivate = bool(body, 'is_private', true)!;
    record(repo.namespace, 'repo.change_privacy', `${repo.namespace}/${repo.name}`, who.name, { is_private: String(repo.isPrivate) }, `made ${repo.namespace}/${repo.name} ${repo.isPrivate ? 'private' : 'public'}`);
    return { status: 200, body: { is_private: repo.isPrivate } };
  });

  route('DELETE', '/v2/repositories/{namespace}/{repository}/', ({ p, m }) => {
    const repo = getRepo(m[0]!, m[1]!, p);
    const who = requireWrite(repo.namespace, p, 'admin', repo);
    repos.delete(repoKey(repo.namespace, repo.name));
    record(repo.namespace, 'repo.delete', `${repo.namespace}/${repo.name}`, who.name, {}, `deleted the repository ${repo.namespace}/${repo.name}`);
    return { status: 202 };
  });

  route('DELETE', '/v2/repositories/{namespace}/{repository}/tags/{tag}/', ({ p, m }) => {
    const repo = getRepo(m[0]!, m[1]!, p);
    const who = requireWrite(repo.namespace, p, 'admin', repo);
    const t = repo.tagIndex.get(m[2]!);
    if (!t) throw new HttpError(404, 'Tag not found');
    repo.tagIndex.delete(t.name);
    repo.tags.splice(repo.tags.indexOf(t), 1);
    record(repo.namespace, 'repo.tag.delete', `${repo.namespace}/${repo.name}`, who.name, { tag: t.name, digest: t.digest }, `deleted the tag ${t.name} from the repository ${repo.namespace}/${repo.name}`);
    return { status: 204 };
  });
}
