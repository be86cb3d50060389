import type { Scope } from '../../admin';
import type { DeletePlan } from '../../provider';
import { orUndefinedOn403, type DtrApi, type RemoteInput } from '../api';
import * as s from '../schemas';

/** What the admin model needs of its provider (an interface, so the two modules do not import each other). */
export interface DtrAdminHost {
  readonly api: DtrApi;
  features(signal?: AbortSignal): Promise<s.DtrFeatures>;
  planDeleteManifest(repository: string, tag: string, signal?: AbortSignal): Promise<DeletePlan>;
  deleteTag(plan: DeletePlan, signal?: AbortSignal): Promise<void>;
}

export type Creds = { auth: 'keep' } | { auth: 'password'; password: string } | { auth: 'token'; authToken: string };

/** Remote fields and credentials for the API; credentials go into the request body and nowhere else. */
export function remote(v: { remoteHost: string; remoteRepository: string; username: string; remoteCA: string; skipTLSVerification: boolean; credentials: Creds }): RemoteInput {
  const r: RemoteInput = { remoteHost: v.remoteHost, remoteRepository: v.remoteRepository, username: v.username, remoteCA: v.remoteCA, skipTLSVerification: v.skipTLSVerification };
  if (v.credentials.auth === 'password') r.password = v.credentials.password;
  if (v.credentials.auth === 'token') r.authToken = v.credentials.authToken;
  return r;
}

export function ruleText(r: s.DtrRule): string {
  return `${r.field} ${r.operator} ${r.values.join(', ')}`;
}

export function rulesToInput(rules: s.DtrRule[]): s.RuleInput[] {
  return rules.filter((r): r is s.RuleInput => s.ruleInput.safeParse(r).success);
}

export const levelRank: Record<s.AccessLevel, number> = { 'read-only': 1, 'read-write': 2, admin: 3 };

/** On update, credentials left as "keep" are not sent (the update forms have no required fields). */
export function stripEmptyCredentials(body: Record<string, unknown>): Record<string, unknown> {
  const out = { ...body };
  if (out.password === '') delete out.password;
  if (out.authToken === '') delete out.authToken;
  return out;
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * What one admin model knows about its connection, shared by the resource families: feature flags, the user's
 * access levels and whether they administer DTR or a namespace. The provider builds a new model (and context) when
 * the credentials change.
 */
export type AdminContext = ReturnType<typeof adminContext>;

export function adminContext(p: DtrAdminHost) {
  const api = p.api;
  const access = new Map<string, s.AccessLevel>();
  let features: s.DtrFeatures | undefined;
  let isAdmin: Promise<boolean> | undefined;

  const loadFeatures = async (signal?: AbortSignal): Promise<s.DtrFeatures | undefined> => {
    try {
      features = await p.features(signal);
    } catch {
      // Unknown: nothing is hidden, the server has the last word.
    }
    return features;
  };
  const scanning = () => !features || (features.scanningLicensed && features.scanningEnabled);
  const promotion = () => !features || features.promotionLicensed;
  const mirroring = () => !features || features.mirroringLicensed;

  /** The signed-in user's access to a repository (cached; unknown when DTR will not say). */
  const myAccess = async (repository: string, signal?: AbortSignal): Promise<s.AccessLevel | undefined> => {
    const known = access.get(repository);
    if (known) return known;
    try {
      const level = await api.myAccess(repository, signal);
      if (level) access.set(repository, level);
      return level;
    } catch {
      return undefined;
    }
  };
  const atLeast = (repository: string | undefined, level: s.AccessLevel): boolean => {
    if (!repository) return true;
    const l = access.get(repository);
    return l === undefined || levelRank[l] >= levelRank[level];
  };
  // Shared probes are not tied to one caller's signal: a cancelled expansion must not answer "no" for the others.
  const adminOnly = (_signal?: AbortSignal): Promise<boolean> => {
    isAdmin ??= orUndefinedOn403(api.clusterStatus()).then(
      (r) => r !== undefined,
      () => {
        isAdmin = undefined;
        return false;
      },
    );
    return isAdmin;
  };
  /** Whether the user may administer a namespace: probed once per namespace with a cheap admin-only read (403: no). */
  const namespaceProbe = new Map<string, Promise<boolean>>();
  const namespaceAdmin = (namespace: string, _signal?: AbortSignal): Promise<boolean> => {
    let probe = namespaceProbe.get(namespace);
    if (!probe) {
      probe = orUndefinedOn403(api.webhooks({ namespace })).then(
        (r) => r !== undefined,
        () => {
          namespaceProbe.delete(namespace);
          return false;
        },
      );
      namespaceProbe.set(namespace, probe);
    }
    return probe;
  };
  const repoAdmin = async (scope: Scope, signal?: AbortSignal) => {
    if (!scope.repository) return false;
    const l = await myAccess(scope.repository, signal);
    return l === undefined || l === 'admin';
  };

  return { p, api, access, loadFeatures, scanning, promotion, mirroring, myAccess, atLeast, adminOnly, namespaceAdmin, repoAdmin };
}
