/**
 * Registry modules that must exist once per extension host, whichever bundle uses them: typed errors (`instanceof`
 * checks across bundles), the redaction list (a secret registered by the UI is redacted by the transport) and the
 * translator of provider text (installed once by the host). The
 * build makes this its own small bundle that the extension, the registry core and every provider bundle require.
 */
export * from './errors';
export * from './redact';
export * from './l10n';
