import * as z from 'zod';
import { defineCore, type AdminModel } from '../admin';
import { deleteRepositoryConfirmation, done, namespaceOf } from '../adminKit';
import { repositoryNameField } from '../formFields';
import { t } from '../l10n';

/** The v1 index keeps only names: Create asks for the name alone (an input box), Delete is offered, Edit is not. */
export const createRepositoryNameForm = z.object({ name: repositoryNameField });

export interface V1AdminDeps {
  /** Creates `namespace/name` in the index. */
  create(namespace: string, name: string, signal?: AbortSignal): Promise<unknown>;
  /** Deletes a repository by its full name. */
  remove(repository: string, signal?: AbortSignal): Promise<unknown>;
}

export function v1Admin(deps: V1AdminDeps): AdminModel {
  const namespace = defineCore({
    type: 'namespace',
    shape: 'core',
    create: {
      title: t('Create Repository'),
      form: { schema: createRepositoryNameForm, title: t('New repository'), submitLabel: t('Create') },
      async run(scope, { name }, signal) {
        const ns = namespaceOf(scope);
        await deps.create(ns, name, signal);
        return done(t('Created repository {0}/{1}.', ns, name), 'item');
      },
    },
  });
  const repository = defineCore({
    type: 'repository',
    shape: 'core',
    remove: {
      title: t('Delete Repository'),
      confirm: async (ref) => deleteRepositoryConfirmation(ref.key),
      async run(ref, signal) {
        await deps.remove(ref.key, signal);
        return done(t('Deleted repository {0}.', ref.key));
      },
    },
  });
  return { groups: [], types: [namespace, repository] };
}
