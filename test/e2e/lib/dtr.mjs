// The seeded fake DTR / MSR (test/servers/dtrServer.ts startDemoDtr: the demo data set, with its own /v2/
// registry) started in this process through tsx. Throws when it can't start: the suites that need it must fail,
// not skip.
// Data: alice (an API token as the secret; also alice-password), bob, admin / admin-password; the organizations
// engineering (api, web, many — 150 tags) and platform, alice/scratch; engineering/api:latest is multi-platform
// (linux/amd64 + linux/arm64) with a scan summary of 320 CVEs per platform.

/** @returns {Promise<{ info: { url: string, username: string, password: string, namespaces: string[] }, stop(): Promise<void> }>} */
export async function startDtr({ log = () => {} } = {}) {
  try {
    const { tsImport } = await import('tsx/esm/api');
    const mod = await tsImport('../../servers/dtrServer.ts', import.meta.url);
    const startDemoDtr = mod.startDemoDtr ?? mod.default?.startDemoDtr;
    if (typeof startDemoDtr !== 'function') throw new Error('test/servers/dtrServer.ts exports no startDemoDtr');
    const { info, stop } = await startDemoDtr();
    log(`fake DTR on ${info.url}`);
    return { info, stop };
  } catch (e) {
    throw new Error(`the fake DTR did not start: ${String(e?.message ?? e)}`, { cause: e });
  }
}

/** The settings entry for the fake DTR (the token goes to SecretStorage, never here). */
export function dtrEntry(info, name = 'dtr') {
  return { name, kind: 'dtr', url: info.url, username: info.username, namespaces: info.namespaces };
}
