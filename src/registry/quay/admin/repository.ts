import type * as z from 'zod';
import { defineCore } from '../../admin';
import type { ActionDecl, ResourceRef } from '../../admin';
import { BadResponseError, RegistryError, toRegistryError, UnsupportedError } from '../../errors';
import { createRepositoryForm, editRepositoryForm } from '../forms';
import { done, repositoryOfRef, namespaceOf } from '../../adminKit';
import type { AdminCtx } from './shared';
import { t } from '../../l10n';

type NodeActions = ActionDecl<ResourceRef, ResourceRef>[];

/** The core nodes: Create Repository on a namespace, Edit and Delete of a repository, the actions of each. */
export function repositoryTypes(c: AdminCtx, actions: { namespace: NodeActions; repository: NodeActions }) {
  const { api, has } = c;

  const namespaceNode = defineCore({
    type: 'namespace',
    shape: 'core',
    create: {
      title: t('Create Repository'),
      form: { schema: createRepositoryForm },
      async run(scope, v, signal) {
        const ns = namespaceOf(scope);
        await api.createRepository(ns, v.name, { description: v.description, visibility: v.visibility }, signal);
        return done(t('Created {0}/{1}', ns, v.name), 'item');
      },
    },
    actions: actions.namespace,
  });

  const repositoryNode = defineCore({
    type: 'repository',
    shape: 'core',
    update: {
      title: t('Edit Repository'),
      form: { schema: editRepositoryForm },
      async values(ref, signal): Promise<z.input<typeof editRepositoryForm>> {
        const r = await api.repository(repositoryOfRef(ref), signal);
        return { description: r.description ?? '', visibility: r.is_public ? 'public' : 'private', state: r.state === 'READ_ONLY' || r.state === 'MIRROR' ? r.state : 'NORMAL' };
      },
      async run(ref, v, signal) {
        const repository = repositoryOfRef(ref);
        const r = await api.repository(repository, signal);
        // Each part is its own call: what the server cannot do is found out before anything is saved.
        const steps: { part: string; save: () => Promise<void> }[] = [];
        if ((r.description ?? '') !== v.description) steps.push({ part: 'description', save: () => api.setDescription(repository, v.description, signal) });
        if (r.is_public !== (v.visibility === 'public')) steps.push({ part: `visibility ${v.visibility}`, save: () => api.setVisibility(repository, v.visibility, signal) });
        if ((r.state ?? 'NORMAL') !== v.state) {
          if (!(await has('changeState', signal))) throw new UnsupportedError(`This Quay cannot change repository states (it has no /changestate); nothing of ${repository} was saved`);
          steps.push({ part: `state ${v.state}`, save: () => api.setState(repository, v.state, signal) });
        }
        const changed = await saveInSteps(repository, steps);
        if (changed.length) {
          const after = await api.repository(repository, signal);
          const missed = [
            (after.description ?? '') !== v.description ? 'description' : undefined,
            after.is_public !== (v.visibility === 'public') ? `visibility (still ${after.is_public ? 'public' : 'private'})` : undefined,
            (after.state ?? 'NORMAL') !== v.state ? `state (still ${after.state ?? 'NORMAL'})` : undefined,
          ].filter((x): x is string => !!x);
          if (missed.length) throw new BadResponseError(`Quay answered the save of ${repository} but did not take: ${missed.join(', ')}`);
        }
        return done(changed.length ? `Saved ${repository}: ${changed.join(', ')}` : `Nothing changed in ${repository}`, 'item');
      },
    },
    remove: {
      title: t('Delete Repository'),
      async confirm(ref) {
        const repository = repositoryOfRef(ref);
        return { message: t('Delete repository {0} with all its tags?', repository), detail: t('Quay cannot restore a deleted repository.'), button: t('Delete Repository') };
      },
      async run(ref, signal) {
        const repository = repositoryOfRef(ref);
        await api.deleteRepository(repository, signal);
        return done(t('Deleted {0}', repository), 'owner');
      },
    },
    actions: actions.repository,
  });

  return { namespaceNode, repositoryNode };
}

/**
 * Runs the saves of a multi-call edit in order; the parts saved. When one fails, the error (of the same kind) says
 * which parts were saved before it and which were not.
 */
async function saveInSteps(what: string, steps: { part: string; save: () => Promise<void> }[]): Promise<string[]> {
  const saved: string[] = [];
  for (const [i, step] of steps.entries()) {
    try {
      await step.save();
    } catch (e) {
      if (!saved.length) throw e;
      const err = toRegistryError(e);
      const notSaved = steps.slice(i).map((x) => x.part).join(', ');
      throw new RegistryError(err.kind, `Saved ${saved.join(', ')} of ${what}; not saved: ${notSaved}. ${err.message}`, { status: err.status, request: err.request, cause: e });
    }
    saved.push(step.part);
  }
  return saved;
}
