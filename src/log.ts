import * as vscode from 'vscode';
import type { Logger } from './registry/context';
import { redact } from './registry/redact';

/**
 * The extension's LogOutputChannel behind the registry layer's Logger; every line is redacted once more. Lines
 * below the channel's level are dropped before redaction, which matters for the per-request debug lines.
 */
export function createLogger(channel: vscode.LogOutputChannel): Logger {
  const on = (level: vscode.LogLevel) => channel.logLevel !== vscode.LogLevel.Off && channel.logLevel <= level;
  return {
    trace: (m) => on(vscode.LogLevel.Trace) && channel.trace(redact(m)),
    debug: (m) => on(vscode.LogLevel.Debug) && channel.debug(redact(m)),
    info: (m) => on(vscode.LogLevel.Info) && channel.info(redact(m)),
    warn: (m) => on(vscode.LogLevel.Warning) && channel.warn(redact(m)),
    error: (m) => on(vscode.LogLevel.Error) && channel.error(redact(m)),
  };
}
