import * as vscode from 'vscode';
import { ORG_TOKEN_SCOPES, type PersonalAccessToken } from '../registry/dockerhub/model';
import { splitRepository } from '../registry/dockerhub/names';
import type { HubApi } from '../registry/dockerhub/provider';
import { NotFoundError, UnsupportedError } from '../registry/errors';
import type { RegistryProvider } from '../registry/provider';
import { registerSecret } from '../registry/redact';
import type { NamespaceNode, RepositoryNode, ResourceNode, TreeNode } from '../tree/nodes';
import { fieldErrors, forms } from '../webviews/forms';
import type { PanelSpec } from '../webviews/panelHost';
import type { HubFormTarget } from '../webviews/hubForms';
import type { CommandContext } from './context';
import { usableProvider } from './pickers';
import { required } from './runCommand';

/**
 * Commands for repository editing (any provider with `editRepository`), policies, and the Account subtree (tokens,
 * organization groups). Account operations need the provider's Hub API, found by feature (`hub`), not by kind.
 */

function providerOf(ctx: Pick<CommandContext, 'manager'>, node: TreeNode & { registryName: string }): RegistryProvider {
  return providerNamed(ctx, node.registryName);
}

function providerNamed(ctx: Pick<CommandContext, 'manager'>, registry: string): RegistryProvider {
  const state = ctx.manager.get(registry);
  if (!state) throw new NotFoundError(`No registry named "${registry}" is configured`);
  return usableProvider(state);
}

function hubOf(provider: RegistryProvider): HubApi {
  // Duck-typed rather than `instanceof`, so the commands do not load the registry layer at activation.
  const hub = (provider as { hub?: unknown }).hub;
  if (hub && typeof hub === 'object' && typeof (hub as Partial<HubApi>).listPersonalAccessTokens === 'function') return hub as HubApi;
  throw new UnsupportedError('This registry has no account API');
}

function isNode<T extends TreeNode['type']>(arg: unknown, type: T): arg is Extract<TreeNode, { type: T }> {
  return !!arg && typeof arg === 'object' && (arg as { type?: unknown }).type === type;
}

function resourceArg(arg: unknown, trait: string): ResourceNode {
  if (isNode(arg, 'resource') && arg.item.traits.includes(trait)) return arg;
  throw new UnsupportedError('Run this command from the item in the Registries view');
}

function withProgress<T>(title: string, task: (signal: AbortSignal) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_p, token) => {
    const ac = new AbortController();
    token.onCancellationRequested(() => ac.abort());
    return task(ac.signal);
  });
}

// ---- repositories ----------------------------------------------------------------------------------------------------

const REPO_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export async function createRepository(ctx: CommandContext, arg?: unknown): Promise<string | undefined> {
  if (!isNode(arg, 'namespace')) throw new UnsupportedError('Run "Create Repository" on a namespace in the Registries view');
  const node: NamespaceNode = arg;
  const provider = providerOf(ctx, node);
  if (!provider.createRepository) throw new UnsupportedError(`${node.registryName} cannot create repositories`);
  const namespace = node.namespace.name;
  const name = required(
    await vscode.window.showInputBox({
      title: `New repository in ${namespace}`,
      prompt: 'Repository name (lower case letters, digits, . _ -)',
      validateInput: (v) => (REPO_NAME.test(v.trim()) && v.trim().length >= 2 && v.trim().length <= 255 ? undefined : 'Use 2–255 lower-case letters, digits and . _ - (not at the start or end)'),
    }),
  ).trim();
  const visibility = required(
    await vscode.window.showQuickPick(
      [
        { label: 'Public', description: 'Anyone can pull', isPrivate: false },
        { label: 'Private', description: 'Only people you grant access', isPrivate: true },
      ],
      { title: `Visibility of ${namespace}/${name}` },
    ),
  );
  const description = required(await vscode.window.showInputBox({ title: `Description of ${namespace}/${name}`, prompt: 'Short description (optional, at most 100 characters)', validateInput: (v) => (v.length > 100 ? 'At most 100 characters' : undefined) }));
  await withProgress(`Creating ${namespace}/${name}…`, (signal) => provider.createRepository!({ namespace, name, description: description || undefined, isPrivate: visibility.isPrivate }, signal));
  ctx.logger.info(`Created repository ${namespace}/${name} in ${node.registryName}`);
  ctx.tree.refresh(node);
  void vscode.window.showInformationMessage(`Created ${visibility.isPrivate ? 'private' : 'public'} repository ${namespace}/${name}.`);
  return `${namespace}/${name}`;
}

