#!/usr/bin/env node
// `npm test`: sets up everything a fresh machine lacks, then runs every suite and prints one summary line.
//   1. npm ci (when node_modules is missing or stale)       4. unit tests (plain Node, local HTTP servers)
//   2. test tools: apt packages, code-server               5. tests against the real docker-registry
//   3. typecheck, lint, build, package the VSIX           6. in-host + UI tests in code-server
// Set TEST_ONLY=unit,registry,reliability,e2e to run a subset (an unknown name is an error).
// A suite fails when its command fails, when it reports failures or pending tests, or when it ran no test at all.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const SUITES = ['unit', 'registry', 'reliability', 'e2e'];
const only = process.env.TEST_ONLY ? new Set(process.env.TEST_ONLY.split(',').map((s) => s.trim()).filter(Boolean)) : undefined;
if (only) {
  const unknown = [...only].filter((n) => !SUITES.includes(n));
  if (unknown.length || !only.size) {
    console.error(`TEST_ONLY names no known suite (${unknown.join(', ') || 'empty'}); known: ${SUITES.join(', ')}`);
    process.exit(1);
  }
}
const t0 = Date.now();
const log = (m) => console.log(`\n[test ${((Date.now() - t0) / 1000).toFixed(0)}s] ${m}`);

function runSync(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`\n${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

/** Runs a suite, streaming its output and counting mocha's / our runners' summary lines. */
function runSuite(name, cmd, args) {
  return new Promise((resolve) => {
    log(`${name}: ${cmd} ${args.join(' ')}`);
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let out = '';
    const take = (stream, sink) => stream.on('data', (d) => { out += d; sink.write(d); });
    take(child.stdout, process.stdout);
    take(child.stderr, process.stderr);
    child.on('close', (code) => {
      const count = (re) => [...out.matchAll(re)].reduce((a, m) => a + Number(m[1]), 0);
      const passed = count(/^\s*(\d+) passing/gm) + count(/^\s*(?:UI: )?(\d+) passed, \d+ failed/gm);
      const failed = count(/^\s*(\d+) failing/gm) + count(/^\s*(?:UI: )?\d+ passed, (\d+) failed/gm);
      const pending = count(/^\s*(\d+) pending/gm);
      // A failed command with no counted failure, pending tests, or a run of no test at all count as one failure.
      const failedRun = (code !== 0 && failed === 0) || pending > 0 || passed + failed === 0 ? 1 : 0;
      if (passed + failed === 0) console.error(`\n${name}: no test ran`);
      resolve({ name, code, passed, pending, failed: failed + failedRun });
    });
  });
}

// 1. dependencies
const lock = path.join(root, 'package-lock.json');
const marker = path.join(root, 'node_modules', '.package-lock.json');
if (!fs.existsSync(marker) || fs.statSync(marker).mtimeMs < fs.statSync(lock).mtimeMs) {
  log('npm ci');
  runSync('npm', ['ci', '--no-audit', '--no-fund']);
}

// 2. tools (idempotent; fast when present)
log('test tools');
runSync('bash', ['scripts/setup-test-tools.sh']);

// 3. static checks and build
log('typecheck, lint, build, package');
runSync('npx', ['tsc', '-p', '.']);
runSync('npx', ['eslint', '--max-warnings', '0', '.']);
runSync('node', ['scripts/checkCycles.mjs']);
runSync('node', ['esbuild.mjs']);
runSync('npm', ['run', '--silent', 'package']);

// 4-6. suites
const suites = [
  ['unit', 'npx', ['mocha', '--config', 'test/unit/.mocharc.json']],
  ['registry', 'npx', ['mocha', '--config', 'test/registry/.mocharc.json']],
  ['reliability', 'node', ['--expose-gc', '--import', 'tsx', 'test/reliability/run.ts']],
  ['e2e', 'node', ['test/e2e/run.mjs']],
].filter(([n]) => !only || only.has(n));
if (suites.length !== SUITES.length && !only) throw new Error('scripts/test.mjs: SUITES and the suite table disagree');
const results = [];
for (const [name, cmd, args] of suites) results.push(await runSuite(name, cmd, args));

const passed = results.reduce((a, r) => a + r.passed, 0);
const failed = results.reduce((a, r) => a + r.failed, 0);
console.log('\nSuites:');
for (const r of results) console.log(`  ${r.name.padEnd(9)} ${r.passed} passed, ${r.failed} failed, ${r.pending} pending (exit ${r.code})`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 || results.some((r) => r.code !== 0) ? 1 : 0);
