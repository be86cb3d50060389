import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { RegistryExplorerApi } from '../../src/extension';
import type { TreeNode } from '../../src/tree/nodes';

export const EXTENSION_ID = 'registry-explorer.registry-explorer';

/**
 * Endpoints written by test/support/sandbox.ts (`--json <file>`); the file's path comes in REGISTRY_SANDBOX_JSON.
 * The e2e runner (test/e2e/run.mjs) adds the fake Docker Hub (`extra.hub`), the fake v1 index (`extra.hubV1`),
 * the fake DTR (`extra.dtr`), the fake Quay (`extra.quay`) and the fake Harbor (`extra.harbor`).
 */
export interface SandboxEndpoints {
  oci: { url: string; caFile?: string; username?: string; password?: string };
  extra?: {
    hub?: { url: string; registryUrl?: string; username: string; password: string; namespaces: string[] };
    hubV1?: { url: string; username: string; password: string; namespaces: string[]; images: Record<string, string[]> };
    dtr?: { url: string; username: string; password: string; namespaces: string[] };
    /** The fake Quay (test/servers/quayServer.ts startDemoQuay): `token` is the OAuth API token of `username`. */
    quay?: { url: string; token: string; otherToken: string; username: string; namespaces: string[] };
    /** The fake Harbor (test/servers/harborSeed.ts startDemoHarbor): the admin user and the project robot of team-a. */
    harbor?: { url: string; username: string; password: string; robot: string; robotSecret: string; namespaces: string[]; retentionId: number };
    /** The fake GitHub (test/servers/ghcr/seed.ts startDemoGhcr): octocat's tokens, read-only and with delete/restore. */
    ghcr?: { url: string; username: string; token: string; adminToken: string; namespaces: string[] };
  };
}

export function sandbox(): SandboxEndpoints {
  const file = process.env.REGISTRY_SANDBOX_JSON;
  assert.ok(file, 'REGISTRY_SANDBOX_JSON must name the endpoints file of a running sandbox (test/support/sandbox.ts --json <file>)');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as SandboxEndpoints;
}

export function entryFor(name: string, sb = sandbox()): Record<string, unknown> {
  const { url, caFile, username } = sb.oci;
  return { name, kind: 'oci', url, ...(username ? { username } : {}), ...(caFile ? { caFile } : {}) };
}

export async function activate(): Promise<RegistryExplorerApi> {
  const ext = vscode.extensions.getExtension<RegistryExplorerApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is installed`);
  return ext.activate();
}

/** Polls `probe` until it returns a truthy value (or throws the last assertion after `timeoutMs`). */
export async function eventually<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Replaces the user-level `registryExplorer.registries` and waits until the tree shows exactly these roots. */
export async function setRegistries(api: RegistryExplorerApi, entries: unknown[]): Promise<TreeNode[]> {
  await vscode.workspace.getConfiguration('registryExplorer').update('registries', entries, vscode.ConfigurationTarget.Global);
  const want = entries.length;
  return eventually(async () => {
    const roots = await api.tree.getChildren();
    return roots.length === want ? roots : undefined;
  }, `${want} root nodes`);
}

export function registryNode(roots: TreeNode[], name: string): TreeNode {
  const n = roots.find((r) => r.type === 'registry' && r.registryName === name);
  assert.ok(n, `registry node ${name} among ${roots.map((r) => r.id).join(', ')}`);
  return n;
}

export function labelOf(api: RegistryExplorerApi, n: TreeNode): string {
  return api.tree.describe(n).label;
}

export async function child(api: RegistryExplorerApi, parent: TreeNode, label: string): Promise<TreeNode> {
  const kids = await api.tree.getChildren(parent);
  const n = kids.find((k) => labelOf(api, k) === label);
  assert.ok(n, `"${label}" under ${parent.id}; children: ${kids.map((k) => labelOf(api, k)).join(', ')}`);
  return n;
}

/**
 * Runs `run` while the modal warnings it shows (confirmations; the test host refuses modal dialogs) are answered with
 * `button`, and returns what each asked (message and detail).
 */
export async function confirming<T>(button: string | undefined, run: () => Thenable<T> | Promise<T>): Promise<{ result: T; asked: { message: string; detail?: string; buttons: string[] }[] }> {
  const asked: { message: string; detail?: string; buttons: string[] }[] = [];
  type Show = (...a: unknown[]) => Thenable<unknown>;
  const window = vscode.window as unknown as { showWarningMessage: Show };
  const { showWarningMessage } = window;
  window.showWarningMessage = (message: unknown, ...rest: unknown[]) => {
    const options = typeof rest[0] === 'object' && rest[0] !== null ? (rest[0] as { detail?: string }) : undefined;
    asked.push({ message: String(message), detail: options?.detail, buttons: rest.filter((r): r is string => typeof r === 'string') });
    return Promise.resolve(rest.find((r) => r === button));
  };
  try {
    return { result: await run(), asked };
  } finally {
    window.showWarningMessage = showWarningMessage;
  }
}
