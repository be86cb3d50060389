// Bundles the extension (Node, CommonJS, `vscode` external) and, when present, the webview UI (browser, ESM).
import * as esbuild from 'esbuild';
import { checkBundles } from './scripts/bundleCheck.cjs';
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
 *  - zod.js and shared.js: zod, and the registry modules that must exist once (errors, redaction, translation); required by all,
 *    the extension bundle included, so zod is loaded once;
 *  - registry-core.js: the HTTP transport (undici), authentication and the JSON API adapter, loaded with the first
 *    provider;
 *  - distribution.js: the Distribution (OCI / Registry V2) library (src/registry/distribution/), required by every
 *    provider that serves `/v2/`;
 *  - providers/<folder>.js: one per provider folder (src/registry/<folder>/provider.ts), loaded through its
 *    descriptor when a registry of that kind is first used.
 * Imports of the shared modules become `require()`s of their bundle, so every bundle uses the same instance and no
 * code is copied into two bundles (checked after the build, with the budgets below).
 */
const src = path.resolve('src/registry');
const providerFolders = fs
  .readdirSync(src, { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(src, d.name, 'descriptor.ts')) && fs.existsSync(path.join(src, d.name, 'provider.ts')))
  .map((d) => d.name);
const sharedFiles = new Set(['errors.ts', 'redact.ts', 'l10n.ts'].map((f) => path.join(src, f)));
const isCoreFile = (f) => f === path.join(src, 'http.ts') || f === path.join(src, 'jsonApi.ts') || f.startsWith(path.join(src, 'auth') + path.sep);
const distributionDir = path.join(src, 'distribution') + path.sep;
const isDistributionFile = (f) => f.startsWith(distributionDir);

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
      build.onResolve({ filter: /^zod$/ }, () => ({ path: rel('zod.js'), external: true }));
      zodMiniShim(rel).setup(build);
      build.onResolve({ filter: /^\./ }, (args) => {
        const file = resolveTs(args.resolveDir, args.path);
        if (!file) return undefined;
        if (sharedFiles.has(file) && args.importer !== path.join(src, 'shared.ts')) return { path: rel('shared.js'), external: true };
        if (core === true && isCoreFile(file)) return { path: rel('registry-core.js'), external: true };
        if (core === true && args.kind !== 'entry-point' && isDistributionFile(file) && !isDistributionFile(args.importer)) return { path: rel('distribution.js'), external: true };
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
 * The zod every Node bundle shares (dist/zod.js): only the names src/ uses (`z.object`…), so it tree-shakes like a
 * bundled zod. The extension bundle requires it too (activation needs zod): one copy, loaded once. Files importing
 * `zod/mini` (the webview protocol, shared with the browser bundles) get the `mini` export: the mini names they use,
 * on the same zod core.
 */
function zodEntry() {
  const used = { zod: new Set(), 'zod/mini': new Set() };
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const f = path.join(dir, e.name);
      if (e.isDirectory()) walk(f);
      else if (f.endsWith('.ts')) {
        const code = fs.readFileSync(f, 'utf8');
        const set = /from 'zod\/mini'/.test(code) ? used['zod/mini'] : used.zod;
        // `z\n  .discriminatedUnion(…)` (a chain broken over lines) counts as a use too.
        for (const m of code.matchAll(/\bz\s*\.\s*([A-Za-z]\w*)/g)) set.add(m[1]);
        for (const m of code.matchAll(/^import \{([^}]*)\} from 'zod(?:\/mini)?'/gm)) for (const n of m[1].split(',')) set.add(n.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]);
      }
    }
  };
  walk(path.resolve('src'));
  const load = createRequire(import.meta.url);
  const pick = (spec) => [...used[spec]].filter((n) => n && n in load(spec)).sort();
  const mini = pick('zod/mini');
  return [
    `export { ${pick('zod').join(', ')} } from 'zod';`,
    `import { ${mini.map((n) => `${n} as mini_${n}`).join(', ')} } from 'zod/mini';`,
    `export const mini = { ${mini.map((n) => `${n}: mini_${n}`).join(', ')} };`,
  ].join('\n');
}

/** Node bundles read `zod/mini` from dist/zod.js's `mini` export (see zodEntry). */
function zodMiniShim(rel) {
  return {
    name: 'zod-mini-shared',
    setup(build) {
      build.onResolve({ filter: /^zod\/mini$/ }, () => ({ path: 'zod-mini', namespace: 'zod-mini-shared' }));
      build.onResolve({ filter: /zod\.js$/, namespace: 'zod-mini-shared' }, (args) => ({ path: args.path, external: true }));
      build.onLoad({ filter: /.*/, namespace: 'zod-mini-shared' }, () => ({ contents: `module.exports = require(${JSON.stringify(rel('zod.js'))}).mini;`, loader: 'js' }));
    },
  };
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
  { ...node, entryPoints: ['src/registry/distribution/index.ts'], outfile: 'dist/distribution.js', plugins: [undiciLite, zodJsonSchema, sharedBundles({ outDir: '', core: true })] },
  ...providerFolders.map((f) => ({ ...node, entryPoints: [`src/registry/${f}/provider.ts`], outfile: `dist/providers/${f}.js`, plugins: [undiciLite, zodJsonSchema, sharedBundles({ outDir: 'providers', core: true })] })),
];
// One webview bundle per panel kind (dist/webview-ui-<kind>.js), each with only the elements it renders.
for (const kind of ['form', 'scan', 'tagDetails', 'attachment']) {
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

/**
 * Budgets (bytes, from scripts/budgets.json, which the bench reads too): what activation loads, each provider bundle,
 * each webview bundle, each shared registry bundle (registry-core.js, distribution.js).
 */
const KB = 1024;
const budgetsKB = JSON.parse(fs.readFileSync('scripts/budgets.json', 'utf8'));
const BUDGETS = { activation: budgetsKB.activationKB * KB, provider: budgetsKB.providerKB * KB, webview: budgetsKB.webviewKB * KB, sharedRegistry: budgetsKB.sharedRegistryKB * KB };
/**
 * Code that must live in exactly one bundle (matched against the bundles' input paths): anything else requiring it
 * loads that bundle instead of carrying a second copy (a second zod, a second undici, a second Distribution client).
 */
const SINGLE_HOME = [
  // The webview bundles run in their own browser pages: each carries the zod it uses.
  { what: 'zod', home: 'dist/zod.js', test: (input) => /node_modules[\\/]zod[\\/]/.test(input), node: true },
  { what: 'undici', home: 'dist/registry-core.js', test: (input) => /node_modules[\\/]undici[\\/]/.test(input) },
  { what: 'the HTTP transport and authentication', home: 'dist/registry-core.js', test: (input) => isCoreFile(path.resolve(input)) },
  { what: 'the Distribution library', home: 'dist/distribution.js', test: (input) => isDistributionFile(path.resolve(input)) },
  { what: 'errors, redaction and translation', home: 'dist/shared.js', test: (input) => sharedFiles.has(path.resolve(input)) },
];

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
} else {
  const outputs = {};
  for (const b of builds) {
    const r = await esbuild.build(b);
    if (r.metafile) Object.assign(outputs, r.metafile.outputs);
  }
  const { problems, lines } = checkBundles(outputs, { budgets: BUDGETS, singleHome: SINGLE_HOME, sharedRegistry: ['dist/registry-core.js', 'dist/distribution.js'], vscodeignore: fs.readFileSync('.vscodeignore', 'utf8') });
  for (const l of lines) console.log(l);
  for (const p of problems) console.error(`Bundle check failed: ${p}`);
  if (problems.length) process.exitCode = 1;
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