export async function deleteRepository(ctx: CommandContext, arg?: unknown): Promise<boolean> {
  if (!isNode(arg, 'repository')) throw new UnsupportedError('Run "Delete Repository" on a repository in the Registries view');
  const node: RepositoryNode = arg;
  const provider = providerOf(ctx, node);
  if (!provider.deleteRepository) throw new UnsupportedError(`${node.registryName} cannot delete repositories`);
  const name = node.repository.name;
  const button = 'Delete Repository';
  const ok = await vscode.window.showWarningMessage(`Delete repository ${name} and all its tags?`, { modal: true, detail: `Every tag and image of ${name} on ${node.registryName} is deleted. This cannot be undone.` }, button);
  if (ok !== button) return false;
  await withProgress(`Deleting ${name}…`, (signal) => provider.deleteRepository!(name, signal));
  ctx.logger.info(`Deleted repository ${name} from ${node.registryName}`);
  const owner = node.parent;
  if (owner) ctx.tree.refresh(owner);
  else ctx.tree.refresh();
  void vscode.window.showInformationMessage(`Deleted repository ${name}.`);
  return true;
}

/** Opens the description / full description / visibility form of a repository. */
export function editRepository(ctx: CommandContext, arg?: unknown): void {
  if (!isNode(arg, 'repository')) throw new UnsupportedError('Run "Edit Repository" on a repository in the Registries view');
  const node: RepositoryNode = arg;
  ctx.webviews.showForm(repositoryFormSpec(ctx, { formId: 'hubRepository', registry: node.registryName, repository: node.repository.name }, () => node.parent && ctx.tree.refresh(node.parent)));
}

/** Services the Hub forms need; they are also built when VS Code restores a form panel after a reload. */
export type FormContext = Omit<CommandContext, 'webviews'>;

/** The panel of a Hub form. `refresh` updates the tree after a save (a restored panel has no tree node to refresh). */
export function hubFormSpec(ctx: FormContext, t: HubFormTarget, refresh?: () => void): PanelSpec {
  return t.formId === 'hubRepository' ? repositoryFormSpec(ctx, t, refresh) : immutableTagsFormSpec(ctx, t, refresh);
}

function repositoryFormSpec(ctx: FormContext, t: HubFormTarget, refresh?: () => void): PanelSpec {
  const { registry, repository } = t;
  // Everything parseHubFormRestore needs to rebuild this panel after a reload.
  const restore = { formId: 'hubRepository', registry, repository } satisfies HubFormTarget;
  return {
    kind: 'form',
    key: `hubRepository:${registry}:${repository}`,
    title: `Edit ${repository}`,
    restore,
    async load(signal) {
      const provider = providerNamed(ctx, registry);
      if (!provider.getRepositorySettings) throw new UnsupportedError(`${registry} cannot edit repositories`);
      const r = await provider.getRepositorySettings(repository, signal);
      return {
        type: 'init',
        panel: 'form',
        data: {
          formId: 'hubRepository',
          title: `Repository “${repository}”`,
          description: `On ${registry}.`,
          values: { description: r.description ?? '', fullDescription: r.fullDescription ?? '', isPrivate: r.isPrivate ?? false },
          submitLabel: 'Save',
        },
        restore,
      };
    },
    async onMessage(msg, post) {
      if (msg.type !== 'save') return;
      const parsed = forms.hubRepository.safeParse(msg.values);
      if (!parsed.success) {
        post({ type: 'reply', requestId: msg.requestId, ok: false, message: 'Some fields need attention.', fieldErrors: fieldErrors(parsed.error) });
        return;
      }
      const provider = providerNamed(ctx, registry);
      if (!provider.updateRepository) throw new UnsupportedError(`${registry} cannot edit repositories`);
      await provider.updateRepository(repository, { description: parsed.data.description ?? '', fullDescription: parsed.data.fullDescription ?? '', isPrivate: parsed.data.isPrivate });
      ctx.logger.info(`Saved the settings of ${repository} on ${registry}`);
      refresh?.();
      post({ type: 'reply', requestId: msg.requestId, ok: true, message: `Saved “${repository}”.` });
    },
  };
}

// ---- immutable tags --------------------------------------------------------------------------------------------------

function policyTarget(ctx: CommandContext, arg: unknown): { node: ResourceNode; hub: HubApi; ns: string; name: string } {
  const node = resourceArg(arg, 'immutableTags');
  const repository = node.item.data?.repository;
  if (!repository) throw new UnsupportedError('This policy names no repository');
  const [ns, name] = splitRepository(repository);
  return { node, hub: hubOf(providerOf(ctx, node)), ns, name };
}

