/**
 * The panel modules (hosting, message schemas, panel specs), bundled apart (dist/panels.js) and required by
 * src/webviews/index.ts when a panel is first opened or restored, so activation does not load them.
 */
export * as host from './panelHost';
export * as check from './messageCheck';
export * as form from './formPanel';
export * as admin from './adminForm';
export * as scan from './scanPanel';
export * as tagDetails from './tagDetailsPanel';
export * as compare from './comparePanel';
export * as attachment from './attachmentPanel';
