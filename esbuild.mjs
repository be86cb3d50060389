// Bundles the extension (Node, CommonJS, `vscode` external) and, when present, the webview UI (browser, ESM).
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const watch = process.argv.includes('--watch');

/**
 * Keeps undici's share of the bundle small: `undici` resolves to the parts the transport uses (Agent, ProxyAgent,
 * request), and three modules it can never reach are replaced:
 *  - the SIMD copy of the HTTP parser (a second 70 KB WebAssembly blob): `null` makes undici load its portable parser;
 *  - the HTTP/2 client: only used when `allowH2` is set, which the transport never does;
 *  - fetch's body extraction: only used for FormData request bodies, which the transport never sends.
 * The HTTP parser's constants module also holds the character and method tables llhttp was generated from; the
 * bundle gets only the entries its importer reads (`constants.ERROR`, `constants.TYPE`), copied from the real module
 * at build time.
 */
const unreachable = {
  'llhttp_simd-wasm.js': 'module.exports = null;',
  'client-h2.js': "module.exports = function connectH2() { throw new Error('HTTP/2 is not enabled'); };",
  'body.js': "module.exports = { extractBody() { throw new Error('FormData bodies are not supported'); } };",
};
/** The entries of llhttp's constants that `importer` reads as `constants.NAME`; anything else there fails the build. */
function usedConstants({ real, importer }) {
  const code = fs.readFileSync(importer, 'utf8');
  const uses = [...code.matchAll(/(?<![\w/.])constants\b(\.[A-Za-z_]\w*)?/g)].filter((m) => !code.startsWith("constants = require('../llhttp/constants.js')", m.index));
  const names = [...new Set(uses.map((m) => m[1]?.slice(1)))];
  if (names.length === 0 || names.some((n) => !n)) throw new Error(`${importer}: llhttp constants used in an unexpected way`);
  const all = createRequire(import.meta.url)(real);
  const picked = Object.fromEntries(names.map((n) => [n, all[n]]));
  if (names.some((n) => picked[n] === undefined)) throw new Error(`${importer}: reads an llhttp constant that does not exist`);
  return `module.exports = ${JSON.stringify(picked)};`;
}
const undiciLite = {
  name: 'undici-lite',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, () => ({ path: path.resolve('scripts/esbuild/undici-lite.cjs') }));
    build.onResolve({ filter: /(llhttp_simd-wasm|client-h2|fetch\/body)\.js$/ }, (args) => {
      if (!args.resolveDir.includes(`${path.sep}undici${path.sep}`)) return undefined;
      return { path: path.basename(args.path), namespace: 'undici-lite' };
    });
    build.onResolve({ filter: /llhttp\/constants\.js$/ }, (args) => {
      if (!args.resolveDir.includes(`${path.sep}undici${path.sep}`)) return undefined;
      return { path: 'llhttp-constants.js', namespace: 'undici-lite', pluginData: { real: path.resolve(args.resolveDir, args.path), importer: args.importer } };
    });
    build.onLoad({ filter: /^llhttp-constants\.js$/, namespace: 'undici-lite' }, (args) => ({ contents: usedConstants(args.pluginData), loader: 'js' }));
    build.onLoad({ filter: /.*/, namespace: 'undici-lite' }, (args) => ({ contents: unreachable[args.path], loader: 'js' }));
  },
};

/**
 * zod's JSON Schema generation (`schema.toJSONSchema()`, `~standard.jsonSchema`): the classic schemas attach it to
 * every schema, so a bundler cannot drop it, but the extension never generates JSON Schema. For imports from the
 * classic schemas, both modules are replaced by stand-ins that throw if called; `aggregateChecks` (which also backs
 * `minLength`/`maxLength`/`format` on string and number schemas) is re-exported from the real module, and
 * esbuild tree-shakes the rest of it away.
 */
const zodJsonSchema = {
  name: 'zod-without-json-schema',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/core\/(json-schema-processors|to-json-schema)\.js$/ }, (args) => {
      if (!args.importer.endsWith(path.join('zod', 'v4', 'classic', 'schemas.js'))) return undefined;
      return { path: path.resolve(args.resolveDir, args.path), namespace: 'zod-lite' };
    });
    build.onLoad({ filter: /.*/, namespace: 'zod-lite' }, (args) => {
      const real = fs.readFileSync(args.path, 'utf8');
      const names = [...real.matchAll(/^export (?:const|function) (\w+)/gm)].map((m) => m[1]).filter((n) => n !== 'aggregateChecks');
      const lines = [
        "function unsupported() { throw new Error('JSON Schema generation is not included in this build'); }",
        ...names.map((n) => `export const ${n} = ${n.startsWith('create') ? '() => unsupported' : 'unsupported'};`),
      ];
      if (real.includes('export function aggregateChecks')) lines.push(`export { aggregateChecks } from ${JSON.stringify(args.path)};`);
      return { contents: lines.join('\n'), loader: 'js', resolveDir: path.dirname(args.path) };
    });
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
    // Non-ASCII text (quotes, ellipses in messages) as UTF-8 rather than \u escapes; Node reads the bundle as UTF-8.
    charset: 'utf8',
    logLevel: 'warning',
    metafile: true,
    plugins: [undiciLite, zodJsonSchema],
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
