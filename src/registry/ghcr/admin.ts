import * as z from 'zod';
import { type AdminModel, type ResourceRef, defineAction, defineCore, defineResource } from '../admin';
import { done, namespaceOf, plural, repositoryOf, repositoryOfRef } from '../adminKit';
import { t } from '../l10n';
import type { Page } from '../paging';
import { REPOSITORY_COMPONENT } from '../names';
import { DELETE_SCOPES, WRITE_SCOPES } from './client';
import { gitHubTime, versionTags } from './convert';
import type { Credentials } from '../context';
import type { GitHubApi, Owner } from './api';
import { splitRepository } from './urls';
import type * as s from './schemas';

/** The package name of Restore Package…: what GitHub named it (`app`, `tools/cli`). */
const restorePackageForm = z.object({
  name: z
    .string()
    .trim()
    .refine((v) => v.length > 0 && v.length <= 255 && v.split('/').every((p) => REPOSITORY_COMPONENT.test(p)), t('a container package name: lower-case letters, digits, ".", "_", "-", parts separated by "/"'))
    .meta({ title: t('Package name'), description: t('The name of a container package deleted in the last 30 days (without the owner).'), placeholder: t('app') }),
});

/** What the admin model needs of its provider (an interface, so the provider and its model do not import each other). */
export interface GhcrAdminHost {
  readonly api: GitHubApi;
  ownerOf(login: string, signal?: AbortSignal): Promise<Owner>;
  elevated(scopes: readonly string[], reason: string): Promise<Credentials | undefined>;
}

function versionLabel(v: s.GitHubPackageVersion): string {
  const tags = versionTags(v);
  return tags.length ? tags.join(', ') : v.name;
}

/**
 * What GitHub's packages API administers beyond browsing: deleting and restoring a package (restorable for 30 days),
 * the deleted versions of a package with Restore. Deleting asks for `delete:packages`, restoring for
 * `write:packages`, only when the user does it.
 */
export function ghcrAdminModel(p: GhcrAdminHost): AdminModel {
  const restoreVersion = defineAction<s.GitHubPackageVersion>()({
    id: 'restore',
    title: t('Restore Version'),
    icon: 'discard',
    async confirm(v, ref) {
      const repository = repositoryOf(ref.scope);
      return { message: t('Restore version {0} of {1}?', versionLabel(v), repository), detail: t('Digest {0}. Its tags come back with it unless another version took them.', v.name), button: t('Restore Version') };
    },
    async run(ref, _input, signal) {
      const repository = repositoryOf(ref.scope);
      const [login, name] = splitRepository(repository);
      const owner = await p.ownerOf(login, signal);
      const creds = await p.elevated(WRITE_SCOPES, t('restore a version of {0}', repository));
      await p.api.restoreVersion(owner, name, versionId(ref), creds, signal);
      return done(t('Restored version {0} of {1}', ref.key, repository), 'owner');
    },
  });

  const deletedVersions = defineResource<s.GitHubPackageVersion>()({
    shape: 'list',
    type: 'deletedVersion',
    title: t('Deleted Versions'),
    itemTitle: t('deleted version'),
    icon: 'trash',
    placement: { under: 'repository' },
    /** Only your own and your organizations' packages: GitHub lists no deleted versions of another user's. */
    async available(scope, signal) {
      try {
        const [login] = splitRepository(repositoryOf(scope));
        return (await p.ownerOf(login, signal)).type !== 'user';
      } catch {
        return false;
      }
    },
    key: (v) => String(v.id),
    view: (v) => ({ label: versionLabel(v), description: [t('version {0}', v.id), gitHubTime(v.deleted_at) ? t('deleted {0}', gitHubTime(v.deleted_at)!.slice(0, 10)) : ''].filter(Boolean).join(' · '), tooltip: v.name, icon: 'trash' }),
    async list(scope, cursor, opts): Promise<Page<s.GitHubPackageVersion>> {
      const [login, name] = splitRepository(repositoryOf(scope));
      const owner = await p.ownerOf(login, opts?.signal);
      return p.api.versions(owner, name, cursor, { pageSize: opts?.pageSize, state: 'deleted', signal: opts?.signal });
    },
    actions: [restoreVersion],
  });

  const namespaceNode = defineCore({
    type: 'namespace',
    shape: 'core',
    actions: [
      defineAction<ResourceRef>()({
        id: 'restorePackage',
        title: t('Restore Package…'),
        icon: 'discard',
        input: { schema: restorePackageForm, title: t('Restore a deleted package'), submitLabel: t('Restore') },
        async confirm(_item, ref, v) {
          const owner = namespaceOf({ namespace: ref.key, ...ref.scope });
          return { message: t('Restore the package {0}/{1}?', owner, v.name), detail: t('GitHub restores a package deleted in the last 30 days, with its versions, unless a new package took its name.'), button: t('Restore Package') };
        },
        async run(ref, v, signal) {
          const login = namespaceOf({ namespace: ref.key, ...ref.scope });
          const owner = await p.ownerOf(login, signal);
          const creds = await p.elevated(WRITE_SCOPES, t('restore the package {0}/{1}', login, v.name));
          await p.api.restorePackage(owner, v.name, creds, signal);
          return done(t('Restored the package {0}/{1}', login, v.name), 'item');
        },
      }),
    ],
  });

  const repositoryNode = defineCore({
    type: 'repository',
    shape: 'core',
    remove: {
      title: t('Delete Package'),
      async confirm(ref, _ref, signal) {
        const repository = repositoryOfRef(ref);
        const [login, name] = splitRepository(repository);
        const pkg = await p.api.package(await p.ownerOf(login, signal), name, signal);
        const count = typeof pkg.version_count === 'number' ? plural(pkg.version_count, 'version') : t('all its versions');
        return {
          message: t('Delete the package {0} ({1}, {2})?', repository, pkg.visibility, count),
          detail: t('Every version and tag of {0} goes. GitHub can restore it for 30 days (Restore Package… on the owner), unless a new package takes its name.', repository),
          button: t('Delete Package'),
        };
      },
      async run(ref, signal) {
        const repository = repositoryOfRef(ref);
        const [login, name] = splitRepository(repository);
        const owner = await p.ownerOf(login, signal);
        const creds = await p.elevated(DELETE_SCOPES, t('delete the package {0}', repository));
        await p.api.deletePackage(owner, name, creds, signal);
        return done(t('Deleted the package {0}', repository), 'owner');
      },
    },
  });

  return { groups: [], types: [namespaceNode, repositoryNode, deletedVersions] };
}

function versionId(ref: ResourceRef): number {
  const n = Number(ref.key);
  if (!/^\d{1,15}$/.test(ref.key) || !Number.isSafeInteger(n)) throw new Error(`"${ref.key.slice(0, 40)}" is not a package version id`);
  return n;
}
