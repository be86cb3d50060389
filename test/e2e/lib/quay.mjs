// The seeded fake Red Hat Quay (test/servers/quayServer.ts startDemoQuay, with its /v2 registry) started in this
// process through tsx. Throws when it can't start: the suites that need it must fail, not skip.
export async function startQuay({ log = () => {} } = {}) {
  try {
    const { tsImport } = await import('tsx/esm/api');
    const mod = await tsImport('../../servers/quayServer.ts', import.meta.url);
    const startDemoQuay = mod.startDemoQuay ?? mod.default?.startDemoQuay;
    if (typeof startDemoQuay !== 'function') throw new Error('test/servers/quayServer.ts exports no startDemoQuay');
    const { info, stop } = await startDemoQuay();
    log(`fake Quay on ${info.url}`);
    return { info, stop };
  } catch (e) {
    throw new Error(`the fake Quay did not start: ${String(e?.message ?? e)}`, { cause: e });
  }
}

/** The settings entry for the fake Quay (the OAuth token goes to SecretStorage, never here). */
export function quayEntry(info, name = 'quay') {
  return { name, kind: 'quay', url: info.url };
}