/** Tags of the repository that any of the rules would make immutable. */
async function matchingTags(hub: HubApi, ns: string, name: string, rules: string[], signal?: AbortSignal): Promise<string[]> {
  const all = new Set<string>();
  for (const r of rules) for (const t of await hub.verifyImmutableTags(ns, name, r, signal)) all.add(t);
  return [...all].sort();
}

function listText(tags: string[], max = 20): string {
  if (tags.length === 0) return 'no existing tag';
  const shown = tags.slice(0, max).join(', ');
  return tags.length > max ? `${shown} and ${tags.length - max} more` : shown;
}

export function editImmutableTags(ctx: CommandContext, arg?: unknown): void {
  const { node, ns, name } = policyTarget(ctx, arg);
  ctx.webviews.showForm(immutableTagsFormSpec(ctx, { formId: 'hubImmutableTags', registry: node.registryName, repository: `${ns}/${name}` }, () => node.parent && ctx.tree.refresh(node.parent)));
}

function immutableTagsFormSpec(ctx: FormContext, target: HubFormTarget, refresh?: () => void): PanelSpec {
  const { registry, repository } = target;
  const [ns, name] = splitRepository(repository);
  // Resolved on use: a restored panel may come back before the registry's provider is usable.
  const hub = (): HubApi => hubOf(providerNamed(ctx, registry));
  const restore = { formId: 'hubImmutableTags', registry, repository } satisfies HubFormTarget;
  return {
    kind: 'form',
    key: `hubImmutableTags:${registry}:${repository}`,
    title: `Immutable Tags: ${repository}`,
    restore,
    async load(signal) {
      const s = await hub().getImmutableTags(ns, name, signal);
      return {
        type: 'init',
        panel: 'form',
        data: {
          formId: 'hubImmutableTags',
          title: `Immutable tags of “${repository}”`,
          description: 'Saving verifies the rules first and shows which existing tags they match.',
          values: { enabled: s.enabled, rules: s.rules },
          submitLabel: 'Verify and Save',
        },
        restore,
      };
    },
    async onMessage(msg, post) {
      if (msg.type !== 'save') return;
      const parsed = forms.hubImmutableTags.safeParse(msg.values);
      if (!parsed.success) {
        post({ type: 'reply', requestId: msg.requestId, ok: false, message: 'Some fields need attention.', fieldErrors: fieldErrors(parsed.error) });
        return;
      }
      const rules = parsed.data.rules ?? [];
      if (parsed.data.enabled && rules.length === 0) {
        post({ type: 'reply', requestId: msg.requestId, ok: false, message: 'Add at least one rule, or turn immutable tags off.', fieldErrors: { rules: 'Add at least one rule' } });
        return;
      }
      const matched = rules.length ? await matchingTags(hub(), ns, name, rules) : [];
      const button = 'Save Rules';
      const verdict = `The rules match ${matched.length} existing tag${matched.length === 1 ? '' : 's'}: ${listText(matched)}.`;
      const ok = await vscode.window.showInformationMessage(
        parsed.data.enabled ? `Make matching tags of ${repository} immutable?` : `Turn immutable tags off for ${repository}?`,
        { modal: true, detail: `${verdict}${parsed.data.enabled ? ' They can no longer be overwritten or deleted.' : ''}` },
        button,
      );
      if (ok !== button) {
        post({ type: 'reply', requestId: msg.requestId, ok: false, message: `Not saved. ${verdict}` });
        return;
      }
      await hub().setImmutableTags(ns, name, { enabled: parsed.data.enabled, rules });
      ctx.logger.info(`Saved immutable-tag rules of ${repository} on ${registry}`);
      refresh?.();
      post({ type: 'reply', requestId: msg.requestId, ok: true, message: `Saved. ${verdict}` });
    },
  };
}

/** Asks for one rule and lists the tags it matches, without saving anything. */
export async function verifyImmutableTagRule(ctx: CommandContext, arg?: unknown, rule?: string): Promise<string[]> {
  const t = policyTarget(ctx, arg);
  const regex =
    rule ??
    required(
      await vscode.window.showInputBox({
        title: `Verify an immutable-tag rule on ${t.ns}/${t.name}`,
        prompt: 'Regular expression matched against tag names',
        validateInput: (v) => {
          try {
            new RegExp(v);
            return v ? undefined : 'Enter a rule';
          } catch {
            return 'Not a valid regular expression';
          }
        },
      }),
    );
  const tags = await withProgress(`Checking ${regex} against ${t.ns}/${t.name}…`, (signal) => t.hub.verifyImmutableTags(t.ns, t.name, regex, signal));
  void vscode.window.showQuickPick(tags.length ? tags.map((x) => ({ label: x })) : [{ label: 'No existing tag matches' }], { title: `“${regex}” matches ${tags.length} tag${tags.length === 1 ? '' : 's'} of ${t.ns}/${t.name}`, canPickMany: false });
  return tags;
}

