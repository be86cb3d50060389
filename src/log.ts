import * as vscode from 'vscode';
import type { Logger } from './registry/context';
import { redact } from './registry/redact';

/** The extension's LogOutputChannel behind the registry layer's Logger; every line is redacted once more. */
export function createLogger(channel: vscode.LogOutputChannel): Logger {
  return {
    trace: (m) => channel.trace(redact(m)),
    debug: (m) => channel.debug(redact(m)),
    info: (m) => channel.info(redact(m)),
    warn: (m) => channel.warn(redact(m)),
    error: (m) => channel.error(redact(m)),
  };
}
