/** The DTR fake (see dtr/index.ts); this module keeps the import path tests and scripts use. */
import { startDemoDtr } from './dtr/demo';

export { startDtrServer } from './dtr/index';
export { seedDemo, startDemoDtr, type DemoDtrInfo } from './dtr/demo';
export { scanCsv } from './dtr/exports';
export type { AccessLevel, DtrEvaluation, DtrFault, DtrRequestLogEntry, DtrServer, DtrServerOptions, Features, PolicyKind, RepositorySeed, TagSeed } from './dtr/types';

if (require.main === module) {
  const port = process.env.DTR_PORT ? Number(process.env.DTR_PORT) : undefined;
  void startDemoDtr({ port }).then(({ info, stop }) => {
    process.stdout.write(`DTR fake listening on ${info.url} (user alice, password alice-password or token ${info.password}; admin / admin-password)\n`);
    const close = () => void stop().finally(() => process.exit(0));
    process.once('SIGINT', close);
    process.once('SIGTERM', close);
  });
}
