// Bundles the extension (Node, CommonJS, `vscode` external) and, when present, the webview UI (browser, ESM).
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const watch = process.argv.includes('--watch');

/**
 * Keeps undici's share of the bundle small: `undici` resolves to the parts the transport uses (Agent, ProxyAgent,
 * request), and three modules it can never reach are replaced:
 *  - the SIMD copy of the HTTP parser (a second 70 KB WebAssembly blob): `null` makes undici load its portable parser;
 *  - the HTTP/2 client: only used when `allowH2` is set, which the transport never does;
 *  - fetch's body extraction: only used for FormData request bodies, which the transport never sends.
 */
const unreachable = {
  'llhttp_simd-wasm.js': 'module.exports = null;',
  'client-h2.js': "module.exports = function connectH2() { throw new Error('HTTP/2 is not enabled'); };",
  'body.js': "module.exports = { extractBody() { throw new Error('FormData bodies are not supported'); } };",
};
const undiciLite = {
  name: 'undici-lite',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, () => ({ path: path.resolve('scripts/esbuild/undici-lite.cjs') }));
    build.onResolve({ filter: /(llhttp_simd-wasm|client-h2|fetch\/body)\.js$/ }, (args) => {
      if (!args.resolveDir.includes(`${path.sep}undici${path.sep}`)) return undefined;
      return { path: path.basename(args.path), namespace: 'undici-lite' };
    });
    build.onLoad({ filter: /.*/, namespace: 'undici-lite' }, (args) => ({ contents: unreachable[args.path], loader: 'js' }));
  },
};
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
    plugins: [undiciLite],
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
