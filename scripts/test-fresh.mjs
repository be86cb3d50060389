#!/usr/bin/env node
// `npm run test:fresh`: the README's test command the way a new user meets it. Clones the committed HEAD into a new
// temporary directory with nothing beside it, points HOME, TMPDIR and XDG_* at new empty directories, and runs
// `npm test` there: npm ci, the test tools (code-server is installed again into the fresh HOME's cache, and its first
// run happens with a HOME that has no ~/.config/code-server), and every suite. Prints the fresh run's
// `N passed, N failed` line last and exits with its exit code.
// Uncommitted changes are not part of the run (it tests what a clone gets). Only the Debian packages the setup
// installs system-wide are shared with this machine. FRESH_KEEP=1 keeps the directory.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const git = (...args) => spawnSync('git', args, { cwd: root, encoding: 'utf8' });
const head = git('rev-parse', 'HEAD').stdout.trim();
if (!head) {
  console.error('test:fresh: not a git checkout');
  process.exit(1);
}
if (git('status', '--porcelain', '--untracked-files=no').stdout.trim()) console.warn('test:fresh: uncommitted changes are not part of the fresh run');

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-explorer-fresh-'));
const parent = path.join(base, 'src');
const clone = path.join(parent, 'registry-explorer');
const home = path.join(base, 'home');
const xdg = Object.fromEntries(['CONFIG', 'DATA', 'CACHE', 'STATE'].map((k) => [`XDG_${k}_HOME`, path.join(base, 'xdg', k.toLowerCase())]));
const tmp = path.join(base, 'tmp');
for (const d of [parent, home, tmp, ...Object.values(xdg)]) fs.mkdirSync(d, { recursive: true });

const log = (m) => console.log(`[test:fresh] ${m}`);
log(`cloning ${head.slice(0, 12)} into ${clone}`);
for (const args of [['clone', '--quiet', '--no-checkout', '--no-hardlinks', root, clone], ['-C', clone, 'checkout', '--quiet', '--detach', head]]) {
  const r = spawnSync('git', args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`git ${args.join(' ')} failed`);
    process.exit(1);
  }
}

// The caller's environment minus everything that points at its home, caches or project state.
const env = { ...process.env, HOME: home, TMPDIR: tmp, ...xdg };
for (const k of Object.keys(env)) {
  if (/^(REGISTRY_EXPLORER_|E2E_|TEST_ONLY$|REGISTRY_SANDBOX_JSON$|XDG_RUNTIME_DIR$|npm_|NODE_OPTIONS$|INIT_CWD$)/i.test(k)) delete env[k];
}

log(`HOME=${home}; running npm test`);
const t0 = Date.now();
const child = spawn('npm', ['test'], { cwd: clone, env, stdio: ['ignore', 'pipe', 'pipe'] });
let out = '';
child.stdout.on('data', (d) => {
  out += d;
  process.stdout.write(d);
});
child.stderr.on('data', (d) => process.stderr.write(d));
const code = await new Promise((resolve) => child.on('close', (c, sig) => resolve(c ?? (sig ? 1 : 0))));

const summary = [...out.matchAll(/^(\d+) passed, (\d+) failed$/gm)].at(-1)?.[0];
const leaked = fs.existsSync(path.join(home, '.config', 'code-server'));
if (!process.env.FRESH_KEEP) fs.rmSync(base, { recursive: true, force: true });
else log(`kept ${base}`);
log(`finished in ${((Date.now() - t0) / 1000).toFixed(0)} s (exit ${code})`);
if (leaked) console.error('[test:fresh] the run wrote ~/.config/code-server in the fresh HOME');
if (!summary) console.error('[test:fresh] npm test printed no summary line');
console.log(`\nfresh clone: ${summary ?? 'no summary'}`);
process.exit(code === 0 && summary && !leaked ? 0 : 1);
