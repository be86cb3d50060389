import { BadResponseError } from './errors';
import type { Page } from './provider';

/**
 * Shared paging rules for every provider: what a registry's paging may cost before it is stopped with a clear
 * error. A registry whose cursor repeats (a `Link` to itself, A → B → A, a `next` that never changes) or that
 * never stops would otherwise be followed until memory runs out.
 */

/** Most items of one list held in memory (a whole tag list sent at once, or pages followed in a loop). */
export const MAX_LIST_ITEMS = 100_000;
/** Most pages followed for one list. */
export const MAX_LIST_PAGES = 1_000;

/** A page whose items are cut at `max`, with an error that says so (the tree shows the items and the error). */
export function capPage<T>(page: Page<T>, what: string, max = MAX_LIST_ITEMS): Page<T> {
  if (page.items.length <= max) return page;
  const total = page.items.length;
  return {
    items: page.items.slice(0, max),
    error: new BadResponseError(`${what}: the registry sent ${total.toLocaleString('en')} entries; only the first ${max.toLocaleString('en')} are kept`),
  };
}
