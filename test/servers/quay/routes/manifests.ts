/** Quay fake routes: manifests, security, labels and permissions. */
import * as crypto from 'node:crypto';
import { HttpError, avatar, syntheticIndex, type Json, type RepoRec } from '../types';
import type { QuayKit } from '../kit';

export function manifestRoutes(k: QuayKit): void {
  const { users, orgs, security, repoOr404, repoAccess, checkSpecBody, route, ok } = k;

  // manifests, security, labels
  const tagByDigest = (r: RepoRec, digest: string) => r.tags.find((t) => t.digest === digest) ?? r.tags.find((t) => t.list?.includes(digest));
  route('GET', '/api/v1/repository/{repository}/manifest/{manifestref}', ({ params, who }) => {
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:read');
    const digest = decodeURIComponent(params[1]);
    const t = tagByDigest(r, digest);
    if (!t) throw new HttpError(404, 'not_found', 'Not Found');
    const isList = t.digest === digest && !!t.list;
    const data = r.manifests.get(digest) ?? (isList ? JSON.stringify(syntheticIndex(t.list!)) : JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', layers: [] }));
    return ok({ digest, is_manifest_list: isList, manifest_data: data, config_media_type: isList ? null : 'application/vnd.oci.image.config.v1+json', layers_compressed_size: isList ? null : t.size, layers: null });
  });
  route('GET', '/api/v1/repository/{repository}/manifest/{manifestref}/security', ({ params, q, who }) => {
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:read');
    const digest = decodeURIComponent(params[1]);
    if (!tagByDigest(r, digest)) throw new HttpError(404, 'not_found', 'Not Found');
    const report = security.get(digest) ?? { status: 'queued', data: null };
    if (q.get('vulnerabilities') !== 'true' && report.data) {
      const copy = JSON.parse(JSON.stringify(report)) as { data: { Layer: { Features: Json[] } } };
      for (const f of copy.data.Layer.Features) delete f.Vulnerabilities;
      return ok(copy);
    }
    return ok(report);
  });
  route('GET', '/api/v1/repository/{repository}/manifest/{manifestref}/labels', ({ params, who }) => {
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:read');
    return ok({ labels: r.labels.get(decodeURIComponent(params[1])) ?? [] });
  });
  route('POST', '/api/v1/repository/{repository}/manifest/{manifestref}/labels', ({ params, body, who }) => {
    checkSpecBody('/api/v1/repository/{repository}/manifest/{manifestref}/labels', 'POST', body);
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:write');
    const b = body as Json;
    if (!/^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$/i.test(String(b.key))) throw new HttpError(400, 'invalid_request', 'Invalid label key');
    const digest = decodeURIComponent(params[1]);
    if (!tagByDigest(r, digest)) throw new HttpError(404, 'not_found', 'Not Found');
    const label = { id: crypto.randomUUID(), key: b.key, value: b.value, source_type: 'api', media_type: 'text/plain' };
    r.labels.set(digest, [...(r.labels.get(digest) ?? []), label]);
    return ok({ label }, 201);
  });
  route('DELETE', '/api/v1/repository/{repository}/manifest/{manifestref}/labels/{labelid}', ({ params, who }) => {
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:write');
    const digest = decodeURIComponent(params[1]);
    const list = r.labels.get(digest) ?? [];
    if (!list.some((l) => l.id === params[2])) throw new HttpError(404, 'not_found', 'Not Found');
    r.labels.set(digest, list.filter((l) => l.id !== params[2]));
    return { status: 204 };
  });

  // permissions
  for (const kind of ['user', 'team'] as const) {
    route('GET', `/api/v1/repository/{repository}/permissions/${kind}/`, ({ params, who }) => {
      const r = repoOr404(params[0]);
      repoAccess(who, r, 'repo:admin');
      if (kind === 'team' && !orgs.has(r.namespace)) throw new HttpError(400, 'invalid_request', 'Not an organization repository');
      const map = kind === 'user' ? r.userPerms : r.teamPerms;
      return ok({
        permissions: Object.fromEntries(
          [...map].map(([name, role]) => [name, kind === 'user' ? { role, name, is_robot: name.includes('+'), avatar: avatar(name, name.includes('+') ? 'robot' : 'user'), is_org_member: !!orgs.get(r.namespace)?.members.has(name) || name.startsWith(`${r.namespace}+`) } : { role, name, avatar: avatar(name, 'team') }]),
        ),
      });
    });
    route('PUT', `/api/v1/repository/{repository}/permissions/${kind}/{name}`, ({ params, body, who }) => {
      checkSpecBody(`/api/v1/repository/{repository}/permissions/${kind}/${kind === 'user' ? '{username}' : '{teamname}'}`, 'PUT', body);
      const r = repoOr404(params[0]);
      repoAccess(who, r, 'repo:admin');
      const name = decodeURIComponent(params[1]);
      if (kind === 'team' && !orgs.get(r.namespace)?.teams.has(name)) throw new HttpError(400, 'invalid_request', 'Unknown team');
      if (kind === 'user' && !users.has(name) && !name.includes('+')) throw new HttpError(400, 'invalid_request', 'Unknown user');
      const role = String((body as Json).role);
      (kind === 'user' ? r.userPerms : r.teamPerms).set(name, role);
      return ok({ role, name, avatar: avatar(name, kind) });
    });
    route('DELETE', `/api/v1/repository/{repository}/permissions/${kind}/{name}`, ({ params, who }) => {
      const r = repoOr404(params[0]);
      repoAccess(who, r, 'repo:admin');
      const map = kind === 'user' ? r.userPerms : r.teamPerms;
      if (!map.delete(decodeURIComponent(params[1]))) throw new HttpError(400, 'invalid_request', 'No permission');
      return { status: 204 };
    });
  }
}