// ---- access tokens ---------------------------------------------------------------------------------------------------

const PAT_SCOPES = [
  { label: 'repo:read', description: 'Read-only' },
  { label: 'repo:write', description: 'Read & write' },
  { label: 'repo:admin', description: 'Read, write & delete' },
  { label: 'repo:public_read', description: 'Public repositories, read-only' },
];

const EXPIRIES = [
  { label: '30 days', days: 30 },
  { label: '90 days', days: 90 },
  { label: '1 year', days: 365 },
  { label: 'No expiry', days: 0 },
];

/** Shows a new token's secret once, in a modal with a Copy button; it is never logged or stored. */
async function showSecretOnce(what: string, secret: string): Promise<void> {
  registerSecret(secret);
  const copy = 'Copy Token';
  const pick = await vscode.window.showInformationMessage(`Created ${what}. Copy the token now: Docker Hub does not show it again.`, { modal: true, detail: secret }, copy);
  if (pick === copy) {
    await vscode.env.clipboard.writeText(secret);
    vscode.window.setStatusBarMessage('Copied the new access token', 3000);
  }
}

export interface CreateTokenInput {
  label: string;
  scopes: string[];
  /** Days until expiry; 0 or absent: none. */
  days?: number;
}

/** Creates a personal access token (on the "Personal access tokens" node) or an organization access token. */
export async function createAccessToken(ctx: CommandContext, arg?: unknown, input?: CreateTokenInput): Promise<PersonalAccessToken | { id: string } | undefined> {
  const node = resourceArg(arg, 'accessTokens');
  const hub = hubOf(providerOf(ctx, node));
  const org = node.item.traits.includes('orgAccessTokens') ? node.item.data?.org : undefined;
  const label =
    input?.label ??
    required(await vscode.window.showInputBox({ title: org ? `New access token of ${org}` : 'New personal access token', prompt: 'Description of the token', validateInput: (v) => (v.trim() && v.length <= 100 ? undefined : 'Enter 1–100 characters') })).trim();
  let scopes = input?.scopes;
  if (!scopes) {
    if (org) {
      const picked = required(await vscode.window.showQuickPick(ORG_TOKEN_SCOPES.map((s) => ({ label: s.label, description: s.scope, scope: s.scope })), { title: `Scopes on the repositories of ${org}`, canPickMany: true }));
      scopes = picked.map((p) => p.scope);
    } else {
      const picked = required(await vscode.window.showQuickPick(PAT_SCOPES, { title: 'Access permissions' }));
      scopes = [picked.label];
    }
    if (scopes.length === 0) throw new UnsupportedError('Pick at least one scope');
  }
  const days = input?.days ?? required(await vscode.window.showQuickPick(EXPIRIES, { title: 'Expiration' })).days;
  const expiresAt = days ? new Date(Date.now() + days * 86_400_000).toISOString() : undefined;
  if (org) {
    const created = await withProgress(`Creating an access token for ${org}…`, (signal) => hub.createOrgAccessToken(org, { label, resources: [{ type: 'TYPE_REPO', path: `${org}/*`, scopes }], expiresAt }, signal));
    ctx.logger.info(`Created access token "${label}" of ${org}`);
    ctx.tree.refresh(node);
    await showSecretOnce(`access token “${label}” of ${org}`, created.secret);
    return { id: created.id };
  }
  const created = await withProgress('Creating a personal access token…', (signal) => hub.createPersonalAccessToken({ label, scopes: scopes, expiresAt }, signal));
  ctx.logger.info(`Created personal access token "${label}"`);
  ctx.tree.refresh(node);
  const { secret, ...token } = created;
  await showSecretOnce(`personal access token “${label}”`, secret);
  return token;
}

async function setTokenActive(ctx: CommandContext, arg: unknown, active: boolean): Promise<void> {
  const node = isNode(arg, 'resource') && arg.item.traits.includes('orgAccessToken') ? arg : resourceArg(arg, 'personalAccessToken');
  const hub = hubOf(providerOf(ctx, node));
  const d = node.item.data ?? {};
  if (d.org && d.id) await hub.setOrgAccessTokenActive(d.org, d.id, active);
  else if (d.uuid) await hub.setPersonalAccessTokenActive(d.uuid, active);
  else throw new UnsupportedError('This item is not an access token');
  ctx.logger.info(`${active ? 'Activated' : 'Deactivated'} access token "${node.item.label}"`);
  if (node.parent) ctx.tree.refresh(node.parent);
}

