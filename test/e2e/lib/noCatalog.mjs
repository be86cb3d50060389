// A registry that does not list its repositories, for the UI specs and the demo: the sandbox's real registry behind
// test/support/catalogRefuser.ts (a proxy on 127.0.0.1 answering /v2/_catalog with 403), and a recorded fake
// `docker` (test/support/fakeEngine) that the code-server's extension host finds first on PATH.
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');
export const FAKE_ENGINE_DIR = path.join(root, 'test', 'support', 'fakeEngine');

/** Starts the proxy in front of `oci` (the sandbox endpoint). Throws when it cannot start: its specs must fail, not skip. */
export async function startNoCatalog({ oci, log = () => {} }) {
  try {
    const { tsImport } = await import('tsx/esm/api');
    const mod = await tsImport('../../support/catalogRefuser.ts', import.meta.url);
    const start = mod.startCatalogRefuser ?? mod.default?.startCatalogRefuser;
    const proxy = await start({ upstream: oci.url, caFile: oci.caFile, status: 403 });
    log(`registry without a catalog on ${proxy.url}`);
    return { info: { url: proxy.url, host: proxy.host, username: oci.username, password: oci.password }, stop: () => proxy.close() };
  } catch (e) {
    throw new Error(`the registry without a catalog did not start: ${String(e?.message ?? e)}`, { cause: e });
  }
}

/** Its settings entry (the password goes to SecretStorage, never here). */
export function noCatalogEntry(info, name = 'no-catalog') {
  return { name, kind: 'oci', url: info.url, username: info.username };
}

/**
 * The machine setting that makes the extension run the fake docker (the extension host's PATH comes from a login
 * shell, so a PATH given to code-server does not reach it).
 */
export const fakeEngineSettings = { 'registryExplorer.containerClient': path.join(FAKE_ENGINE_DIR, 'docker') };

/** Terminals drawn as DOM text (not on a canvas), so a spec can read what a terminal shows. */
export const readableTerminals = { 'terminal.integrated.gpuAcceleration': 'off' };

/** Environment for code-server: the fake docker's record file and the sandbox login it accepts. */
export function fakeEngineEnv(info, logFile, stateDir) {
  return {
    FAKE_DOCKER_LOG: logFile,
    FAKE_DOCKER_STATE: stateDir,
    FAKE_DOCKER_USER: info.username,
    FAKE_DOCKER_PASSWORD: info.password,
    FAKE_DOCKER_REQUIRE_LOGIN: '1',
  };
}
