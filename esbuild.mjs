// Bundles the extension (Node, CommonJS, `vscode` external) and, when present, the webview UI (browser, ESM).
import * as esbuild from 'esbuild';
import fs from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production') || !watch;

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  {
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    minify: production,
    sourcemap: production ? false : 'inline',
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  },
];
if (fs.existsSync('src/webview-ui/index.ts')) {
  builds.push({
    entryPoints: ['src/webview-ui/index.ts'],
    outfile: 'dist/webview-ui.js',
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'esm',
    minify: production,
    sourcemap: production ? false : 'inline',
    logLevel: 'warning',
  });
}

// Codicons are shipped next to the bundles; the webview CSP only allows files from the extension.
function copyCodicons() {
  const from = 'node_modules/@vscode/codicons/dist';
  fs.mkdirSync('dist/codicons', { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) fs.copyFileSync(`${from}/${f}`, `dist/codicons/${f}`);
}
copyCodicons();

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
} else {
  for (const b of builds) {
    const r = await esbuild.build(b);
    if (r.metafile) {
      for (const [file, out] of Object.entries(r.metafile.outputs)) console.log(`${file}: ${(out.bytes / 1024).toFixed(1)} KB`);
    }
  }
}
