/**
 * The `repositories` list of one registry entry, edited where the entry is defined. `registryExplorer.registries` is
 * an array, so the most specific settings level that has it (folder, then workspace, then user) is the one in use;
 * the entry is changed there and every other field of it, and every other entry, stays as it was. In an untrusted
 * workspace only the user settings count (as when they are read). No 'vscode' import: the host maps the level.
 */

export type SettingsLevel = 'workspaceFolder' | 'workspace' | 'global';

export interface InspectedList {
  globalValue?: unknown[];
  workspaceValue?: unknown[];
  workspaceFolderValue?: unknown[];
}

/** The level to write and the whole new value of the setting there. Throws when the entry is not defined there. */
export function editRepositories(inspected: InspectedList | undefined, trusted: boolean, name: string, change: (current: readonly string[]) => string[]): { level: SettingsLevel; value: unknown[] } {
  const levels: Array<[SettingsLevel, unknown[] | undefined]> = trusted
    ? [
        ['workspaceFolder', inspected?.workspaceFolderValue],
        ['workspace', inspected?.workspaceValue],
        ['global', inspected?.globalValue],
      ]
    : [['global', inspected?.globalValue]];
  const found = levels.find(([, list]) => Array.isArray(list));
  const list = found?.[1] ?? [];
  const at = list.findIndex((r) => isObject(r) && r.name === name);
  if (!found || at < 0) throw new Error(`No registry named "${name}" is defined in the settings in use`);
  const entry = { ...(list[at] as Record<string, unknown>) };
  const current = Array.isArray(entry.repositories) ? entry.repositories.filter((r): r is string => typeof r === 'string') : [];
  const next = change(current);
  if (next.length) entry.repositories = next;
  else delete entry.repositories;
  const value = [...list];
  value[at] = entry;
  return { level: found[0], value };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/**
 * A name typed or pasted as a repository: trimmed, without the registry host in front (`registry.example.com/owner/app` →
 * `owner/app`) and without a tag or digest after it.
 */
export function repositoryInput(value: string, pullHost: string): string {
  let v = value.trim().replace(/@.*$/, '');
  if (v.toLowerCase().startsWith(`${pullHost.toLowerCase()}/`)) v = v.slice(pullHost.length + 1);
  // A tag is after the last slash's colon (a colon before a slash belongs to a host:port).
  const slash = v.lastIndexOf('/');
  const colon = v.indexOf(':', slash + 1);
  return colon >= 0 ? v.slice(0, colon) : v;
}
