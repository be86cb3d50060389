import * as z from 'zod';
import type { FieldMeta } from './forms';
import type { RestoreState } from './protocol';

type Field = <T extends z.ZodType>(schema: T, meta: FieldMeta) => T;

/**
 * Docker Hub forms for the schema-driven form editor (shared by the extension and the webview bundle, so no
 * 'vscode' import here). The panels that use them are built in src/commands/hubCommands.ts. forms.ts calls
 * `makeHubForms(field)`, which keeps this module free of an import cycle with it.
 */
export function makeHubForms(field: Field) {
  /** Description, full description (Markdown) and visibility of a repository. */
  const hubRepository = z.object({
    description: field(z.string().max(100, 'At most 100 characters').optional(), { title: 'Description', description: 'Short description shown in lists (at most 100 characters).' }),
    fullDescription: field(z.string().max(25_000, 'At most 25,000 characters').optional(), { title: 'Full description', description: 'Markdown shown on the repository page.', multiline: true }),
    isPrivate: field(z.boolean().default(false), { title: 'Private repository', description: 'Only you and the people you grant access can pull it.' }),
  });

  /** A rule is a regular expression matched against tag names. */
  const rule = z
    .string()
    .min(1)
    .max(255, 'At most 255 characters')
    .refine((s) => {
      try {
        new RegExp(s);
        return true;
      } catch {
        return false;
      }
    }, 'Not a valid regular expression');

  /** Immutable-tag settings of a repository. */
  const hubImmutableTags = z.object({
    enabled: field(z.boolean().default(false), { title: 'Immutable tags', description: 'Tags matching a rule cannot be overwritten or deleted.' }),
    rules: field(z.array(rule).max(20, 'At most 20 rules').optional(), {
      title: 'Rules',
      description: 'One regular expression per line (e.g. ^v[0-9]+\\. or ^latest$). Saving first shows which existing tags the rules match.',
      multiline: true,
    }),
  });

  return { hubRepository, hubImmutableTags } as const;
}

/** The registry and repository a Hub form edits: all its panel keeps to be restored after a window reload. */
export interface HubFormTarget {
  formId: 'hubRepository' | 'hubImmutableTags';
  registry: string;
  repository: string;
}

/** Reads a Hub form's restore state (undefined for any other form or a malformed state). */
export function parseHubFormRestore(s: RestoreState | undefined): HubFormTarget | undefined {
  if (!s || (s.formId !== 'hubRepository' && s.formId !== 'hubImmutableTags')) return undefined;
  if (typeof s.registry !== 'string' || !s.registry || typeof s.repository !== 'string' || !s.repository) return undefined;
  return { formId: s.formId, registry: s.registry, repository: s.repository };
}
