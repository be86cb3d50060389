// The fake legacy Docker Hub v1 index (test/servers/hubV1Server.ts) with a small data set, started in this process
// through tsx. Throws when it can't start: the suites that need it must fail, not skip.
// Data: user demo / demo-password, admin / admin-password; repositories demo/hello (two images) and library/busybox.
// The index cannot list repositories, so the settings entry names them in `namespaces` (`ns/repo` entries).

/** @returns {Promise<{ info: { url: string, username: string, password: string, namespaces: string[], images: Record<string, string[]> }, stop(): Promise<void> }>} */
export async function startHubV1({ log = () => {} } = {}) {
  try {
    const { tsImport } = await import('tsx/esm/api');
    const mod = await tsImport('../../servers/hubV1Server.ts', import.meta.url);
    const startHubV1Server = mod.startHubV1Server ?? mod.default?.startHubV1Server;
    if (typeof startHubV1Server !== 'function') throw new Error('test/servers/hubV1Server.ts exports no startHubV1Server');
    const server = await startHubV1Server();
    const password = 'demo-password';
    server.addUser('demo', password);
    server.addUser('admin', 'admin-password', { admin: true });
    const images = {
      'demo/hello': ['a1'.repeat(32), 'a2'.repeat(32)],
      'library/busybox': ['b1'.repeat(32)],
    };
    for (const [repo, ids] of Object.entries(images)) {
      const [ns, name] = repo.split('/');
      server.addRepository(ns, name, ids.map((id) => ({ id, checksum: `sha256:${id.split('').reverse().join('')}` })));
    }
    const info = { url: server.url, username: 'demo', password, namespaces: Object.keys(images), images };
    log(`fake Docker Hub v1 index on ${info.url}`);
    return { info, stop: () => server.close() };
  } catch (e) {
    throw new Error(`the fake Docker Hub v1 index did not start: ${String(e?.message ?? e)}`, { cause: e });
  }
}

/** The settings entry for the fake v1 index (the password goes to SecretStorage, never here). */
export function hubV1Entry(info, name = 'hub-v1') {
  return { name, kind: 'dockerhub-v1', url: info.url, username: info.username, namespaces: info.namespaces };
}
