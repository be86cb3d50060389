/** The Docker Hub fake (see hub/index.ts); this module keeps the import path tests and scripts use. */
import { startDemoHub } from './hub/demo';

export { startHubServer } from './hub/index';
export { seedDemo } from './hub/seed';
export { startDemoHub, hubSandboxService, type DemoHubInfo } from './hub/demo';
export type { HubFault, HubRequestLogEntry, HubServer, HubServerOptions, HubShapes, RepositorySeed, TagSeed } from './hub/types';

if (require.main === module) {
  const port = Number(process.env.HUB_PORT ?? 0);
  void startDemoHub({ port }).then(({ info, stop: close }) => {
    process.stdout.write(`Docker Hub fake listening on ${info.url}, registry ${info.registryUrl ?? '-'} (user demo, password demo-password or token ${info.password})\n`);
    const stop = () => void close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
