/** Quay fake routes: notifications and mirroring. */
import * as crypto from 'node:crypto';
import { HttpError, EVENTS, METHOD_KEYS, MIRROR_KEYS, text, type Json } from '../types';
import type { QuayKit } from '../kit';

export function notificationRoutes(k: QuayKit): void {
  const { orgs, repoOr404, repoAccess, checkSpecBody, bad, route, ok } = k;

  // notifications
  route('GET', '/api/v1/repository/{repository}/notification/', ({ params, who }) => {
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:admin');
    return ok({ notifications: r.notifications });
  });
  route('POST', '/api/v1/repository/{repository}/notification/', ({ params, body, who }) => {
    const tpl = '/api/v1/repository/{repository}/notification/';
    checkSpecBody(tpl, 'POST', body);
    const b = body as { event: string; method: string; config: Json; eventConfig: Json; title?: string };
    if (!EVENTS.has(b.event)) bad(tpl, 'POST', `unknown event ${b.event}`);
    const keys = METHOD_KEYS[b.method];
    if (!keys) bad(tpl, 'POST', `unknown method ${b.method}`);
    for (const k of keys) if (b.config[k] === undefined || b.config[k] === '') throw new HttpError(400, 'invalid_request', `Missing ${k} for ${b.method}`);
    if (b.method === 'quay_notification') {
      const t = b.config.target as Json;
      if (!t || typeof t !== 'object' || !['user', 'team', 'org'].includes(String(t.kind)) || typeof t.name !== 'string') throw new HttpError(400, 'invalid_request', 'Invalid target');
    }
    if (b.event === 'repo_image_expiry' && !Number.isInteger(b.eventConfig.days)) throw new HttpError(400, 'invalid_request', 'days is required for repo_image_expiry');
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:admin');
    const n = { uuid: crypto.randomUUID(), title: b.title ?? null, event: b.event, method: b.method, config: b.config, event_config: b.eventConfig, number_of_failures: 0 };
    r.notifications.push(n);
    return ok(n, 201);
  });
  route('DELETE', '/api/v1/repository/{repository}/notification/{uuid}', ({ params, who }) => {
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:admin');
    const before = r.notifications.length;
    r.notifications = r.notifications.filter((n) => n.uuid !== params[1]);
    if (r.notifications.length === before) throw new HttpError(404, 'not_found', 'Not Found');
    return { status: 204 };
  });
  route('POST', '/api/v1/repository/{repository}/notification/{uuid}', ({ params, who }) => {
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:admin');
    const n = r.notifications.find((x) => x.uuid === params[1]);
    if (!n) throw new HttpError(404, 'not_found', 'Not Found');
    n.number_of_failures = 0;
    return { status: 204 };
  });
  route('POST', '/api/v1/repository/{repository}/notification/{uuid}/test', ({ params, who }) => {
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:admin');
    if (!r.notifications.some((x) => x.uuid === params[1])) throw new HttpError(400, 'invalid_request', 'No such notification');
    return ok({});
  });

  // mirror
  const mirrorTpl = '/api/v1/repository/{repository}/mirror';
  const checkMirror = (method: string, b: unknown, full: boolean): Json => {
    if (!b || typeof b !== 'object' || Array.isArray(b)) bad(mirrorTpl, method, 'body must be an object');
    const o = b as Json;
    for (const k of Object.keys(o)) if (!MIRROR_KEYS.has(k)) bad(mirrorTpl, method, `unknown key ${k}`);
    if (full) for (const k of ['external_reference', 'sync_interval', 'sync_start_date', 'root_rule', 'robot_username']) if (o[k] === undefined) bad(mirrorTpl, method, `${k} is required`);
    if (o.sync_start_date !== undefined && (typeof o.sync_start_date !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(o.sync_start_date))) bad(mirrorTpl, method, 'sync_start_date must be YYYY-MM-DDTHH:MM:SSZ');
    if (o.sync_interval !== undefined && !Number.isInteger(o.sync_interval)) bad(mirrorTpl, method, 'sync_interval must be an integer');
    if (o.root_rule !== undefined) {
      const rr = o.root_rule as Json;
      if (!rr || rr.rule_kind !== 'tag_glob_csv' || !Array.isArray(rr.rule_value)) bad(mirrorTpl, method, 'root_rule must be {rule_kind: tag_glob_csv, rule_value: [...]}');
    }
    return o;
  };
  const mirrorView = (m: Json): Json => {
    const rest = { ...m };
    delete rest.external_registry_password;
    return rest;
  };
  route('GET', mirrorTpl, ({ params, who }) => {
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:admin');
    if (!r.mirror) throw new HttpError(404, 'not_found', 'Not Found');
    return ok(mirrorView(r.mirror));
  });
  route('POST', mirrorTpl, ({ params, body, who }) => {
    const b = checkMirror('POST', body, true);
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:admin');
    if (r.mirror) throw new HttpError(409, 'invalid_request', 'Mirror configuration already exists');
    const robot = String(b.robot_username);
    if (!orgs.get(r.namespace)?.robots.has(robot)) throw new HttpError(400, 'invalid_request', 'Invalid robot');
    r.mirror = { is_enabled: true, mirror_type: 'PULL', external_registry_username: null, external_registry_config: {}, sync_expiration_date: null, sync_retries_remaining: 3, sync_status: 'NEVER_RUN', skopeo_timeout_interval: 300, architecture_filter: [], ...b };
    return ok('', 201);
  });
  route('PUT', mirrorTpl, ({ params, body, who }) => {
    const b = checkMirror('PUT', body, false);
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:admin');
    if (!r.mirror) throw new HttpError(404, 'not_found', 'Not Found');
    if (b.robot_username !== undefined && !orgs.get(r.namespace)?.robots.has(text(b.robot_username))) throw new HttpError(400, 'invalid_request', 'Invalid robot');
    Object.assign(r.mirror, b);
    return ok('', 201);
  });
  for (const action of ['sync-now', 'sync-cancel'] as const) {
    route('POST', `${mirrorTpl}/${action}`, ({ params, who }) => {
      const r = repoOr404(params[0]);
      repoAccess(who, r, 'repo:admin');
      if (!r.mirror) throw new HttpError(404, 'not_found', 'Not Found');
      if (action === 'sync-now') {
        if (r.mirror.sync_status === 'SYNCING') throw new HttpError(404, 'not_found', 'Sync in progress');
        r.mirror.sync_status = 'SYNC_NOW';
      } else {
        if (r.mirror.sync_status !== 'SYNCING' && r.mirror.sync_status !== 'SYNC_NOW') throw new HttpError(404, 'not_found', 'No sync to cancel');
        r.mirror.sync_status = 'CANCEL';
      }
      return { status: 204 };
    });
  }
}
