import { BadResponseError } from './errors';
import { looksLikeDigest } from './digest';

/**
 * Repository and tag names as the Distribution spec defines them, checked before any request is built: a name that
 * is not one (`..`, `a/../../v2/other`, a tag `..`) would otherwise reach another API path once the URL is
 * normalised. Providers call these on every name they put in a URL.
 */

/** One path component of a repository name: `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`. */
export const REPOSITORY_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
/** A tag: `[A-Za-z0-9_][A-Za-z0-9._-]{0,127}`. */
export const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/** Whether `name` is a Distribution repository name. */
export function isRepositoryName(name: string): boolean {
  return name.length > 0 && name.length <= 255 && name.split('/').every((c) => REPOSITORY_COMPONENT.test(c));
}

/** The repository name, or a BadResponseError when it is not a Distribution repository name. */
export function checkRepositoryName(name: string): string {
  if (!isRepositoryName(name)) {
    throw new BadResponseError(`"${clip(name)}" is not a valid repository name`);
  }
  return name;
}

/** The tag, or a BadResponseError when it is not a Distribution tag (this also refuses `.` and `..`). */
export function checkTagName(tag: string): string {
  if (!TAG.test(tag)) throw new BadResponseError(`"${clip(tag)}" is not a valid tag name`);
  return tag;
}

/**
 * A value for one URL path segment (an id, a namespace, a user name), URL-encoded; refuses empty, `.`, `..` and
 * anything with a slash, which would change which resource the path names.
 */
export function pathSegment(value: string, what = 'name'): string {
  if (value === '' || value === '.' || value === '..' || value.includes('/') || value.includes('\\')) {
    throw new BadResponseError(`"${clip(value)}" is not a valid ${what}`);
  }
  return encodeURIComponent(value);
}

/** Throws when any segment of a URL path is `.` or `..`, raw or percent-encoded (a last line of defence). */
export function checkPathSegments(path: string): void {
  for (const raw of path.split('?')[0]!.split('/')) {
    let s = raw;
    try {
      s = decodeURIComponent(raw);
    } catch {
      // Left as is: an undecodable segment is not a dot segment.
    }
    if (s === '.' || s === '..' || raw.toLowerCase().includes('%2f')) throw new BadResponseError(`Refusing a request path with a "${clip(s)}" segment`);
  }
}

function clip(s: string): string {
  return s.length > 80 ? s.slice(0, 80) + '…' : s;
}

/**
 * `repo:tag` or `repo@algorithm:hex` as a person types one (no registry host): its repository and reference, or
 * undefined when it is not one.
 */
export function parseImageReference(text: string): { repository: string; reference: string } | undefined {
  const v = text.trim();
  const at = v.indexOf('@');
  const [repository, reference] = at > 0 ? [v.slice(0, at), v.slice(at + 1)] : [v.slice(0, v.lastIndexOf(':')), v.slice(v.lastIndexOf(':') + 1)];
  if (!repository || !repository.split('/').every((c) => REPOSITORY_COMPONENT.test(c))) return undefined;
  if (at > 0) return looksLikeDigest(reference) ? { repository, reference } : undefined;
  return TAG.test(reference) ? { repository, reference } : undefined;
}
