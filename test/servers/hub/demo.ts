/** The seeded Hub fake (with a registry behind it) for the demo, the e2e runner and sandboxes. */
import { startOciServer } from '../ociServer';
import { startHubServer } from './index';
import type { HubServer } from './types';

export interface DemoHubInfo {
  /** Hub API base URL (the entry's `url`). */
  url: string;
  username: string;
  /** A personal access token of `username` with repo:admin (a secret: SecretStorage only). */
  password: string;
  namespaces: string[];
  /** The registry behind it (the entry's `registryUrl`), when started with one. */
  registryUrl?: string;
}

/**
 * Starts the fake Hub with the demo data set (`seedDemo`) and a personal access token for `demo`.
 * `npm run demo` and the e2e runner use it; a sandbox takes it as an extra service via `hubSandboxService()`.
 */
export async function startDemoHub(opts: { port?: number; withRegistry?: boolean } = {}): Promise<{ hub: HubServer; info: DemoHubInfo; stop: () => Promise<void> }> {
  // The registry behind the Hub (tag details): the OCI test server with the Docker token flow, accepting the same
  // user name and token as the Hub API, like registry-1.docker.io does.
  const registry = opts.withRegistry === false ? undefined : await startOciServer({ auth: { type: 'bearer', username: 'demo', password: 'pending', anonymousPull: true, service: 'registry.docker.io' } });
  const hub = await startHubServer({ port: opts.port, registryUrl: registry?.url, seedDemo: true });
  const password = hub.createPat('demo', { label: 'registry-explorer demo', scopes: ['repo:admin'] });
  if (registry) {
    (registry.options.auth as { password?: string }).password = password;
    // demo/app exists on both sides with the same digests, so its tags open in the details panel.
    hub.addRepository('demo', 'app', {
      description: 'Image with details from the registry',
      fullDescription: '# demo/app\n\nBuilt **nightly** from `main`. See [the changelog](https://example.com/changelog).\n\n<img src=x onerror="window.__xss=\'overview\'"> <script>window.__xss="overview"</script>',
      starCount: 1,
      pullCount: 7,
    });
    for (const [tag, platforms] of [['1.0', ['linux/amd64']], ['latest', ['linux/amd64', 'linux/arm64/v8']]] as const) {
      const digest = registry.addImage('demo/app', tag, { platforms: [...platforms], config: { Env: ['PATH=/usr/bin'], Labels: { 'org.opencontainers.image.title': 'app' } } });
      hub.addTag('demo', 'app', { name: tag, platforms: [...platforms], digest });
    }
  }
  const info: DemoHubInfo = { url: hub.url, username: 'demo', password, namespaces: ['library'] };
  if (registry) info.registryUrl = registry.url;
  return { hub, info, stop: async () => void (await Promise.all([hub.close(), registry?.close()])) };
}

/**
 * The seeded fake Hub as an extra service of test/support/sandbox.ts: `startSandbox({ extra: [hubSandboxService()] })`
 * puts `DemoHubInfo` at `sandbox.extra.hub` (and in the sandbox JSON under `extra.hub`).
 */
export function hubSandboxService(opts: { port?: number } = {}): () => Promise<{ name: string; info: DemoHubInfo; stop: () => Promise<void> }> {
  return async () => {
    const { info, stop } = await startDemoHub(opts);
    return { name: 'hub', info, stop };
  };
}
