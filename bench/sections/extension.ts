/**
 * Extension cost: the size of every bundle against its budget (scripts/budgets.json, which the build enforces too:
 * activation is extension.js and every bundle it requires except the provider bundles; each provider bundle; each
 * webview bundle; the shared registry bundles), and activation time — `require()` of the bundle plus `activate()` — in a fresh
 * plain Node process per run, with a small stand-in for the `vscode` module. For scale, the same child also
 * activates a one-command extension in the same run; the ratio compares whole runs (process start, require,
 * activate, exit), which is what a user waits for.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { fmtMs, median, type BenchSection, type SectionResult } from '../section';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');
const BUNDLE = path.join(ROOT, 'dist', 'extension.js');
const ACTIVATION_TARGET_MS = 30;
const KB = 1024;
const BUDGETS = JSON.parse(fs.readFileSync(path.join(ROOT, 'scripts', 'budgets.json'), 'utf8')) as { activationKB: number; providerKB: number; webviewKB: number; sharedRegistryKB: number };
const ACTIVATION_BUNDLE_BUDGET = BUDGETS.activationKB * KB;
const PROVIDER_BUNDLE_BUDGET = BUDGETS.providerKB * KB;
const WEBVIEW_BUNDLE_BUDGET = BUDGETS.webviewKB * KB;
const SHARED_REGISTRY_BUDGET = BUDGETS.sharedRegistryKB * KB;
/** The shared registry bundles, loaded with the first provider. */
const SHARED_REGISTRY = ['registry-core.js', 'distribution.js'];
const RATIO_TARGET = 1.5;
/** A one-command extension: the floor any extension's activation pays. */
const MINIMAL = `exports.activate = (context) => { context.subscriptions.push(require('vscode').commands.registerCommand('minimal.hello', () => undefined)); };\nexports.deactivate = () => undefined;\n`;

/**
 * Child script: answers `require('vscode')` with a stand-in (real classes for what is constructed, inert proxies
 * for everything else), then times require + activate and prints JSON.
 */
const CHILD = String.raw`
const Module = require('module');
const path = require('path');
const bundle = process.argv[2];
const stubPath = path.join(__dirname, 'vscode-stub.js');
const origResolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'vscode') return stubPath;
  return origResolve.call(this, request, ...rest);
};
function inert(name) {
  const fn = function () {};
  const assigned = new Map();
  return new Proxy(fn, {
    set(_t, prop, value) { assigned.set(prop, value); return true; },
    get(_t, prop) {
      if (assigned.has(prop)) return assigned.get(prop);
      if (prop === 'then') return undefined;
      if (prop === Symbol.toPrimitive) return () => '';
      if (prop === Symbol.iterator) return function* () {};
      if (prop === 'dispose') return () => undefined;
      return inert(name + '.' + String(prop));
    },
    apply() { return inert(name + '()'); },
    construct() { return inert('new ' + name); },
  });
}
class Disposable { constructor(fn) { this.fn = fn; } dispose() { if (this.fn) this.fn(); } static from(...d) { return new Disposable(() => d.forEach((x) => x && x.dispose && x.dispose())); } }
class EventEmitter { constructor() { this.l = new Set(); this.event = (f) => { this.l.add(f); return new Disposable(() => this.l.delete(f)); }; } fire(e) { for (const f of this.l) f(e); } dispose() { this.l.clear(); } }
class Uri {
  constructor(scheme, p) { this.scheme = scheme; this.path = p; this.fsPath = p; }
  static file(p) { return new Uri('file', p); }
  static parse(s) { const u = new URL(s); return new Uri(u.protocol.replace(':', ''), u.pathname); }
  static joinPath(u, ...p) { return new Uri(u.scheme, path.posix.join(u.path, ...p)); }
  with() { return this; } toString() { return this.scheme + '://' + this.path; }
}
const event = () => new Disposable();
const config = { get: (_k, d) => d, has: () => false, inspect: () => undefined, update: async () => undefined };
const memento = { get: (_k, d) => d, update: async () => undefined, keys: () => [] };
const overrides = {
  Disposable, EventEmitter, Uri,
  TreeItem: class { constructor(label, state) { this.label = label; this.collapsibleState = state; } },
  ThemeIcon: class { constructor(id, color) { this.id = id; this.color = color; } static File = {}; static Folder = {}; },
  ThemeColor: class { constructor(id) { this.id = id; } },
  MarkdownString: class { constructor(v = '') { this.value = v; } appendMarkdown(s) { this.value += s; return this; } appendText(s) { this.value += s; return this; } appendCodeblock(s) { this.value += s; return this; } },
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  StatusBarAlignment: { Left: 1, Right: 2 },
  ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  ViewColumn: { Active: -1, Beside: -2, One: 1 },
  l10n: { t: (m, ...a) => (typeof m === 'string' ? m.replace(/\{(\d+)\}/g, (_, i) => String(a[i])) : m.message) },
  workspace: ns('workspace', { getConfiguration: () => config, onDidChangeConfiguration: event, onDidGrantWorkspaceTrust: event, isTrusted: true, workspaceFolders: undefined }),
  window: ns('window', { state: { focused: true }, onDidChangeWindowState: event }),
  commands: ns('commands', { registerCommand: () => new Disposable(), executeCommand: async () => undefined }),
  env: ns('env', { language: 'en', appName: 'bench' }),
};
function ns(name, own) { return new Proxy(own, { get: (t, p) => (p in t ? t[p] : inert(name + '.' + String(p))) }); }
// Bundles copy the module's own keys (esbuild's __toESM), so every namespace must be a real key.
for (const k of ['languages', 'extensions', 'debug', 'tasks', 'scm', 'authentication', 'tests', 'notebooks', 'comments']) overrides[k] = ns(k, {});
require.cache[stubPath] = { id: stubPath, filename: stubPath, loaded: true, exports: overrides };
const context = {
  subscriptions: [],
  secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: event },
  globalState: memento, workspaceState: memento,
  extensionUri: Uri.file(path.dirname(path.dirname(bundle))), extensionPath: path.dirname(path.dirname(bundle)),
  asAbsolutePath: (p) => path.join(path.dirname(path.dirname(bundle)), p),
  globalStorageUri: Uri.file('/tmp'), storageUri: undefined, logUri: Uri.file('/tmp'),
  extensionMode: 1, extension: { packageJSON: {} },
};
const t0 = process.hrtime.bigint();
const ext = require(bundle);
const t1 = process.hrtime.bigint();
ext.activate(context);
const t2 = process.hrtime.bigint();
for (const d of context.subscriptions) { try { d.dispose(); } catch {} }
if (ext.deactivate) ext.deactivate();
process.stdout.write(JSON.stringify({ requireMs: Number(t1 - t0) / 1e6, activateMs: Number(t2 - t1) / 1e6 }));
process.exit(0);
`;

