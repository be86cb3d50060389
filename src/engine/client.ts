/**
 * The local container engine's command line (`docker` or `podman`, which take the same arguments for what is used
 * here): which program to run, and the arguments of pull, run and login. No 'vscode' import; nothing here runs a
 * shell, so no argument is ever interpreted by one, and the registry's secret is never an argument (login reads it
 * on standard input).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export type EngineFlavour = 'docker' | 'podman';

export interface EngineClient {
  /** Absolute path of the program. */
  command: string;
  flavour: EngineFlavour;
}

/** What the lookup may read (tests pass their own PATH). */
export interface LookupEnv {
  PATH?: string;
  /** Windows: extensions tried for a bare name. */
  PATHEXT?: string;
}

/**
 * The program of the `registryExplorer.containerClient` setting: `auto` (the default: `docker`, else `podman`, from
 * PATH), `docker`, `podman`, or a path to either (its flavour from its file name). Undefined when none is found.
 */
export function findEngineClient(setting: string | undefined, env: LookupEnv = process.env, platform = process.platform): EngineClient | undefined {
  const s = (setting ?? '').trim() || 'auto';
  if (s === 'auto') return lookup('docker', env, platform) ?? lookup('podman', env, platform);
  if (s === 'docker' || s === 'podman') return lookup(s, env, platform);
  if (!path.isAbsolute(s) || !isExecutable(s)) return undefined;
  return { command: s, flavour: /podman[^/\\]*$/i.test(path.basename(s)) ? 'podman' : 'docker' };
}

function lookup(name: EngineFlavour, env: LookupEnv, platform: string): EngineClient | undefined {
  const exts = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean) : [''];
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (isExecutable(candidate)) return { command: candidate, flavour: name };
    }
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return false;
    if (process.platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `os/architecture[/variant]`, as `--platform` takes it. */
export function platformArg(p: { os: string; architecture: string; variant?: string }): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/** The platform images are pulled for when none is picked: Linux containers on this machine's CPU. */
export function hostPlatform(arch = process.arch): string {
  const map: Record<string, string> = { x64: 'linux/amd64', arm64: 'linux/arm64', arm: 'linux/arm/v7', ia32: 'linux/386', ppc64: 'linux/ppc64le', s390x: 'linux/s390x', riscv64: 'linux/riscv64' };
  return map[arch] ?? `linux/${arch}`;
}

/** A platform string is passed only when it looks like one (it comes from a registry's index). */
const PLATFORM = /^[a-z0-9._-]+\/[a-z0-9._-]+(\/[a-z0-9._-]+)?$/i;

/** A pull or digest reference the engine is given: `host/repository:tag` or `host/repository@digest`, nothing else. */
const REFERENCE = /^[a-z0-9][a-z0-9.-]*(:[0-9]+)?\/[a-z0-9._/-]+(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127}|@[a-z0-9]+:[a-f0-9]{32,128})$/;

function checkReference(ref: string): string {
  if (!REFERENCE.test(ref) || ref.includes('..')) throw new Error(`"${ref.slice(0, 200)}" is not an image reference`);
  return ref;
}

function platformOption(platform: string | undefined): string[] {
  if (platform === undefined) return [];
  if (!PLATFORM.test(platform)) throw new Error(`"${platform.slice(0, 100)}" is not a platform`);
  return ['--platform', platform];
}

export function pullArgs(ref: string, platform?: string): string[] {
  return ['pull', ...platformOption(platform), checkReference(ref)];
}

/** `run --rm -it [--platform p] <ref> [command…]`: the image's default command when `command` is empty. */
export function runArgs(ref: string, opts: { platform?: string; command?: string[] } = {}): string[] {
  return ['run', '--rm', '-it', ...platformOption(opts.platform), checkReference(ref), ...(opts.command ?? [])];
}

/** `login --username <user> --password-stdin <host>`: the secret goes on standard input, never here. */
export function loginArgs(host: string, username: string): string[] {
  if (!/^[a-z0-9][a-z0-9.-]*(:[0-9]+)?$/i.test(host)) throw new Error(`"${host.slice(0, 100)}" is not a registry host`);
  if (!username || /[\r\n]/.test(username)) throw new Error('The user name is empty or spans lines');
  return ['login', '--username', username, '--password-stdin', host];
}

/**
 * Splits a command typed for *Run Image…* into arguments the way a POSIX shell would for plain words and quotes
 * (`sh -c "echo hi"` → `sh`, `-c`, `echo hi`), without expanding anything; throws on an unclosed quote.
 */
export function splitCommand(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) cur += text[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (quote) throw new Error(`The command has an unclosed ${quote} quote`);
  if (has) out.push(cur);
  return out;
}
