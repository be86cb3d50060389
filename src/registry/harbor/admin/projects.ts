import * as z from 'zod';
import { defineAction, defineCore, defineResource, type NodeRef } from '../../admin';
import { done } from '../../adminKit';
import type { ChoiceSource } from '../../choices';
import { BadResponseError, ForbiddenError, isRegistryError } from '../../errors';
import { t } from '../../l10n';
import { type HarborProjectApi, type ProjectReq, projectApiOf } from '../projectApi';
import type { HarborProject } from '../schemas';
import { capped, parseSize, sizeField } from './projectKit';
import type { HarborAdminPart } from './shared';

/** Repositories a project delete takes with it, at most (a larger project is deleted in Harbor's portal). */
const MAX_DELETE_REPOSITORIES = 1000;

const SEVERITIES = ['none', 'low', 'medium', 'high', 'critical'] as const;

const createForm = z.object({
  name: z
    .string()
    .trim()
    .min(1, t('is empty'))
    .max(255, t('At most 255 characters'))
    .regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/, t('Use lower-case letters, digits and . _ - (not at the start or end)'))
    .meta({ title: t('Project name'), placeholder: t('team-a') }),
  public: z.boolean().default(false).meta({ title: t('Public'), description: t('Anyone may pull from a public project, signed in or not') }),
});

/** Harbor keeps a storage limit only from a system administrator (others get the default quota): only their form asks. */
const adminCreateForm = createForm.extend({
  storageLimit: sizeField({ optional: true })
    .default('')
    .meta({ title: t('Storage quota'), placeholder: t('10 GB'), description: t('A size with its unit (MB, GB, TB; 1024-based as in Harbor) or -1 for no limit. Empty: the default quota of this Harbor') }),
});

const proxyForm = adminCreateForm.extend({
  registry: z.string().regex(/^\d+$/, t('Pick a registry endpoint')).meta({ title: t('Proxy cache of'), description: t('The registry endpoint this project caches pulls from (Administration › Registries in Harbor)') }),
});

const settingsForm = z.object({
  public: z.boolean().meta({ title: t('Public'), description: t('Anyone may pull from a public project, signed in or not') }),
  autoScan: z.boolean().meta({ title: t('Scan on push'), description: t('Scan every artifact for vulnerabilities when it is pushed') }),
  preventVulnerable: z.boolean().meta({ title: t('Prevent vulnerable images from running'), description: t('Refuse pulls of artifacts with vulnerabilities at or above the severity below') }),
  severity: z.enum(SEVERITIES).meta({ title: t('Severity threshold'), description: t('Used when vulnerable images are prevented from running') }),
  contentTrust: z.boolean().meta({ title: t('Enforce content trust (Notary)'), description: t('Refuse pulls of unsigned artifacts (Notary signatures)') }),
  cosign: z.boolean().meta({ title: t('Enforce cosign signatures'), description: t('Refuse pulls of artifacts without a cosign signature') }),
  autoSbom: z.boolean().meta({ title: t('Generate SBOM on push'), description: t('Generate a software bill of materials for every pushed artifact') }),
  reuseSystemAllowlist: z.boolean().meta({ title: t('Use the system CVE allowlist'), description: t("When on, the project's own CVE allowlist is ignored") }),
});
type Settings = z.output<typeof settingsForm>;

/** Harbor's metadata keys for each setting; Harbor stores every value as a string. */
const METADATA: Record<Exclude<keyof Settings, 'severity'>, string> = {
  public: 'public',
  autoScan: 'auto_scan',
  preventVulnerable: 'prevent_vul',
  contentTrust: 'enable_content_trust',
  cosign: 'enable_content_trust_cosign',
  autoSbom: 'auto_sbom_generation',
  reuseSystemAllowlist: 'reuse_sys_cve_allowlist',
};

