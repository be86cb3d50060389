// Starts the sandbox registries (test/support/sandbox.ts: the real docker-registry with TLS + htpasswd, filled
// with sample images) and waits for the endpoints file it writes:
//   { oci: { url, caFile, username, password }, ... }
// E2E_SANDBOX_JSON=<file> reuses a sandbox that is already running (its endpoints file) instead.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { killTree, sleep } from './procs.mjs';

/** @returns {Promise<{ endpoints: any, jsonFile: string, stop(): Promise<void> }>} */
export async function startSandbox({ root, dir, log = () => {}, timeoutMs = 180_000 }) {
  if (process.env.E2E_SANDBOX_JSON) {
    const jsonFile = path.resolve(process.env.E2E_SANDBOX_JSON);
    log(`using the running sandbox of ${jsonFile}`);
    return { endpoints: JSON.parse(fs.readFileSync(jsonFile, 'utf8')), jsonFile, stop: async () => {} };
  }
  fs.mkdirSync(dir, { recursive: true });
  const jsonFile = path.join(dir, 'sandbox.json');
  fs.rmSync(jsonFile, { force: true });
  const out = fs.openSync(path.join(dir, 'sandbox.log'), 'w');
  const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const child = spawn(process.execPath, [tsx, path.join(root, 'test', 'support', 'sandbox.ts'), '--json', jsonFile, '--stdin-lifetime'], {
    cwd: root,
    detached: true,
    // With --stdin-lifetime the sandbox also stops when this process dies without signalling it.
    stdio: ['pipe', out, out],
  });
  fs.closeSync(out);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) await killTree(child.pid);
  };
  const t0 = Date.now();
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        const tail = fs.readFileSync(path.join(dir, 'sandbox.log'), 'utf8').split('\n').slice(-15).join('\n');
        throw new Error(`the sandbox exited early (${child.exitCode ?? child.signalCode}):\n${tail}`);
      }
      if (fs.existsSync(jsonFile)) {
        try {
          const endpoints = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
          if (endpoints?.oci?.url) {
            log(`sandbox ready after ${((Date.now() - t0) / 1000).toFixed(1)} s: ${endpoints.oci.url}`);
            return { endpoints, jsonFile, stop };
          }
        } catch {
          /* still being written */
        }
      }
      if (Date.now() - t0 > timeoutMs) throw new Error(`the sandbox did not write ${jsonFile} within ${timeoutMs / 1000} s`);
      await sleep(100);
    }
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Registry entries for `registryExplorer.registries` (never a password: those go to SecretStorage). */
export function registryEntries(endpoints, names = { main: 'sandbox' }) {
  const oci = endpoints.oci;
  const base = { kind: 'oci', url: oci.url, ...(oci.username ? { username: oci.username } : {}), ...(oci.caFile ? { caFile: oci.caFile } : {}) };
  return Object.entries(names).map(([, name]) => ({ name, ...base }));
}
