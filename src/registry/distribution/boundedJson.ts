import { BadResponseError } from '../errors';

/** Nesting deeper than this is refused before parsing (real SBOMs and attestations nest a few dozen levels at most). */
export const MAX_JSON_DEPTH = 100;

/**
 * Parses registry-supplied JSON after checking its nesting depth in one pass over the text, so a hostile document
 * (`[[[[…]]]]` a million deep) is refused with a clear message instead of exhausting the stack in the parser or in
 * code walking the result.
 */
export function parseBoundedJson(text: string, what: string, maxDepth = MAX_JSON_DEPTH): unknown {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) throw new BadResponseError(`${what}: the JSON nests deeper than ${maxDepth} levels; it was not read`);
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BadResponseError(`${what}: not valid JSON`);
  }
}

/** A plain object, or undefined. */
export function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** A string (trimmed to `max` characters), or undefined. */
export function str(v: unknown, max = 2000): string | undefined {
  return typeof v === 'string' ? v.slice(0, max) : undefined;
}

/** An array, or empty. */
export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
