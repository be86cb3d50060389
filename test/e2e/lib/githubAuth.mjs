// Packages the stand-in GitHub account (test/e2e/githubAuth) as a VSIX for code-server, and writes the sessions file
// it reads (mode 0600: it holds the fake's tokens).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '..', '..', '..');

/** Builds `<outDir>/github-account-stand-in.vsix` and returns its path. */
export function buildGithubAuthVsix(outDir) {
  fs.mkdirSync(outDir, { recursive: true });
  const out = path.join(outDir, 'github-account-stand-in.vsix');
  const vsce = path.join(root, 'node_modules', '.bin', 'vsce');
  execFileSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', out], { cwd: path.join(here, '..', 'githubAuth'), stdio: 'pipe' });
  return out;
}

/** Writes the sessions file (`{ account, signedIn, sessions }`) and returns its path, for REGISTRY_GITHUB_SESSIONS. */
export function writeGithubSessions(dir, sessions, { signedIn = false } = {}) {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'github-sessions.json');
  fs.writeFileSync(file, JSON.stringify({ ...sessions, signedIn }), { mode: 0o600 });
  return file;
}
