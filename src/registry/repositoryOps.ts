import * as z from 'zod';
import type { CoreNodeOps } from './admin';
import { UnsupportedError } from './errors';
import type { RegistryProvider } from './provider';

/**
 * Create / edit / delete of repositories as core-node operations of the admin model, built from the generic
 * repository methods of a provider (`createRepository`, `getRepositorySettings`, `updateRepository`,
 * `deleteRepository`); each operation exists only when the provider has the methods it needs.
 */

const REPO_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export const createRepositoryForm = z.object({
  name: z
    .string()
    .trim()
    .min(2, 'Use at least 2 characters')
    .max(255, 'At most 255 characters')
    .regex(REPO_NAME, 'Use lower-case letters, digits and . _ - (not at the start or end)')
    .meta({ title: 'Name', description: 'Lower-case letters, digits and . _ -', placeholder: 'my-app' }),
  description: z.string().max(100, 'At most 100 characters').optional().meta({ title: 'Description', description: 'Short description shown in lists (at most 100 characters).' }),
  isPrivate: z.boolean().default(false).meta({ title: 'Private repository', description: 'Only you and the people you grant access can pull it.' }),
});

export const editRepositoryForm = z.object({
  description: z.string().max(100, 'At most 100 characters').optional().meta({ title: 'Description', description: 'Short description shown in lists (at most 100 characters).' }),
  fullDescription: z.string().max(25_000, 'At most 25,000 characters').optional().meta({ title: 'Full description', description: 'Markdown shown on the repository page.', multiline: true }),
  isPrivate: z.boolean().default(false).meta({ title: 'Private repository', description: 'Only you and the people you grant access can pull it.' }),
});

/** Just the name, for registries that keep no description or visibility (a single field: asked in an input box). */
export const createRepositoryNameForm = createRepositoryForm.pick({ name: true });

type RepoMethods = Pick<RegistryProvider, 'createRepository' | 'getRepositorySettings' | 'updateRepository' | 'deleteRepository'>;

export interface RepositoryOpsOptions {
  /** The registry keeps only names: Create asks for the name alone. */
  nameOnly?: boolean;
}

export function repositoryNodeOps(p: RepoMethods, opts: RepositoryOpsOptions = {}): { namespace?: CoreNodeOps; repository?: CoreNodeOps } {
  const out: { namespace?: CoreNodeOps; repository?: CoreNodeOps } = {};
  if (p.createRepository) {
    out.namespace = {
      create: {
        title: 'Create Repository',
        form: { schema: (opts.nameOnly ? createRepositoryNameForm : createRepositoryForm) as z.ZodType<Record<string, unknown>>, title: 'New repository', submitLabel: 'Create' },
        async run(scope, values, signal) {
          const namespace = scope.namespace;
          if (!namespace) throw new UnsupportedError('Create a repository from a namespace');
          const v = createRepositoryForm.parse({ ...values, isPrivate: values.isPrivate ?? false });
          if (opts.nameOnly) {
            await p.createRepository!({ namespace, name: v.name }, signal);
            return { kind: 'done', message: `Created repository ${namespace}/${v.name}.`, refresh: 'item' };
          }
          await p.createRepository!({ namespace, name: v.name, description: v.description || undefined, isPrivate: v.isPrivate }, signal);
          return { kind: 'done', message: `Created ${v.isPrivate ? 'private' : 'public'} repository ${namespace}/${v.name}.`, refresh: 'item' };
        },
      },
    };
  }
  const repository: CoreNodeOps = {};
  if (p.getRepositorySettings && p.updateRepository) {
    repository.update = {
      title: 'Edit Repository',
      form: { schema: editRepositoryForm as z.ZodType<Record<string, unknown>>, submitLabel: 'Save' },
      async values(ref, signal) {
        const r = await p.getRepositorySettings!(ref.key, signal);
        return { description: r.description ?? '', fullDescription: r.fullDescription ?? '', isPrivate: r.isPrivate ?? false };
      },
      async run(ref, values, signal) {
        const v = editRepositoryForm.parse(values);
        await p.updateRepository!(ref.key, { description: v.description ?? '', fullDescription: v.fullDescription ?? '', isPrivate: v.isPrivate }, signal);
        return { kind: 'done', message: `Saved “${ref.key}”.`, refresh: 'list' };
      },
    };
  }
  if (p.deleteRepository) {
    repository.remove = {
      title: 'Delete Repository',
      confirm: (ref) =>
        Promise.resolve({
          message: `Delete repository ${ref.key} and all its tags?`,
          detail: `Every tag and image of ${ref.key} is deleted. This cannot be undone.`,
          button: 'Delete Repository',
        }),
      async run(ref, signal) {
        await p.deleteRepository!(ref.key, signal);
        return { kind: 'done', message: `Deleted repository ${ref.key}.`, refresh: 'list' };
      },
    };
  }
  if (repository.update || repository.remove) out.repository = repository;
  return out;
}
