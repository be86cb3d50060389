import { RegistryError } from './errors';

/**
 * URL rules shared by every provider: a registry URL is an http(s) origin with an optional path prefix and nothing
 * else (no user part, query or fragment, which would change where requests go), and request URLs are built from it
 * with `new URL(path, base)`, never by string concatenation.
 */

/** The registry URL without trailing slashes; a RegistryError ('config') when it is not a plain http(s) base URL. */
export function checkRegistryUrl(raw: string, field = 'url'): string {
  const s = raw.trim();
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw new RegistryError('config', `"${field}" is not a valid URL`);
  }
  if ((u.protocol !== 'https:' && u.protocol !== 'http:') || !u.hostname) throw new RegistryError('config', `"${field}" must be an http(s) URL`);
  if (u.username || u.password || s.slice(0, s.indexOf(u.host)).includes('@')) throw new RegistryError('config', `"${field}" must not contain a user name or password (use Sign In)`);
  // `new URL('https://h/#').hash` is empty: look at the text itself.
  if (s.includes('?') || s.includes('#')) throw new RegistryError('config', `"${field}" must not contain a query (?) or fragment (#)`);
  return s.replace(/\/+$/, '');
}

/**
 * An absolute URL for an API path under a base URL checked by `checkRegistryUrl` (a path prefix of the base is
 * kept: `https://h/prefix` + `/v2/x` → `https://h/prefix/v2/x`). Query parameters are set through URLSearchParams.
 */
export function apiUrl(base: string, path: string, query?: Record<string, string | number | undefined>): URL {
  const prefix = baseUrl(base);
  const u = new URL(path.replace(/^\/+/, ''), prefix);
  if (u.origin !== prefix.origin) throw new RegistryError('config', 'A request path left the registry');
  if (query) {
    const params = new URLSearchParams();
    for (const k in query) {
      const v = query[k];
      if (v !== undefined && v !== '') params.set(k, String(v));
    }
    // Set once: each change through u.searchParams serialises the whole URL again.
    if (params.size) u.search = params.toString();
  }
  return u;
}

/** Parsed base URLs (with the trailing slash that keeps a path prefix), so a listing does not parse its base per page. */
const bases = new Map<string, URL>();

function baseUrl(base: string): URL {
  let u = bases.get(base);
  if (!u) {
    if (bases.size >= 64) bases.clear();
    u = new URL(base.replace(/\/*$/, '/'));
    bases.set(base, u);
  }
  return u;
}

/** What a link confirmation shows: the URL and, on its own line, the host it really opens. */
export interface LinkTarget {
  url: string;
  host: string;
}

/**
 * A link from registry data that may be opened after confirmation, or the reason it may not: only http(s), and
 * never with a user part (`https://hub.docker.com@evil.example/` opens evil.example).
 */
export function linkTarget(raw: string): LinkTarget | { refused: string } {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return { refused: 'The link is not a valid URL.' };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return { refused: `Links with the ${u.protocol} scheme are not opened.` };
  if (u.username || u.password) return { refused: `The link hides its real host (${u.host}) behind a user name; it is not opened.` };
  return { url: u.toString(), host: u.host };
}
