import * as z from 'zod';
import { t } from './l10n';

/** What the help of a URL field that accepts plain http says about it. */
export const PLAIN_HTTP_WARNING = 'A plain http:// URL sends everything, credentials included, unencrypted.';

export interface UrlFieldOptions {
  /** Accept `http:` besides `https:` (where the server allows it); the field's help then warns about it. */
  allowHttp?: boolean;
  /** Help text of the field; with `allowHttp`, the plain-http warning is appended. */
  description?: string;
}

/** Why `value` is not an acceptable URL, or undefined when it is (an absolute https: or http: URL with a host). */
export function urlProblem(value: string, opts: UrlFieldOptions = {}): string | undefined {
  const expected = opts.allowHttp ? 'an http(s) URL such as https://example.com' : 'an https:// URL such as https://example.com';
  const must = `must be ${expected}`;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return must;
  }
  // Only the scheme and an explicit host count: `javascript:`, `data:`, `file:` and `https:example.com` are not URLs here.
  const scheme = u.protocol;
  if (scheme !== 'https:' && !(opts.allowHttp && scheme === 'http:')) return `${must} (${scheme} is not accepted)`;
  if (!u.hostname || !/^https?:\/\//i.test(value)) return must;
  if (u.username || u.password) return 'must not contain credentials (a user name or password)';
  return undefined;
}

/** True when `value` is a plain-http URL (for a confirmation that names the risk). */
export function isPlainHttp(value: string): boolean {
  return /^http:\/\//i.test(value.trim());
}

/**
 * The one URL field of every form (webhooks, remote registries, notifications, mirrors): trimmed, required, only
 * `https:` (and `http:` with `allowHttp`, whose help then says it is unencrypted); never `javascript:`, `file:`,
 * `data:`, a URL with credentials, or text that is no URL. Chain `.meta({ title, placeholder })` for the rest.
 */
export function urlField(opts: UrlFieldOptions = {}) {
  const description = opts.allowHttp ? [opts.description, PLAIN_HTTP_WARNING].filter(Boolean).join(' ') : opts.description;
  const field = z
    .string()
    .trim()
    .min(1, t('is empty'))
    .superRefine((value, ctx) => {
      const problem = urlProblem(value, opts);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
  return description ? field.meta({ description }) : field;
}

/** A repository name as Docker Hub and its v1 index accept it: lower-case letters, digits and . _ - inside. */
export const repositoryNameField = z
  .string()
  .trim()
  .min(2, t('Use at least 2 characters'))
  .max(255, t('At most 255 characters'))
  .regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/, t('Use lower-case letters, digits and . _ - (not at the start or end)'))
  .meta({ title: t('Name'), description: t('Lower-case letters, digits and . _ -'), placeholder: t('my-app') });
