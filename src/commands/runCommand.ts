import * as vscode from 'vscode';
import type { Logger } from '../registry/context';
import { toRegistryError } from '../registry/errors';
import { redact } from '../registry/redact';

/** Thrown (or returned as a rejection) when the user dismissed a prompt; commands end quietly. */
export class UserCancelled extends Error {
  constructor() {
    super('Cancelled by the user');
    this.name = 'UserCancelled';
  }
}

/**
 * Every command runs through here: silent on cancel, otherwise one notification plus a log entry, so no command
 * ever throws into VS Code.
 */
export function wrapCommand<A extends unknown[], R>(id: string, logger: Logger, handler: (...args: A) => Promise<R> | R): (...args: A) => Promise<R | undefined> {
  return async (...args: A) => {
    try {
      return await handler(...args);
    } catch (e) {
      if (e instanceof UserCancelled) return undefined;
      const err = toRegistryError(e);
      if (err.kind === 'cancelled') return undefined;
      const message = redact(err.message);
      logger.error(`${id}: ${message}${err.request ? ` (${redact(err.request)})` : ''}`);
      void vscode.window.showErrorMessage(message, 'Show Log').then((pick) => {
        if (pick) void vscode.commands.executeCommand('registryExplorer.showLog');
      });
      return undefined;
    }
  };
}

export function required<T>(value: T | undefined): T {
  if (value === undefined) throw new UserCancelled();
  return value;
}