function settingsOf(p: HarborProject): Settings {
  const m = p.metadata ?? {};
  const on = (k: string) => m[k] === 'true';
  const severity = SEVERITIES.find((s) => s === m.severity?.toLowerCase()) ?? 'low';
  return { public: on('public'), autoScan: on('auto_scan'), preventVulnerable: on('prevent_vul'), severity, contentTrust: on('enable_content_trust'), cosign: on('enable_content_trust_cosign'), autoSbom: on('auto_sbom_generation'), reuseSystemAllowlist: on('reuse_sys_cve_allowlist') };
}

function metadataOf(v: Settings): Record<string, string> {
  const out: Record<string, string> = { severity: v.severity };
  for (const [k, key] of Object.entries(METADATA)) out[key] = String(v[k as keyof typeof METADATA]);
  return out;
}

function repositoriesWord(n: number): string {
  return n === 1 ? t('1 repository') : t('{0} repositories', n);
}

/** The request of a create form: the quota in bytes when given, the registry endpoint for a proxy cache. */
function createReq(v: z.output<typeof createForm> & { storageLimit?: string }, registry?: string): ProjectReq {
  const limit = v.storageLimit ? parseSize(v.storageLimit) : undefined;
  return { project_name: v.name, public: v.public, metadata: { public: String(v.public) }, ...(limit !== undefined ? { storage_limit: limit } : {}), ...(registry ? { registry_id: Number(registry) } : {}) };
}

