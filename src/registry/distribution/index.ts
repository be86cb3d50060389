/**
 * The Distribution library (OCI Distribution / Docker Registry HTTP API V2) that every registry kind serving `/v2/`
 * uses: the client (authentication by challenge), manifest/index/config reading, tag and image details, delete by
 * digest. The build makes it one bundle (dist/distribution.js) that the provider bundles require.
 */
export * from './attachmentContent';
export * from './attachmentView';
export * from './attestation';
export * from './boundedJson';
export * from './sbom';
export * from './attachmentKinds';
export * from './attachments';
export * from './client';
export * from './manifests';
export * from './provider';
export * as schemas from './schemas';
