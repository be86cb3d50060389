// code-server 4.100.3 (VS Code 1.100.3 in the browser) with its own state directories, the extension installed
// from the VSIX, and User/settings.json seeded, started detached in its own process group.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, killTree, sleep } from './procs.mjs';

export const TOOLS = process.env.REGISTRY_EXPLORER_TOOLS || path.join(os.homedir(), '.cache', 'registry-explorer', 'tools');
export const CODE_SERVER = path.join(TOOLS, 'node_modules', '.bin', 'code-server');

/** Settings that keep walkthroughs, tips and marketplace queries out of the way. */
export const quietSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'window.commandCenter': false,
  'chat.commandCenter.enabled': false,
  'workbench.colorTheme': 'Default Dark Modern',
};

/**
 * @param {{ runDir: string, vsix: string, extraVsix?: string[], extensions?: string[], settings: object, machineSettings?: object, env?: object, host?: string, port?: number, log?: (m: string) => void, trust?: boolean }} o
 *   `machineSettings`: written to Machine/settings.json (machine-scoped settings, which a workspace cannot set).
 *   `trust`: keep workspace trust on (the folder opens in Restricted Mode until trusted); off by default.
 *   `extraVsix`, `extensions`: more VSIX files to install beside it (the sandbox sign-in of
 *   test/support/sandbox-extension, the stand-in GitHub account of test/e2e/githubAuth).
 */
export async function startCodeServer({ runDir, vsix, extraVsix = [], extensions = [], settings, machineSettings, env = {}, host = '127.0.0.1', port, log = () => {}, trust = false }) {
  if (!fs.existsSync(CODE_SERVER)) throw new Error(`code-server is not installed at ${CODE_SERVER}; run scripts/setup-test-tools.sh`);
  const dirs = {
    userData: path.join(runDir, 'user-data'),
    extensions: path.join(runDir, 'extensions'),
    xdg: path.join(runDir, 'xdg'),
    workspace: path.join(runDir, 'workspace'),
  };
  fs.rmSync(runDir, { recursive: true, force: true });
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  for (const d of ['config', 'data', 'cache']) fs.mkdirSync(path.join(dirs.xdg, d), { recursive: true });
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.workspace, 'README.md'), '# Registry Explorer workspace\n');
  const config = path.join(runDir, 'config.yaml');
  fs.writeFileSync(config, 'auth: none\n'); // keeps code-server away from ~/.config/code-server
  const settingsFile = path.join(dirs.userData, 'User', 'settings.json');
  if (machineSettings) {
    fs.mkdirSync(path.join(dirs.userData, 'Machine'), { recursive: true });
    fs.writeFileSync(path.join(dirs.userData, 'Machine', 'settings.json'), JSON.stringify(machineSettings, null, 2));
  }
  fs.writeFileSync(settingsFile, JSON.stringify({ ...quietSettings, ...(trust ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } : {}), ...settings }, null, 2));

  const csEnv = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(dirs.xdg, 'config'),
    XDG_DATA_HOME: path.join(dirs.xdg, 'data'),
    XDG_CACHE_HOME: path.join(dirs.xdg, 'cache'),
    ...env,
  };
  delete csEnv.VSCODE_IPC_HOOK_CLI;
  const common = ['--config', config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
  let t = Date.now();
  execFileSync(CODE_SERVER, [...common, '--install-extension', vsix], { env: csEnv, stdio: 'pipe' });
  // Test extensions next to it (the demo's sandbox sign-in, the stand-in GitHub account of test/e2e/githubAuth).
  for (const extra of [...extraVsix, ...extensions]) execFileSync(CODE_SERVER, [...common, '--install-extension', extra], { env: csEnv, stdio: 'pipe' });
  const listed = execFileSync(CODE_SERVER, [...common, '--list-extensions', '--show-versions'], { env: csEnv }).toString().trim();
  if (!/^registry-explorer\.registry-explorer@/m.test(listed)) throw new Error(`the extension is not installed after --install-extension: ${listed}`);
  log(`installed ${listed} in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  port ??= await freePort();
  const base = `http://${host}:${port}`;
  const args = [...common, '--bind-addr', `${host}:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', ...(trust ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override', dirs.workspace];
  const logFile = path.join(runDir, 'code-server.log');
  const out = fs.openSync(logFile, 'w');
  t = Date.now();
  const child = spawn(CODE_SERVER, args, { env: csEnv, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) return killTree(child.pid);
    return killTree(child.pid, 500);
  };
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`code-server exited early (${child.exitCode}), see ${logFile}`);
      try {
        if ((await fetch(`${base}/healthz`)).ok) break;
      } catch {
        /* not listening yet */
      }
      if (Date.now() - t > 60_000) throw new Error('code-server did not answer within 60 s');
      await sleep(100);
    }
  } catch (e) {
    await stop();
    throw e;
  }
  log(`code-server pid ${child.pid} on ${base} after ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return { base, port, host, dirs, settingsFile, logFile, pid: child.pid, child, stop };
}

/**
 * Packages test/support/sandbox-extension (which signs the product in to the sandbox registries through its own Sign
 * In command) into `out` and returns its path.
 */
export function packageSandboxExtension(root, out) {
  execFileSync(path.join(root, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', out], { cwd: path.join(root, 'test', 'support', 'sandbox-extension'), stdio: 'pipe' });
  return out;
}
