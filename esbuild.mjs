// Bundles the extension (Node, CommonJS, `vscode` external) and, when present, the webview UI (browser, ESM).
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { compactCssTemplates } from './scripts/esbuild/cssTemplates.mjs';

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

/**
 * Bundles (dist/):
 *  - extension.js: activation (tree, commands, panel hosts, the provider descriptors);
 *  - zod.js and shared.js: zod, and the registry modules that must exist once (errors, redaction); required by all;
 *  - registry-core.js: the HTTP transport (undici) and authentication, loaded with the first provider;
 *  - providers/<folder>.js: one per provider folder (src/registry/<folder>/provider.ts), loaded through its
 *    descriptor when a registry of that kind is first used.
 * Imports of the shared modules become `require()`s of their bundle, so every bundle uses the same instance.
 */
const src = path.resolve('src/registry');
const providerFolders = fs
  .readdirSync(src, { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(src, d.name, 'descriptor.ts')) && fs.existsSync(path.join(src, d.name, 'provider.ts')))
  .map((d) => d.name);
const sharedFiles = new Set(['errors.ts', 'redact.ts'].map((f) => path.join(src, f)));
const isCoreFile = (f) => f === path.join(src, 'http.ts') || f.startsWith(path.join(src, 'auth') + path.sep);

function resolveTs(resolveDir, spec) {
  const base = path.resolve(resolveDir, spec);
  for (const f of [base, `${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(f) && fs.statSync(f).isFile()) return f;
  return undefined;
}

/** `outDir`: where the bundle being built lives, relative to dist/ (`''` or `providers`). */
function sharedBundles({ outDir, core }) {
  const rel = (file) => {
    const r = path.posix.relative(outDir, file);
    return r.startsWith('.') ? r : `./${r}`;
  };
  return {
    name: 'shared-bundles',
    setup(build) {
      if (outDir !== '' || core === 'registry') build.onResolve({ filter: /^zod$/ }, () => ({ path: rel('zod.js'), external: true }));
      build.onResolve({ filter: /^\./ }, (args) => {
        const file = resolveTs(args.resolveDir, args.path);
        if (!file) return undefined;
        if (sharedFiles.has(file) && args.importer !== path.join(src, 'shared.ts')) return { path: rel('shared.js'), external: true };
        if (core && isCoreFile(file) && args.importer !== path.join(src, 'core.ts')) return { path: rel('registry-core.js'), external: true };
        // A descriptor's `require('./provider')` loads that provider's bundle.
        if (outDir === '' && /[\\/]descriptor\.ts$/.test(args.importer) && args.path === './provider') {
          return { path: `./providers/${path.basename(path.dirname(args.importer))}.js`, external: true };
        }
        return undefined;
      });
    },
  };
}

/**
 * The zod the registry bundles share (dist/zod.js): only the names src/registry uses (`z.object`…), so it tree-shakes
 * like a bundled zod. The extension bundle keeps its own copy: activation needs zod, and should not load a second file.
 */
function zodEntry() {
  const used = new Set();
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const f = path.join(dir, e.name);
      if (e.isDirectory()) walk(f);
      else if (f.endsWith('.ts')) {
        const code = fs.readFileSync(f, 'utf8');
        // `z\n  .discriminatedUnion(…)` (a chain broken over lines) counts as a use too.
        for (const m of code.matchAll(/\bz\s*\.\s*([A-Za-z]\w*)/g)) used.add(m[1]);
        for (const m of code.matchAll(/^import \{([^}]*)\} from 'zod'/gm)) for (const n of m[1].split(',')) used.add(n.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]);
      }
    }
  };
  walk(src);
  const zod = createRequire(import.meta.url)('zod');
  const names = [...used].filter((n) => n in zod).sort();
  return `export { ${names.join(', ')} } from 'zod';`;
}

const node = {
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
};

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  { ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', plugins: [zodJsonSchema, sharedBundles({ outDir: '', core: true })] },
  { ...node, stdin: { contents: zodEntry(), resolveDir: process.cwd(), loader: 'js' }, outfile: 'dist/zod.js', plugins: [zodJsonSchema] },
  { ...node, entryPoints: ['src/registry/shared.ts'], outfile: 'dist/shared.js', plugins: [sharedBundles({ outDir: '', core: false })] },
  { ...node, entryPoints: ['src/registry/core.ts'], outfile: 'dist/registry-core.js', plugins: [undiciLite, zodJsonSchema, sharedBundles({ outDir: '', core: 'registry' })] },
  ...providerFolders.map((f) => ({ ...node, entryPoints: [`src/registry/${f}/provider.ts`], outfile: `dist/providers/${f}.js`, plugins: [undiciLite, zodJsonSchema, sharedBundles({ outDir: 'providers', core: true })] })),
];
// One webview bundle per panel kind (dist/webview-ui-<kind>.js), each with only the elements it renders.
for (const kind of ['form', 'scan', 'tagDetails']) {
  builds.push({
    entryPoints: [`src/webview-ui/${kind}Entry.ts`],
    outfile: `dist/webview-ui-${kind}.js`,
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'esm',
    minify: production,
    sourcemap: production ? false : 'inline',
    logLevel: 'warning',
    metafile: true,
    plugins: [compactCssTemplates],
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
  // Each provider bundle must load on its own with the shared bundles (a zod name missing from dist/zod.js fails here).
  const load = createRequire(import.meta.url);
  for (const f of providerFolders) {
    try {
      load(path.resolve(`dist/providers/${f}.js`));
    } catch (e) {
      console.error(`dist/providers/${f}.js does not load: ${e?.message ?? e}`);
      process.exitCode = 1;
    }
  }
}
