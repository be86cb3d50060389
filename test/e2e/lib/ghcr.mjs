// The seeded fake GitHub (test/servers/ghcr/seed.ts startDemoGhcr: the REST API under /api/v3 and its Container
// registry on the same origin) started in this process through tsx. Throws when it can't start: the suites that need
// it must fail, not skip.
export async function startGhcr({ log = () => {} } = {}) {
  try {
    const { tsImport } = await import('tsx/esm/api');
    const mod = await tsImport('../../servers/ghcr/seed.ts', import.meta.url);
    const startDemoGhcr = mod.startDemoGhcr ?? mod.default?.startDemoGhcr;
    if (typeof startDemoGhcr !== 'function') throw new Error('test/servers/ghcr/seed.ts exports no startDemoGhcr');
    const { info, stop } = await startDemoGhcr();
    log(`fake GitHub (API and Container registry) on ${info.url}`);
    return { info, stop };
  } catch (e) {
    throw new Error(`the fake GitHub did not start: ${String(e?.message ?? e)}`, { cause: e });
  }
}

/**
 * The settings entry for the fake GitHub, laid out like GitHub Enterprise Server (API at `<url>/api/v3`) with its
 * registry on the same origin (`registryUrl`); the token goes to SecretStorage or comes from the stand-in GitHub
 * account, never from here.
 */
export function ghcrEntry(info, name = 'github') {
  return { name, kind: 'ghcr', url: info.url, registryUrl: info.url, namespaces: info.namespaces };
}

/** The sessions the stand-in GitHub account (test/e2e/githubAuth) offers: the fake's account, one token per scope set. */
export function ghcrSessions(info) {
  return {
    account: info.username,
    sessions: [
      { scopes: ['read:packages'], token: info.token },
      { scopes: ['read:packages', 'delete:packages', 'write:packages'], token: info.adminToken },
    ],
  };
}