export const section: BenchSection = {
  name: 'extension',
  order: 90,
  async run(ctx): Promise<SectionResult> {
    if (!fs.existsSync(BUNDLE) || newestSource(path.join(ROOT, 'src')) > fs.statSync(BUNDLE).mtimeMs) {
      ctx.print('dist/extension.js is missing or older than src/: running `npm run build`');
      await run('npm', ['run', 'build'], { cwd: ROOT });
    }
    const bundleBytes = fs.statSync(BUNDLE).size;
    const dist = path.join(ROOT, 'dist');
    const size = (f: string) => (fs.existsSync(path.join(dist, f)) ? fs.statSync(path.join(dist, f)).size : 0);
    const kb = (n: number) => `${(n / KB).toFixed(1)} KB`;
    const activation = activationFiles(dist);
    const activationBytes = activation.reduce((n, f) => n + size(f), 0);
    ctx.print(`activation loads ${activation.map((f) => `${f} ${kb(size(f))}`).join(' + ')} = ${kb(activationBytes)}`);
    for (const f of SHARED_REGISTRY) ctx.print(`bundle dist/${f} (with the first provider): ${kb(size(f))}`);
    const providers = fs.existsSync(path.join(dist, 'providers')) ? fs.readdirSync(path.join(dist, 'providers')).filter((f) => f.endsWith('.js')).sort() : [];
    for (const f of providers) ctx.print(`bundle dist/providers/${f}: ${kb(size(path.join('providers', f)))}`);
    const webviews = fs.readdirSync(dist).filter((f) => /^webview-ui-\w+\.js$/.test(f)).sort();
    for (const f of webviews) ctx.print(`bundle dist/${f}: ${kb(size(f))}`);
    const bundleTargets = [
      { name: `activation bundles ≤ ${BUDGETS.activationKB} KB`, ok: activationBytes <= ACTIVATION_BUNDLE_BUDGET, detail: kb(activationBytes) },
      ...providers.map((f) => ({ name: `provider bundle ${f} ≤ ${BUDGETS.providerKB} KB`, ok: size(path.join('providers', f)) <= PROVIDER_BUNDLE_BUDGET, detail: kb(size(path.join('providers', f))) })),
      ...webviews.map((f) => ({ name: `webview bundle ${f} ≤ ${BUDGETS.webviewKB} KB`, ok: size(f) <= WEBVIEW_BUNDLE_BUDGET, detail: kb(size(f)) })),
      ...SHARED_REGISTRY.map((f) => ({ name: `shared registry bundle ${f} ≤ ${BUDGETS.sharedRegistryKB} KB`, ok: size(f) <= SHARED_REGISTRY_BUDGET, detail: kb(size(f)) })),
    ];

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-activation-'));
    const samples: { requireMs: number; activateMs: number }[] = [];
    const wall: number[] = [];
    const minimalWall: number[] = [];
    const minimalSamples: { requireMs: number; activateMs: number }[] = [];
    try {
      const script = path.join(dir, 'activate.js');
      fs.writeFileSync(script, CHILD);
      const minimal = path.join(dir, 'minimal', 'dist', 'extension.js');
      fs.mkdirSync(path.dirname(minimal), { recursive: true });
      fs.writeFileSync(minimal, MINIMAL);
      const once = async (bundle: string) => {
        const started = process.hrtime.bigint();
        const { stdout } = await run(process.execPath, [script, bundle], { cwd: dir }).catch((e: { stderr?: string; message: string }) => {
          // The bundle is minified: keep the error lines, not the source line node prints above them.
          const lines = (e.stderr ?? e.message).split('\n').filter((l) => l.length < 300);
          throw new Error(`activation failed: ${lines.slice(0, 12).join('\n')}`);
        });
        return { sample: JSON.parse(stdout) as { requireMs: number; activateMs: number }, wallMs: Number(process.hrtime.bigint() - started) / 1e6 };
      };
      // Interleaved, so both see the same machine load.
      for (let i = 0; i < ctx.runs + 1; i++) {
        const ours = await once(BUNDLE);
        const floor = await once(minimal);
        if (i === 0) continue;
        samples.push(ours.sample);
        wall.push(ours.wallMs);
        minimalSamples.push(floor.sample);
        minimalWall.push(floor.wallMs);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const requireMs = median(samples.map((s) => s.requireMs));
    const activateMs = median(samples.map((s) => s.activateMs));
    const activationMs = median(samples.map((s) => s.requireMs + s.activateMs));
    ctx.print(`activation (require + activate, fresh process): ${fmtMs(activationMs)} (require ${fmtMs(requireMs)}, activate() ${fmtMs(activateMs)})`);
    const minimalMs = median(minimalSamples.map((s) => s.requireMs + s.activateMs));
    const ratio = median(wall) / median(minimalWall);
    ctx.print(`one-command extension, same run: ${fmtMs(minimalMs)} to require + activate; whole run ${fmtMs(median(minimalWall))} vs ours ${fmtMs(median(wall))}`);
    ctx.print(`activation ratio (ours ÷ one-command extension, whole fresh-process runs): ${ratio.toFixed(2)}×`);
    return {
      json: {
        activationMs: Math.round(activationMs * 10) / 10,
        activation: { requireMs, activateMs },
        bundleBytes,
        activationBundleBytes: activationBytes,
        activationRatio: Math.round(ratio * 100) / 100,
        activationBundles: activation,
        bundles: Object.fromEntries([...providers.map((f) => [`providers/${f}`, size(path.join('providers', f))]), ...webviews.map((f) => [f, size(f)]), ...[...SHARED_REGISTRY, 'zod.js', 'shared.js'].map((f) => [f, size(f)])]),
      },
      targets: [
        { name: `activation < ${ACTIVATION_TARGET_MS} ms`, ok: activationMs < ACTIVATION_TARGET_MS, detail: fmtMs(activationMs) },
        { name: `activation ÷ one-command extension ≤ ${RATIO_TARGET}×`, ok: ratio <= RATIO_TARGET, detail: `${ratio.toFixed(2)}×` },
        ...bundleTargets,
      ],
    };
  },
};

/**
 * The bundles activation loads: dist/extension.js and, transitively, the bundles it requires (`require("./x.js")`),
 * except the provider bundles, which the descriptors load on first use. The build counts the same files.
 */
function activationFiles(dist: string): string[] {
  const seen: string[] = [];
  const visit = (f: string) => {
    if (seen.includes(f) || f.startsWith('providers/') || !fs.existsSync(path.join(dist, f))) return;
    seen.push(f);
    const code = fs.readFileSync(path.join(dist, f), 'utf8');
    for (const m of code.matchAll(/require\("\.\/([^"]+\.js)"\)/g)) visit(path.posix.join(path.posix.dirname(f), m[1]!));
  };
  visit('extension.js');
  return seen;
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}
