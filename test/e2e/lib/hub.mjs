// The seeded fake Docker Hub (test/servers/hubServer.ts startDemoHub) started in this process through tsx.
// Throws when it can't start: the suites that need it must fail, not skip.
export async function startHub({ log = () => {} } = {}) {
  try {
    const { tsImport } = await import('tsx/esm/api');
    const mod = await tsImport('../../servers/hubServer.ts', import.meta.url);
    const startDemoHub = mod.startDemoHub ?? mod.default?.startDemoHub;
    if (typeof startDemoHub !== 'function') throw new Error('test/servers/hubServer.ts exports no startDemoHub');
    const { info, stop } = await startDemoHub();
    log(`fake Docker Hub on ${info.url}${info.registryUrl ? `, registry ${info.registryUrl}` : ''}`);
    return { info, stop };
  } catch (e) {
    throw new Error(`the fake Docker Hub did not start: ${String(e?.message ?? e)}`, { cause: e });
  }
}

/** The settings entry for the fake Hub (the secret goes to SecretStorage, never here). */
export function hubEntry(info, name = 'hub') {
  return {
    name,
    kind: 'dockerhub',
    url: info.url,
    ...(info.registryUrl ? { registryUrl: info.registryUrl } : {}),
    username: info.username,
    namespaces: info.namespaces,
  };
}
