/** Quay fake routes: auto-prune and immutability policies, proxy cache and quota. */
import * as crypto from 'node:crypto';
import { HttpError, text, type Json, type TokenRec } from '../types';
import type { QuayKit } from '../kit';

export function policyRoutes(k: QuayKit): void {
  const { repoOr404, repoAccess, orgAdmin, bad, route, ok } = k;

  // policies
  const policyRoutes = (kind: 'autoprunepolicy' | 'immutabilitypolicy', level: 'organization' | 'repository') => {
    const base = level === 'organization' ? `/api/v1/organization/{orgname}/${kind}/` : `/api/v1/repository/{repository}/${kind}/`;
    const list = (params: string[], who?: TokenRec): Json[] => {
      if (level === 'organization') {
        const o = orgAdmin(who, params[0]);
        return kind === 'autoprunepolicy' ? o.autoprune : o.immutability;
      }
      const r = repoOr404(params[0]);
      repoAccess(who, r, 'repo:admin');
      return kind === 'autoprunepolicy' ? r.autoprune : r.immutability;
    };
    const check = (method: string, b: unknown): Json => {
      const o = (b ?? {}) as Json;
      if (typeof b !== 'object' || b === null) bad(base, method, 'body must be an object');
      if (kind === 'autoprunepolicy') {
        for (const k of Object.keys(o)) if (!['method', 'value', 'tagPattern', 'tagPatternMatches'].includes(k)) bad(base, method, `unknown key ${k}`);
        if (o.method === 'number_of_tags') {
          if (!Number.isInteger(o.value) || (o.value as number) < 1) bad(base, method, 'value must be a positive integer for number_of_tags');
        } else if (o.method === 'creation_date') {
          if (typeof o.value !== 'string' || !/^\d+[smhdwy]$/.test(o.value)) bad(base, method, 'value must be a duration such as 7d for creation_date');
        } else bad(base, method, 'method must be number_of_tags or creation_date');
      } else {
        for (const k of Object.keys(o)) if (!['tagPattern', 'tagPatternMatches'].includes(k)) bad(base, method, `unknown key ${k}`);
        if (typeof o.tagPattern !== 'string' || !o.tagPattern) bad(base, method, 'tagPattern is required');
      }
      if (o.tagPattern !== undefined) {
        try {
          new RegExp(text(o.tagPattern));
        } catch {
          throw new HttpError(400, 'invalid_request', 'Invalid tagPattern');
        }
      }
      if (o.tagPatternMatches !== undefined && typeof o.tagPatternMatches !== 'boolean') bad(base, method, 'tagPatternMatches must be a boolean');
      return o;
    };
    route('GET', base, ({ params, who }) => ok({ policies: list(params, who) }));
    route('POST', base, ({ params, body, who }) => {
      const b = check('POST', body);
      const l = list(params, who);
      const uuid = crypto.randomUUID();
      l.push(kind === 'autoprunepolicy' ? { uuid, method: b.method, value: b.value, tagPattern: b.tagPattern ?? null, tagPatternMatches: b.tagPatternMatches ?? true } : { uuid, tagPattern: b.tagPattern, tagPatternMatches: b.tagPatternMatches ?? true });
      return ok({ uuid }, 201);
    });
    route('GET', `${base}{policy_uuid}`, ({ params, who }) => {
      const p = list(params, who).find((x) => x.uuid === params[1]);
      if (!p) throw new HttpError(404, 'not_found', 'Not Found');
      return ok(p);
    });
    route('PUT', `${base}{policy_uuid}`, ({ params, body, who }) => {
      const b = check('PUT', body);
      const p = list(params, who).find((x) => x.uuid === params[1]);
      if (!p) throw new HttpError(404, 'not_found', 'Not Found');
      Object.assign(p, b, { tagPattern: b.tagPattern ?? null });
      return ok({ uuid: p.uuid });
    });
    route('DELETE', `${base}{policy_uuid}`, ({ params, who }) => {
      const l = list(params, who);
      const i = l.findIndex((x) => x.uuid === params[1]);
      if (i < 0) throw new HttpError(404, 'not_found', 'Not Found');
      l.splice(i, 1);
      return ok({ uuid: params[1] });
    });
  };
  for (const kind of ['autoprunepolicy', 'immutabilitypolicy'] as const) for (const level of ['organization', 'repository'] as const) policyRoutes(kind, level);

  // proxy cache (Quay's proxy_cache_view; an empty upstream when none is configured)
  const proxyTpl = '/api/v1/organization/{orgname}/proxycache';
  const PROXY_KEYS = ['upstream_registry', 'upstream_registry_username', 'upstream_registry_password', 'expiration_s', 'insecure'];
  route('GET', proxyTpl, ({ params, who }) => {
    const o = orgAdmin(who, params[0]);
    const c = o.proxyCache;
    return ok({ upstream_registry: c ? c.upstream_registry : '', expiration_s: c ? c.expiration_s : null, insecure: c ? c.insecure : false });
  });
  route('POST', proxyTpl, ({ params, body, who }) => {
    const b = (body ?? {}) as Json;
    if (typeof body !== 'object' || body === null || Object.keys(b).some((k) => !PROXY_KEYS.includes(k))) bad(proxyTpl, 'POST', 'unknown key');
    if (typeof b.upstream_registry !== 'string' || !b.upstream_registry) bad(proxyTpl, 'POST', 'upstream_registry is required');
    if (b.expiration_s !== undefined && !Number.isInteger(b.expiration_s)) bad(proxyTpl, 'POST', 'expiration_s must be an integer');
    const o = orgAdmin(who, params[0]);
    if (o.proxyCache) throw new HttpError(400, 'invalid_request', 'Proxy cache configuration already exists');
    o.proxyCache = { upstream_registry: b.upstream_registry, expiration_s: b.expiration_s ?? 86400, insecure: b.insecure ?? false, upstream_registry_username: b.upstream_registry_username ?? null };
    return ok('Created', 201);
  });
  // Quay's ProxyCacheConfigValidation: it logs in to the upstream with the given credentials; 202 "Valid" (or
  // "Anonymous" without credentials), 400 when the upstream cannot be reached or refuses them. Here an upstream on
  // the reserved `.invalid` domain cannot be reached, and `badpass` is a password every upstream refuses.
  const validateTpl = '/api/v1/organization/{orgname}/validateproxycache';
  route('POST', validateTpl, ({ params, body, who }) => {
    const b = (body ?? {}) as Json;
    if (typeof body !== 'object' || body === null || Object.keys(b).some((k) => !PROXY_KEYS.includes(k))) bad(validateTpl, 'POST', 'unknown key');
    if (typeof b.upstream_registry !== 'string' || !b.upstream_registry) bad(validateTpl, 'POST', 'upstream_registry is required');
    orgAdmin(who, params[0]);
    const host = String(b.upstream_registry).split('/')[0];
    if (/\.invalid(:\d+)?$/i.test(host) || b.upstream_registry_password === 'badpass') throw new HttpError(400, 'invalid_request', 'Failed to validate Proxy cache configuration');
    return ok(b.upstream_registry_username ? 'Valid' : 'Anonymous', 202);
  });
  route('DELETE', proxyTpl, ({ params, who }) => {
    const o = orgAdmin(who, params[0]);
    if (!o.proxyCache) throw new HttpError(404, 'not_found', 'Not Found');
    delete o.proxyCache;
    return { status: 204 };
  });

  // quota
  route('GET', '/api/v1/organization/{orgname}/quota', ({ params, who }) => ok(orgAdmin(who, params[0], 'user:read').quota));
}
