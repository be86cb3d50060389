// Bundles the in-host suite into out/test/integration/: index.js (the extensionTestsPath runner code-server
// loads) and one <name>.test.js per test file (what @vscode/test-cli loads). `vscode` and `mocha` stay external:
// the extension host provides `vscode`, and `mocha` resolves to the project's node_modules from out/.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
export const outDir = path.join(root, 'out', 'test', 'integration');

/** `only`: bundle just the test files whose name contains one of these (the runner's E2E_INHOST). */
export async function buildIntegration({ only } = {}) {
  const dir = path.join(root, 'test', 'integration');
  const entries = fs
    .readdirSync(dir)
    .filter((f) => f === 'index.ts' || (f.endsWith('.test.ts') && (!only?.length || only.some((x) => f.includes(x)))))
    .map((f) => path.join(dir, f));
  fs.rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: entries,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return { outDir, runner: path.join(outDir, 'index.js') };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { outDir: out } = await buildIntegration();
  console.log(`in-host suite bundled into ${path.relative(root, out)}`);
}
