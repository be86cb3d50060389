import * as z from 'zod';
import { defineCore, type CoreResource } from '../admin';
import { deleteRepositoryConfirmation, done, namespaceOf } from '../adminKit';
import { repositoryNameField } from '../formFields';
import type { HubApi } from './api';
import { splitRepository } from './names';
import { t } from '../l10n';

/** Create (in a namespace), edit and delete of Docker Hub repositories: the model's core namespace and repository types. */

const description = z.string().max(100, t('At most 100 characters')).optional().meta({ title: t('Description'), description: t('Short description shown in lists (at most 100 characters).') });
const isPrivate = z.boolean().default(false).meta({ title: t('Private repository'), description: t('Only you and the people you grant access can pull it.') });

export const createRepositoryForm = z.object({ name: repositoryNameField, description, isPrivate });

export const editRepositoryForm = z.object({
  description,
  fullDescription: z.string().max(25_000, t('At most 25,000 characters')).optional().meta({ title: t('Full description'), description: t('Markdown shown on the repository page.'), multiline: true }),
  isPrivate,
});

export function hubRepositoryTypes(api: HubApi): CoreResource[] {
  const namespace = defineCore({
    type: 'namespace',
    shape: 'core',
    create: {
      title: t('Create Repository'),
      form: { schema: createRepositoryForm, title: t('New repository'), submitLabel: t('Create') },
      async run(scope, v, signal) {
        const ns = namespaceOf(scope);
        await api.createRepository({ namespace: ns, name: v.name, description: v.description || undefined, isPrivate: v.isPrivate }, signal);
        return done(t('Created {0} repository {1}/{2}.', v.isPrivate ? 'private' : 'public', ns, v.name), 'item');
      },
    },
  });
  const repository = defineCore({
    type: 'repository',
    shape: 'core',
    update: {
      title: t('Edit Repository'),
      form: { schema: editRepositoryForm, submitLabel: t('Save') },
      async values(ref, signal) {
        const [ns, name] = splitRepository(ref.key);
        const r = await api.getRepository(ns, name, signal);
        return { description: r.description ?? '', fullDescription: r.fullDescription ?? '', isPrivate: r.isPrivate ?? false };
      },
      async run(ref, v, signal) {
        const [ns, name] = splitRepository(ref.key);
        await api.updateRepository(ns, name, { description: v.description ?? '', fullDescription: v.fullDescription ?? '', isPrivate: v.isPrivate }, signal);
        return done(t('Saved “{0}”.', ref.key));
      },
    },
    remove: {
      title: t('Delete Repository'),
      confirm: async (ref) => deleteRepositoryConfirmation(ref.key),
      async run(ref, signal) {
        const [ns, name] = splitRepository(ref.key);
        await api.deleteRepository(ns, name, signal);
        return done(t('Deleted repository {0}.', ref.key));
      },
    },
  });
  return [namespace, repository];
}
