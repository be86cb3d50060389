/** The OCI Distribution fake (see oci/index.ts); this module keeps the import path tests and scripts use. */
export { startOciServer } from './oci/index';
export { MEDIA_TYPES, type ImageSeed, type OciAuth, type OciBasicAuth, type OciBearerAuth, type OciFault, type OciRequestKind, type OciRequestLogEntry, type OciServer, type OciServerOptions } from './oci/types';
