/** Reads the claims of a Hub access token (a JWT) without verifying it: only to schedule refresh and name the user. */
export interface HubTokenClaims {
  /** Expiry, ms since the epoch. */
  expiresAt?: number;
  username?: string;
}

export function readHubTokenClaims(token: string): HubTokenClaims {
  const parts = token.split('.');
  if (parts.length !== 3) return {};
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
  } catch {
    return {};
  }
  if (typeof payload !== 'object' || payload === null) return {};
  const p = payload as Record<string, unknown>;
  const claims: HubTokenClaims = {};
  if (typeof p.exp === 'number' && Number.isFinite(p.exp)) claims.expiresAt = p.exp * 1000;
  // Hub puts account facts in a namespaced claim; `username` at the top level is accepted too.
  const hubClaims = p['https://hub.docker.com'];
  const nested = typeof hubClaims === 'object' && hubClaims !== null ? (hubClaims as Record<string, unknown>).username : undefined;
  const name = typeof nested === 'string' ? nested : typeof p.username === 'string' ? p.username : undefined;
  if (name) claims.username = name;
  return claims;
}
