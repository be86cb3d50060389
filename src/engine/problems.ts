/**
 * What went wrong with the local container engine, from what it printed: one clear message with what to do, instead
 * of the engine's own wording. No 'vscode' import.
 */
import type { EngineFlavour } from './client';

export type EngineProblemKind = 'notInstalled' | 'daemon' | 'permission' | 'auth' | 'notFound' | 'other';

export interface EngineProblem {
  kind: EngineProblemKind;
  message: string;
}

const PATTERNS: Array<[Exclude<EngineProblemKind, 'notInstalled' | 'other'>, RegExp]> = [
  // Before the daemon pattern: Docker says "permission denied while trying to connect to the Docker daemon socket".
  ['permission', /permission denied (while trying to connect to the docker daemon|.*docker\.sock|.*podman\.sock)|dial unix .*: connect: permission denied/i],
  ['daemon', /cannot connect to the docker daemon|is the docker daemon running|unable to connect to podman|cannot connect to podman|podman\.sock: connect: (no such file|connection refused)|error during connect/i],
  ['auth', /unauthorized|authentication required|no basic auth credentials|requested access to the resource is denied|pull access denied|denied: |access forbidden|insufficient_scope|invalid username\/password|incorrect username or password|\b401\b|\b403\b/i],
  ['notFound', /manifest unknown|not found: manifest|manifest for .* not found|no matching manifest for|name unknown|repository does not exist/i],
];

/** The problem `output` (the engine's stdout and stderr) shows, with what to do about it. */
export function engineProblem(output: string, flavour: EngineFlavour, host?: string): EngineProblem {
  const hit = PATTERNS.find(([, re]) => re.test(output))?.[0];
  const name = flavour === 'podman' ? 'Podman' : 'Docker';
  switch (hit) {
    case 'permission':
      return {
        kind: 'permission',
        message:
          flavour === 'podman'
            ? `${name} refused access to its socket. Run Podman as your own user (rootless), or start its socket for you with "systemctl --user start podman.socket".`
            : `${name} refused access to its socket (permission denied). Add your user to the docker group ("sudo usermod -aG docker $USER", then log out and in again), or set registryExplorer.containerClient to podman.`,
      };
    case 'daemon':
      return {
        kind: 'daemon',
        message:
          flavour === 'podman'
            ? `${name} is not running. Start it ("podman machine start" on macOS and Windows, "systemctl --user start podman.socket" on Linux) and try again.`
            : `The ${name} daemon is not running. Start Docker Desktop, or the service ("sudo systemctl start docker"), and try again.`,
      };
    case 'auth':
      return { kind: 'auth', message: `${name} is not logged in to ${host ?? 'the registry'}, or its login has no access to this image.` };
    case 'notFound':
      return { kind: 'notFound', message: `${host ?? 'The registry'} has no such image (or none for this platform).` };
    default:
      return { kind: 'other', message: `${name} failed. See the terminal for what it said.` };
  }
}

/** The message when the program itself cannot be started (not installed, not executable). */
export function notInstalled(setting: string | undefined): EngineProblem {
  const s = (setting ?? '').trim() || 'auto';
  const which = s === 'auto' ? 'Neither docker nor podman was found on PATH' : s === 'docker' || s === 'podman' ? `${s} was not found on PATH` : `${s} is not an executable file`;
  return { kind: 'notInstalled', message: `${which}. Install Docker or Podman, or set registryExplorer.containerClient to the path of its command line.` };
}
