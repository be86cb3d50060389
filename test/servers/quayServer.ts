/** The Red Hat Quay fake (see quay/index.ts); this module keeps the import path tests and scripts use. */
export { startQuayServer } from './quay/index';
export { startDemoQuay } from './quay/demo';
export { ALL_SCOPES, type QuayFault, type QuayFeature, type QuayRequestLogEntry, type QuayServer, type QuayServerOptions, type Scope } from './quay/types';
