// The seeded fake Harbor (test/servers/harborSeed.ts startDemoHarbor, with its /v2/ registry and /service/token)
// started in this process through tsx. Throws when it can't start: the suites that need it must fail, not skip.
export async function startHarbor({ log = () => {} } = {}) {
  try {
    const { tsImport } = await import('tsx/esm/api');
    const mod = await tsImport('../../servers/harborSeed.ts', import.meta.url);
    const startDemoHarbor = mod.startDemoHarbor ?? mod.default?.startDemoHarbor;
    if (typeof startDemoHarbor !== 'function') throw new Error('test/servers/harborSeed.ts exports no startDemoHarbor');
    const { info, stop } = await startDemoHarbor();
    log(`fake Harbor on ${info.url}`);
    return { info, stop };
  } catch (e) {
    throw new Error(`the fake Harbor did not start: ${String(e?.message ?? e)}`, { cause: e });
  }
}

/**
 * The settings entry for the fake Harbor (the password goes to SecretStorage, never here). `robot: true` names the
 * project robot `robot$team-a+ci` instead of the admin user: it may not list its own private project, which the tree
 * still shows (the case Harbor users meet most).
 */
export function harborEntry(info, name = 'harbor', { robot = false } = {}) {
  return { name, kind: 'harbor', url: info.url, username: robot ? info.robot : info.username };
}
