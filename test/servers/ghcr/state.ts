/** The fake GitHub's data: accounts and their tokens (with classic OAuth scopes), organizations, container packages and versions. */
import * as crypto from 'node:crypto';

export interface GhToken {
  login: string;
  scopes: string[];
}

export interface GhVersion {
  id: number;
  digest: string;
  tags: string[];
  created: string;
  updated: string;
  deletedAt?: string;
}

export interface GhPackage {
  id: number;
  name: string;
  owner: string;
  visibility: 'public' | 'private';
  /** `owner/repo` of the linked repository. */
  repository?: string;
  versions: GhVersion[];
  created: string;
  updated: string;
  deletedAt?: string;
}

export interface GhState {
  users: Map<string, { id: number }>;
  /** Organization login → its members' logins and its description. */
  orgs: Map<string, { id: number; members: Set<string>; description: string | null }>;
  tokens: Map<string, GhToken>;
  packages: GhPackage[];
  nextId: number;
}

export function newGhState(): GhState {
  return { users: new Map(), orgs: new Map(), tokens: new Map(), packages: [], nextId: 1000 };
}

/** Adds a user and returns a new token of theirs with `scopes` (e.g. `read:packages`). */
export function addGhUser(s: GhState, login: string, scopes: string[] = ['read:packages'], token = `ghp_${crypto.randomBytes(18).toString('base64url')}`): string {
  if (!s.users.has(login)) s.users.set(login, { id: s.nextId++ });
  s.tokens.set(token, { login, scopes });
  return token;
}

/** A token for an existing user (a second session, another set of scopes). */
export function addGhToken(s: GhState, login: string, scopes: string[], token = `gho_${crypto.randomBytes(18).toString('base64url')}`): string {
  s.tokens.set(token, { login, scopes });
  return token;
}

export function addGhOrg(s: GhState, login: string, members: string[], description: string | null = null): void {
  s.orgs.set(login, { id: s.nextId++, members: new Set(members), description });
}

export function addGhPackage(s: GhState, owner: string, name: string, opts: { visibility?: 'public' | 'private'; repository?: string } = {}): GhPackage {
  const now = new Date(Date.UTC(2026, 0, 2)).toISOString();
  const p: GhPackage = { id: s.nextId++, name, owner, visibility: opts.visibility ?? 'private', repository: opts.repository, versions: [], created: now, updated: now };
  s.packages.push(p);
  return p;
}

/** Adds a version (newest first, as GitHub lists them) with the manifest digest the registry serves. */
export function addGhVersion(s: GhState, p: GhPackage, digest: string, tags: string[], at = new Date(Date.UTC(2026, 0, 3, 0, p.versions.length)).toISOString()): GhVersion {
  for (const v of p.versions) v.tags = v.tags.filter((t) => !tags.includes(t));
  const v: GhVersion = { id: s.nextId++, digest, tags: [...tags], created: at, updated: at };
  p.versions.unshift(v);
  p.updated = at;
  return v;
}

export function isOrg(s: GhState, login: string): boolean {
  return [...s.orgs.keys()].some((o) => o.toLowerCase() === login.toLowerCase());
}

export function canonicalOwner(s: GhState, login: string): string | undefined {
  return [...s.orgs.keys(), ...s.users.keys()].find((o) => o.toLowerCase() === login.toLowerCase());
}

/** Whether `who` may read the package: public, their own, or their organization's. */
export function canRead(s: GhState, p: GhPackage, who: string | undefined): boolean {
  return p.visibility === 'public' || (!!who && canAdmin(s, p, who));
}

/** Whether `who` may delete and restore it: their own package or their organization's. */
export function canAdmin(s: GhState, p: GhPackage, who: string): boolean {
  return p.owner === who || !!s.orgs.get(p.owner)?.members.has(who);
}

/** Whether a token's classic scopes grant `scope` (`write:packages` includes `read:packages`). */
export function hasScope(t: GhToken, scope: string): boolean {
  return t.scopes.includes(scope) || (scope === 'read:packages' && t.scopes.includes('write:packages'));
}
