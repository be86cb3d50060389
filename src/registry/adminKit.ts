import type { Confirmation, Outcome, Refresh, ResourceRef, Scope } from './admin';
import { UnsupportedError } from './errors';
import type { Page } from './paging';
import { t } from './l10n';

/**
 * Small helpers every provider's admin model needs: outcomes, whole-list pages and scope readers that fail with a
 * clear message when the tree placed an operation where its scope lacks what it needs.
 */

/** Done, with a message; `refresh` says which tree nodes changed (the list the item is in, by default). */
export function done(message: string, refresh: Refresh = 'list'): Outcome {
  return { kind: 'done', message, refresh };
}

/** Done, reloading the item itself (a singleton's settings, a node's own children). */
export function refreshed(message: string): Outcome {
  return done(message, 'item');
}

/** One page holding a whole list (for lists the server does not page). */
export function whole<T>(items: T[]): Page<T> {
  return { items };
}

/** The repository of a scope (full path, `team/app`), or `fallback` (a repository node's key). */
export function repositoryOf(scope: Scope, fallback?: string): string {
  const r = scope.repository ?? fallback;
  if (!r) throw new UnsupportedError('This needs a repository');
  return r;
}

/** The namespace of a scope: its own, or the first segment of its repository. */
export function namespaceOf(scope: Scope): string {
  const n = scope.namespace ?? (scope.repository?.includes('/') ? scope.repository.split('/')[0] : undefined);
  if (!n) throw new UnsupportedError('This needs a namespace');
  return n;
}

/** The tag of a reference: its scope's tag, or its key when the reference is a tag node. */
export function tagOf(ref: ResourceRef): string {
  const t = ref.scope.tag ?? (ref.type === 'tag' ? ref.key : undefined);
  if (!t) throw new UnsupportedError('This needs a tag');
  return t;
}

/** The repository a reference names: its scope's, or its key when it is a repository node. */
export function repositoryOfRef(ref: ResourceRef): string {
  return repositoryOf(ref.scope, ref.type === 'repository' ? ref.key : undefined);
}

/** The key of the nearest enclosing item of type `type` (`scope.parent`, its parent…), e.g. the organization. */
export function parentKey(scope: Scope, type: string): string {
  for (let p = scope.parent; p; p = p.scope.parent) if (p.type === type) return p.key;
  throw new UnsupportedError(`This belongs to no ${type}`);
}

/** `1 tag`, `3 tags`. */
export function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

/** The confirmation before deleting a repository with everything in it. */
export function deleteRepositoryConfirmation(repository: string): Confirmation {
  return {
    message: t('Delete repository {0} and all its tags?', repository),
    detail: t('Every tag and image of {0} is deleted. This cannot be undone.', repository),
    button: t('Delete Repository'),
  };
}