export const deactivateAccessToken = (ctx: CommandContext, arg?: unknown): Promise<void> => setTokenActive(ctx, arg, false);
export const activateAccessToken = (ctx: CommandContext, arg?: unknown): Promise<void> => setTokenActive(ctx, arg, true);

/** Deletes (revokes) a personal or organization access token after a confirmation naming it. */
export async function deleteAccessToken(ctx: CommandContext, arg?: unknown): Promise<boolean> {
  const node = isNode(arg, 'resource') && arg.item.traits.includes('orgAccessToken') ? arg : resourceArg(arg, 'personalAccessToken');
  const hub = hubOf(providerOf(ctx, node));
  const d = node.item.data ?? {};
  const what = d.org ? `access token “${node.item.label}” of ${d.org}` : `personal access token “${node.item.label}”`;
  const button = 'Revoke Token';
  const ok = await vscode.window.showWarningMessage(`Revoke ${what}?`, { modal: true, detail: 'Anything still using it loses access at once. This cannot be undone.' }, button);
  if (ok !== button) return false;
  if (d.org && d.id) await hub.revokeOrgAccessToken(d.org, d.id);
  else if (d.uuid) await hub.deletePersonalAccessToken(d.uuid);
  else throw new UnsupportedError('This item is not an access token');
  ctx.logger.info(`Revoked ${what}`);
  if (node.parent) ctx.tree.refresh(node.parent);
  void vscode.window.showInformationMessage(`Revoked ${what}.`);
  return true;
}

// ---- organization groups ---------------------------------------------------------------------------------------------

export async function addGroupMember(ctx: CommandContext, arg?: unknown, username?: string): Promise<void> {
  const node = resourceArg(arg, 'orgGroup');
  const { org, group } = node.item.data ?? {};
  if (!org || !group) throw new UnsupportedError('This item is not a group');
  const hub = hubOf(providerOf(ctx, node));
  const user = username ?? required(await vscode.window.showInputBox({ title: `Add a member to ${org}/${group}`, prompt: 'Docker ID of an organization member', validateInput: (v) => (v.trim() ? undefined : 'Enter a Docker ID') })).trim();
  await hub.addGroupMember(org, group, user);
  ctx.logger.info(`Added ${user} to group ${group} of ${org}`);
  ctx.tree.refresh(node);
}

export async function removeGroupMember(ctx: CommandContext, arg?: unknown): Promise<boolean> {
  const node = resourceArg(arg, 'groupMember');
  const { org, group, username } = node.item.data ?? {};
  if (!org || !group || !username) throw new UnsupportedError('This item is not a group member');
  const button = 'Remove Member';
  const ok = await vscode.window.showWarningMessage(`Remove ${username} from group ${group} of ${org}?`, { modal: true }, button);
  if (ok !== button) return false;
  await hubOf(providerOf(ctx, node)).removeGroupMember(org, group, username);
  ctx.logger.info(`Removed ${username} from group ${group} of ${org}`);
  if (node.parent) ctx.tree.refresh(node.parent);
  return true;
}

// ---- repository order ------------------------------------------------------------------------------------------------

const ORDER_LABELS: Record<string, string> = {
  name: 'Name (A–Z)',
  '-name': 'Name (Z–A)',
  last_updated: 'Least recently updated',
  '-last_updated': 'Recently updated',
  pull_count: 'Fewest pulls',
  '-pull_count': 'Most pulls',
};

/** Lists a namespace's repositories in another order the registry supports (Hub's `ordering`). */
export async function sortRepositories(ctx: CommandContext, arg?: unknown, ordering?: string): Promise<void> {
  if (!isNode(arg, 'namespace') || !arg.repositoryOrderings?.length) throw new UnsupportedError('Run "Sort Repositories" on a namespace in the Registries view');
  const node: NamespaceNode = arg;
  const current = ctx.tree.getOrdering(node);
  const picked =
    ordering ??
    required(
      await vscode.window.showQuickPick(
        [
          { label: 'Registry default', value: '', description: current === undefined ? 'current' : undefined },
          ...node.repositoryOrderings!.map((o) => ({ label: ORDER_LABELS[o] ?? o, value: o, description: o === current ? 'current' : o })),
        ],
        { title: `Order of the repositories in ${node.namespace.name}` },
      ),
    ).value;
  if (picked && !node.repositoryOrderings!.includes(picked)) throw new UnsupportedError(`The registry cannot order repositories by "${picked}"`);
  ctx.tree.setOrdering(node, picked || undefined);
}
