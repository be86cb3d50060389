// @vscode/test-cli configuration: `npx vscode-test` runs the same in-host suite as the end-to-end run
// (test/integration, bundled into out/test/integration) in a VS Code downloaded by @vscode/test-electron.
// The Docker Hub and v1 suites need the fakes test/e2e/run.mjs starts; without them they fail (they never skip).
// It needs a machine that can download VS Code and show a window (or xvfb-run). On CI and offline machines the
// suite runs inside code-server instead: `npm run test:e2e` (test/e2e/run.mjs).
//
// Loading this file builds the extension and the suite, and starts the sandbox registries
// (test/support/sandbox.ts) unless REGISTRY_SANDBOX_JSON already names the endpoints file of a running one;
// the sandbox is stopped when the CLI exits.
import { defineConfig } from '@vscode/test-cli';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildIntegration } from './test/integration/build.mjs';

const root = path.dirname(new URL(import.meta.url).pathname);

if (spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' }).status !== 0) throw new Error('node esbuild.mjs failed');
await buildIntegration();

let sandboxJson = process.env.REGISTRY_SANDBOX_JSON;
if (!sandboxJson) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-explorer-vscode-test-'));
  sandboxJson = path.join(dir, 'sandbox.json');
  const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'test/support/sandbox.ts', '--json', sandboxJson, '--stdin-lifetime'], {
    cwd: root,
    detached: true,
    stdio: ['pipe', 'inherit', 'inherit'],
  });
  process.on('exit', () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already stopped */
    }
  });
  const end = Date.now() + 180_000;
  while (!fs.existsSync(sandboxJson)) {
    if (child.exitCode !== null) throw new Error('the sandbox exited before it was ready');
    if (Date.now() > end) throw new Error('the sandbox was not ready within 180 s');
    await new Promise((r) => setTimeout(r, 200));
  }
}

const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-explorer-workspace-'));

export default defineConfig({
  label: 'in-host',
  files: 'out/test/integration/**/*.test.js',
  version: '1.100.3',
  workspaceFolder: workspace,
  env: { REGISTRY_SANDBOX_JSON: sandboxJson },
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  mocha: { ui: 'bdd', timeout: 60_000, color: false, forbidOnly: true, forbidPending: true },
});
