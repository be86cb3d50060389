import * as path from 'node:path';
import * as vscode from 'vscode';
import { findEngineClient, type EngineClient } from '../engine/client';
import { notInstalled } from '../engine/problems';
import { runEngine, type EngineRun } from '../engine/process';

export const CLIENT_SETTING = 'containerClient';

/** The engine's command line from `registryExplorer.containerClient` (machine-scoped: no workspace picks the program). */
export function engineClient(): EngineClient {
  const setting = vscode.workspace.getConfiguration('registryExplorer').get<string>(CLIENT_SETTING, 'auto');
  const client = findEngineClient(setting);
  if (!client) throw new Error(notInstalled(setting).message);
  return client;
}

/**
 * Runs the engine in a terminal of its own (a pseudoterminal: no shell, so nothing lands in a shell history): the
 * user sees its output and stops it with Ctrl+C or by closing the terminal; the result comes back when it ends.
 */
export function runInTerminal(client: EngineClient, args: string[], name: string): Promise<EngineRun & { stopped: boolean }> {
  return new Promise((resolve) => {
    const write = new vscode.EventEmitter<string>();
    const close = new vscode.EventEmitter<number | void>();
    const ac = new AbortController();
    const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');
    const pty: vscode.Pseudoterminal = {
      onDidWrite: write.event,
      onDidClose: close.event,
      open: () => {
        write.fire(crlf(`${path.basename(client.command)} ${args.join(' ')}\n`));
        void runEngine(client.command, args, { signal: ac.signal, onOutput: (s) => write.fire(crlf(s)) }).then((r) => {
          const stopped = ac.signal.aborted;
          const end = r.spawnError ? vscode.l10n.t('could not start {0}: {1}', client.command, r.spawnError) : stopped ? vscode.l10n.t('stopped') : r.code === 0 ? vscode.l10n.t('done') : vscode.l10n.t('failed (exit code {0})', String(r.code));
          write.fire(crlf(`\n[${end}]\n`));
          resolve({ ...r, stopped });
        });
      },
      close: () => ac.abort(),
      handleInput: (data) => {
        if (data.includes('\x03')) ac.abort();
      },
    };
    vscode.window.createTerminal({ name, pty, isTransient: true }).show(true);
  });
}
