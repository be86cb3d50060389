import type * as s from './schemas';

/** What the admin model sends to DTR: repository settings, policy and remote-registry bodies. */

/** Settings of a repository as the admin model edits them (both API shapes). */
export interface RepoSettings {
  shortDescription: string;
  longDescription: string;
  visibility: s.Visibility;
  scanOnPush: boolean;
  immutableTags: boolean;
  enableManifestLists: boolean;
  tagLimit: number;
}

export interface PolicyInput {
  enabled: boolean;
  rules: s.RuleInput[];
}
export interface PromotionPolicyInput extends PolicyInput {
  targetRepository: string;
  tagTemplate: string;
}
/** Remote registry credentials: a password or a token (never stored by the product, never logged). */
export interface RemoteInput {
  remoteHost: string;
  remoteRepository: string;
  remoteCA: string;
  skipTLSVerification: boolean;
  username: string;
  password?: string;
  authToken?: string;
}
export interface PushMirroringPolicyInput extends RemoteInput, PolicyInput {
  tagTemplate: string;
}
export interface PollMirroringPolicyInput extends RemoteInput {
  enabled: boolean;
}

export type PolicyKind = 'pruningPolicies' | 'promotionPolicies' | 'pollMirroringPolicies' | 'pushMirroringPolicies';

/**
 * The forms require both `password` and `authToken` (a defect: DTR takes either); the one not given is sent empty so
 * the body has every required field.
 */
export function remoteBody(r: RemoteInput): Record<string, unknown> {
  return {
    remoteHost: r.remoteHost,
    remoteRepository: r.remoteRepository,
    remoteCA: r.remoteCA,
    skipTLSVerification: r.skipTLSVerification,
    username: r.username,
    password: r.password ?? '',
    authToken: r.authToken ?? '',
  };
}

export function pruningBody(v: PolicyInput): Record<string, unknown> {
  return { rules: v.rules, enabled: v.enabled };
}
export function promotionBody(v: PromotionPolicyInput): Record<string, unknown> {
  return { rules: v.rules, targetRepository: v.targetRepository, tagTemplate: v.tagTemplate, enabled: v.enabled };
}
export function pushMirroringBody(v: PushMirroringPolicyInput): Record<string, unknown> {
  return { ...remoteBody(v), rules: v.rules, tagTemplate: v.tagTemplate, enabled: v.enabled };
}
export function pollMirroringBody(v: PollMirroringPolicyInput): Record<string, unknown> {
  return { ...remoteBody(v), enabled: v.enabled };
}
