/**
 * Runs the engine's command line as a child process (no shell): its output is handed over as it comes, it can be
 * stopped, and login's secret is written to its standard input. No 'vscode' import.
 */
import { spawn } from 'node:child_process';
import { isPinned, pinSecret, redact, unpinSecret } from '../registry/redact';

/** The last this many characters of output are kept for reading what went wrong. */
const KEEP_OUTPUT = 64 * 1024;

export interface EngineRun {
  /** Exit code (null when stopped by a signal). */
  code: number | null;
  /** The last part of stdout and stderr, with secrets removed. */
  output: string;
  /** The program could not be started (ENOENT, EACCES). */
  spawnError?: string;
}

export interface RunOptions {
  /** Written to standard input, which is then closed (login's secret). Nothing is written otherwise. */
  stdin?: string;
  /** Each piece of output, with secrets removed. */
  onOutput?: (text: string) => void;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

export function runEngine(command: string, args: readonly string[], opts: RunOptions = {}): Promise<EngineRun> {
  // The secret is redacted from anything the engine prints back, from the first byte on.
  const pinnedHere = opts.stdin !== undefined && !isPinned(opts.stdin);
  if (pinnedHere) pinSecret(opts.stdin);
  return new Promise<EngineRun>((resolve) => {
    let output = '';
    const keep = (text: string) => {
      output = (output + text).slice(-KEEP_OUTPUT);
      opts.onOutput?.(text);
    };
    let child;
    try {
      child = spawn(command, [...args], { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env, shell: false, windowsHide: true });
    } catch (e) {
      resolve({ code: null, output: '', spawnError: (e as Error).message });
      return;
    }
    let settled = false;
    const done = (r: EngineRun) => {
      if (settled) return;
      settled = true;
      if (pinnedHere) unpinSecret(opts.stdin);
      opts.signal?.removeEventListener('abort', stop);
      resolve(r);
    };
    const stop = () => child.kill('SIGINT');
    opts.signal?.addEventListener('abort', stop, { once: true });
    if (opts.signal?.aborted) stop();
    child.stdout.setEncoding('utf8').on('data', (d: string) => keep(redact(d)));
    child.stderr.setEncoding('utf8').on('data', (d: string) => keep(redact(d)));
    child.on('error', (e: NodeJS.ErrnoException) => done({ code: null, output, spawnError: e.code ?? e.message }));
    child.on('close', (code) => done({ code, output }));
    // EPIPE when the program exits before reading its input: the exit code tells what happened.
    child.stdin.on('error', () => undefined);
    if (opts.stdin !== undefined) child.stdin.end(opts.stdin);
    else child.stdin.end();
  });
}