/** Registry endpoints for the proxy cache field; only system administrators may list them. */
function registryChoices(api: HarborProjectApi): ChoiceSource {
  return {
    title: t('registry endpoints'),
    async load(_scope, query, signal) {
      if (!(await api.isSysAdmin(signal))) throw new ForbiddenError(t('Only Harbor system administrators can list registry endpoints and create proxy cache projects'));
      const q = query.replace(/[,=~"'{}()[\]\s\\]/g, '').slice(0, 128);
      const page = await api.registries(q, signal);
      return page.items.map((r) => ({ value: String(r.id), label: r.name || String(r.id), description: [r.type, r.url, r.status && r.status !== 'healthy' ? r.status : undefined].filter(Boolean).join(' · ') }));
    },
  };
}

interface NewProjectItem {
  sysadmin: boolean;
}

/** Projects: create (at the registry, proxy cache projects for system administrators), edit settings, delete. */
export const projectsPart: HarborAdminPart = (host) => {
  const api = projectApiOf(host.client);
  /** The repositories each delete confirmation named, by project: the delete takes those and no others. */
  const confirmed = new Map<string, Set<string>>();

  const created = async (req: ProjectReq, signal?: AbortSignal) => {
    await api.createProject(req, signal);
    return done(req.registry_id !== undefined ? t('Created proxy cache project {0}', req.project_name ?? '') : t('Created project {0}', req.project_name ?? ''), 'owner');
  };

  const newProject = defineResource<NewProjectItem>()({
    type: 'newProject',
    title: t('New project'),
    itemTitle: t('project'),
    icon: 'add',
    placement: { under: 'registry' },
    shape: 'singleton',
    available: () => host.client.signedIn(),
    view: (x) => ({
      label: t('New project'),
      description: x.sysadmin ? t('as system administrator') : undefined,
      tooltip: x.sysadmin ? t('Create a project or a proxy cache project') : t('Create a project. Proxy cache projects need a Harbor system administrator.'),
      icon: 'add',
    }),
    get: async (_ref, signal) => ({ sysadmin: await api.isSysAdmin(signal) }),
    actions: [
      defineAction<NewProjectItem, NodeRef>()({
        id: 'createProject',
        title: t('Create Project'),
        icon: 'add',
        when: (x) => !x.sysadmin,
        input: { schema: createForm, title: t('New project'), description: t('The project gets the default storage quota of this Harbor; you become its project admin.'), submitLabel: t('Create Project') },
        run: (_ref, v, signal) => created(createReq(v), signal),
      }),
      defineAction<NewProjectItem, NodeRef>()({
        id: 'createAdminProject',
        title: t('Create Project'),
        icon: 'add',
        when: (x) => x.sysadmin,
        input: { schema: adminCreateForm, title: t('New project'), submitLabel: t('Create Project') },
        run: (_ref, v, signal) => created(createReq(v), signal),
      }),
      defineAction<NewProjectItem, NodeRef>()({
        id: 'createProxyProject',
        title: t('Create Proxy Cache Project'),
        icon: 'cloud-download',
        when: (x) => x.sysadmin,
        input: { schema: proxyForm, title: t('New proxy cache project'), description: t('Pulls of <project>/<image> fetch the image from the registry endpoint and keep it here.'), submitLabel: t('Create Project'), choices: { registry: registryChoices(api) } },
        run: (_ref, v, signal) => created(createReq(v, v.registry), signal),
      }),
    ],
  });

  const project = defineCore({
    type: 'namespace',
    shape: 'core',
    update: {
      title: t('Edit Project Settings'),
      form: { schema: settingsForm, title: t('Project settings'), description: t('Needs the project admin role') },
      values: async (ref, signal) => settingsOf(await host.api.project(ref.key, signal)),
      async run(ref, v, signal) {
        const metadata = metadataOf(v);
        await api.updateProject(ref.key, { metadata }, signal);
        // Read back: a setting Harbor answered for but did not keep is reported.
        const now = (await host.api.project(ref.key, signal)).metadata ?? {};
        const missed = Object.entries(metadata).filter(([k, value]) => (now[k] ?? (value === 'false' ? 'false' : undefined)) !== value).map(([k]) => k);
        if (missed.length) throw new BadResponseError(`Harbor answered the save of ${ref.key} but did not keep: ${missed.join(', ')}`);
        return done(t('Saved the settings of project {0}', ref.key), 'list');
      },
    },
    remove: {
      title: t('Delete Project'),
      async confirm(_item, ref, signal) {
        const name = ref.key;
        const [check, repos] = await Promise.all([deletableOf(api, name, signal), api.repositoryNames(name, MAX_DELETE_REPOSITORIES, signal)]);
        if (!repos.complete) throw new BadResponseError(`Project ${name} has more than ${MAX_DELETE_REPOSITORIES} repositories: delete it in Harbor's portal`);
        if (check && !check.deletable && (!repos.names.length || !/repositor/i.test(check.message ?? ''))) throw new BadResponseError(`Harbor cannot delete project ${name}: ${check.message || 'it says the project is not deletable'}`);
        confirmed.set(name, new Set(repos.names));
        if (!repos.names.length) return { message: t('Delete project {0}?', name), detail: t('The project is empty. Its members, robot accounts, policies and logs are deleted with it.'), button: t('Delete Project') };
        return {
          message: t('Delete project {0} and its {1}?', name, repositoriesWord(repos.names.length)),
          detail: t('These repositories and every artifact in them are deleted first: {0}. This cannot be undone.', capped(repos.names)),
          button: t('Delete Project'),
        };
      },
      async run(ref, signal) {
        const name = ref.key;
        const allowed = confirmed.get(name);
        confirmed.delete(name);
        const repos = await api.repositoryNames(name, MAX_DELETE_REPOSITORIES, signal);
        const unconfirmed = repos.names.filter((r) => !allowed?.has(r));
        if (!repos.complete || unconfirmed.length) throw new BadResponseError(`Project ${name} now has repositories the confirmation did not name (${capped(unconfirmed, 5)}); nothing was deleted`);
        for (const r of repos.names) await api.deleteRepository(r, signal);
        await api.deleteProject(name, signal);
        return done(repos.names.length ? t('Deleted project {0} and {1}', name, repositoriesWord(repos.names.length)) : t('Deleted project {0}', name), 'owner');
      },
    },
  });

  return [newProject, project];
};

/** `GET …/_deletable`, or undefined on a Harbor without it. */
async function deletableOf(api: HarborProjectApi, project: string, signal?: AbortSignal) {
  try {
    return await api.deletable(project, signal);
  } catch (e) {
    if (isRegistryError(e) && (e.kind === 'notFound' || e.kind === 'unsupported')) return undefined;
    throw e;
  }
}
