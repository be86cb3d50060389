/** Authentication of the OCI fake: Basic, or the Bearer token challenge with its own `/token` endpoint. */
import * as crypto from 'node:crypto';
import type * as http from 'node:http';
import { corrupt, send } from './respond';
import { DEFAULT_SERVICE, SCOPE_RE, errorBody, type OciFault, type OciRequestKind, type OciRequestLogEntry, type OciServerOptions, type TokenGrant } from './types';

/** Shared by every instance, so one instance can be the token realm of another. */
export const tokenStore = new Map<string, TokenGrant>();

export function ociAuth(options: OciServerOptions, now: () => number, issued: Set<string>, st: { baseUrl: string }) {
  function authKind(h: string | undefined): OciRequestLogEntry['auth'] {
    if (!h) return 'none';
    if (/^basic /i.test(h)) return 'basic';
    if (/^bearer /i.test(h)) return 'bearer';
    return 'other';
  }

  function basicOk(h: string | undefined, username?: string, password?: string): boolean | undefined {
    if (!h || !/^basic /i.test(h)) return undefined;
    const decoded = Buffer.from(h.slice(6).trim(), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i < 0) return false;
    return decoded.slice(0, i) === username && decoded.slice(i + 1) === password;
  }

  /** Scope a request needs under token auth (undefined: any valid token, as for `/v2/`). */
  function requiredScope(kind: OciRequestKind, method: string, name?: string): string | undefined {
    if (kind === 'catalog') return 'registry:catalog:*';
    if (!name) return undefined;
    if (method === 'DELETE') return `repository:${name}:delete`;
    if (method === 'PUT' || method === 'POST' || method === 'PATCH') return `repository:${name}:push`;
    return `repository:${name}:pull`;
  }

  /** Returns true when the request may proceed; otherwise answers 401 itself. */
  function checkAuth(req: http.IncomingMessage, res: http.ServerResponse, kind: OciRequestKind, name?: string): boolean {
    const auth = options.auth;
    if (!auth) return true;
    const h = req.headers.authorization;
    if (auth.type === 'basic') {
      if (basicOk(h, auth.username, auth.password)) return true;
      send(res, 401, errorBody('UNAUTHORIZED', 'authentication required'), {
        'WWW-Authenticate': 'Basic realm="Registry Realm"',
      });
      return false;
    }
    const scope = requiredScope(kind, req.method ?? 'GET', name);
    let insufficient = false;
    const realm = auth.realm ?? `${st.baseUrl}/token`;
    const service = auth.service ?? DEFAULT_SERVICE;
    if (h && /^bearer /i.test(h)) {
      const grant = tokenStore.get(h.slice(7).trim());
      // A token is bound to the realm that issued it and the service it names: registry B refuses registry A's.
      if (grant && grant.expiresAt > now() && grant.realm === realm && grant.service === service) {
        if (!scope || grant.access.has(scope)) return true;
        insufficient = true;
      }
    }
    const parts = [`realm="${realm}"`, `service="${service}"`];
    if (scope) parts.push(`scope="${scope}"`);
    if (insufficient) parts.push('error="insufficient_scope"');
    send(res, 401, errorBody('UNAUTHORIZED', 'authentication required'), { 'WWW-Authenticate': `Bearer ${parts.join(',')}` });
    return false;
  }

  function serveToken(req: http.IncomingMessage, res: http.ServerResponse, q: URLSearchParams, fault?: OciFault): void {
    const auth = options.auth;
    if (!auth || auth.type !== 'bearer') return send(res, 404, errorBody('NOT_FOUND', 'no token service here'));
    const h = req.headers.authorization;
    // Another scheme is not "anonymous": token servers answer 401.
    if (h !== undefined && !/^basic /i.test(h)) return send(res, 401, JSON.stringify({ details: 'unsupported authorization scheme' }));
    const ok = basicOk(h, auth.username, auth.password);
    if (ok === false) return send(res, 401, JSON.stringify({ details: 'invalid credentials' }));
    const service = auth.service ?? DEFAULT_SERVICE;
    if (q.get('service') !== service) return send(res, 400, JSON.stringify({ details: `unknown service ${JSON.stringify(q.get('service'))}` }));
    const scopes = q.getAll('scope').flatMap((v) => v.split(' ')).filter(Boolean);
    const bad = scopes.find((s) => !SCOPE_RE.test(s));
    if (bad !== undefined) return send(res, 400, JSON.stringify({ details: `invalid scope ${JSON.stringify(bad)}` }));
    const access = new Set<string>();
    for (const s of scopes) {
      const [type, ...rest] = s.split(':');
      const actions = (rest.pop() ?? '').split(',');
      const resource = rest.join(':');
      for (const a of actions) {
        const allowed = ok === true || (auth.anonymousPull && (a === 'pull' || (type === 'registry' && a === '*')));
        if (allowed) access.add(`${type}:${resource}:${a}`);
      }
    }
    const token = 'tok-' + crypto.randomBytes(18).toString('hex');
    const lifetime = auth.tokenLifetimeSeconds === undefined ? 300 : auth.tokenLifetimeSeconds;
    // Bound to the realm this registry's challenges name (its own /token, or a front end such as Quay's /v2/auth that
    // forwards here).
    tokenStore.set(token, { access, expiresAt: now() + (lifetime ?? 60) * 1000, realm: auth.realm ?? `${st.baseUrl}/token`, service });
    issued.add(token);
    const field = auth.tokenField ?? 'both';
    const body: Record<string, unknown> = { issued_at: new Date(now()).toISOString() };
    if (field !== 'access_token') body.token = token;
    if (field !== 'token') body.access_token = token;
    if (lifetime !== null) body.expires_in = lifetime;
    let text = JSON.stringify(body);
    if (fault?.action === 'malformed') text = text.slice(0, Math.floor(text.length / 2));
    else if (fault?.action === 'wrongType') text = corrupt(text, fault);
    send(res, 200, text);
  }


  return { authKind, checkAuth, serveToken };
}
