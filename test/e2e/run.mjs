#!/usr/bin/env node
// `npm run test:e2e`: Registry Explorer in a real VS Code — code-server 4.100.3 (VS Code 1.100.3) driven by
// playwright-core with Debian's Chromium, against the sandbox registries. Nothing leaves 127.0.0.1.
//
//   1. the VSIX (dist/registry-explorer.vsix; built with `node esbuild.mjs && npm run package` when missing)
//      and the in-host suite bundle (test/integration/build.mjs → out/test/integration)
//   2. the sandbox: `tsx test/support/sandbox.ts --json <file>` (the real docker-registry, TLS + htpasswd,
//      sample images); E2E_SANDBOX_JSON=<file> uses one that is already running
//      and the fakes of Docker Hub (test/servers/hubServer.ts), of the legacy v1 index (test/servers/hubV1Server.ts)
//      and of DTR / MSR (test/servers/dtrServer.ts startDemoDtr, the demo's data set)
//   3. code-server with the VSIX installed and User/settings.json listing the sandbox registries (url, caFile,
//      username — never a password); REGISTRY_SANDBOX_JSON in its environment names an endpoints file (mode 0600,
//      in the run directory) with the sandbox's endpoints plus `extra.hub` / `extra.hubV1` / `extra.dtr` /
//      `extra.quay` / `extra.harbor`, for the in-host suite
//   4. the in-host mocha suite (test/integration) in the extension host; prints mocha's "N passing" / "N failing"
//   5. the UI specs (test/e2e/specs/*.mjs, in name order); prints "UI: N passed, M failed"
//   6. always: browser, code-server's process group and the sandbox are stopped
// Exit code 0 = everything passed. Artefacts (screenshots, logs) in .test-artifacts/e2e/.
// Env: E2E_SPECS=tree,scan (only spec files whose name contains one of these), E2E_INHOST=hub,dtr (only in-host
// test files whose name contains one of these), E2E_SKIP_INHOST=1, E2E_HEADED=1,
// E2E_KEEP=1 (keep the run directory), E2E_CHROMIUM (default /usr/bin/chromium).
//
// ─── UI spec contract ───────────────────────────────────────────────────────────────────────────────────────
// Every test/e2e/specs/*.mjs file is imported in file-name order and must `export default` either one spec or an
// array of specs: `{ name: string, async run(t) }`. Specs run one after another in one browser page; each runs in
// try/catch with a 180 s limit, counts as passed or failed, and a failure takes a screenshot (NN-FAIL-<name>.png)
// and presses Escape twice and collapses the tree so the next spec starts from a clean workbench. Specs share state in file order:
// 00-signin.mjs signs in to the `sandbox` registry through the UI, so later specs find it signed in.
// The registries configured: `sandbox` (the OCI sandbox, username + caFile), `sandbox-wrong` (same registry,
// signed in with a wrong password by 10-tree.mjs), `hub` (the fake Docker Hub, test/servers/hubServer.ts
// startDemoHub; kind dockerhub, url/registryUrl/username/namespaces of sandbox.extra.hub) and `hub-v1` (the
// fake v1 index, test/e2e/lib/hubV1.mjs; kind dockerhub-v1, url/username/namespaces of
// sandbox.extra.hubV1) and `dtr` (the fake DTR, test/e2e/lib/dtr.mjs; kind dtr, url/username/namespaces of
// sandbox.extra.dtr: user alice with an API token, engineering/api:latest on linux/amd64 + linux/arm64 with a scan
// summary per platform, engineering/many with 150 tags); `quay` (the fake Red Hat
// Quay, test/e2e/lib/quay.mjs; kind quay, url of sandbox.extra.quay, whose token is the OAuth API token); `harbor`
// (the fake Harbor, test/e2e/lib/harbor.mjs; kind harbor, url of sandbox.extra.harbor, username its project robot
// robot$team-a+ci whose secret is extra.harbor.robotSecret) and `harbor-admin` (the same fake, username admin whose
// password is extra.harbor.password; team-a has the retention policy extra.harbor.retentionId); every fake
// must start or the run fails; `github` (the fake GitHub of test/e2e/lib/ghcr.mjs, kind ghcr, url and registryUrl of
// sandbox.extra.ghcr; its tokens come from the stand-in GitHub account test/e2e/githubAuth or a Sign In with
// extra.ghcr.token). Nobody signs in to hub-v1 in the UI, so its health check passes on the index's 401). The sandbox has sample/hello:1.0, sample/multi:latest
// (amd64 + arm64), sample/shared:a|b|c (one digest; 10-tree.mjs deletes them), sample/many (1,500 tags).
// `t` offers:
//   page                  playwright Page: workbench loaded, Registries view open
//   sidebar               Locator of the side bar
//   frame(panelTitle?)    FrameLocator of the visible webview's inner frame (outer iframe.webview → inner
//                         #active-frame); with a title, that editor tab is brought to the front first
//   runCommand(title)     runs a palette command by its full title ("Registry Explorer: Refresh") via F1
//   quickPick(label)      picks a row (exact string or RegExp) in the open quick pick
//   inputBox(text, {expectPrompt?})  fills the open input box and presses Enter
//   shot(name)            screenshot → .test-artifacts/e2e/NN-name.png (returns the path)
//   sandbox               the sandbox endpoints JSON ({ oci: { url, caFile, username, password }, ...,
//                         extra: { hub: { url, registryUrl, username, password, namespaces },
//                                  hubV1: { url, username, password, namespaces, images },
//                                  dtr: { url, username, password, namespaces },
//                                  quay: { url, token, otherToken, username, namespaces },
//                                  harbor: { url, username, password, robot, robotSecret, namespaces, retentionId },
//                                  ghcr: { url, username, token, adminToken, namespaces } } })
//   registries            the `registryExplorer.registries` entries configured
//   registryName          'sandbox'
//   workspace             absolute path of the (writable) folder code-server opened
//   setTheme(name)        'Dark Modern' | 'Light Modern' (the label in the theme picker; waits until applied)
//   openRegistriesView()  shows the Registries view; collapseTree() collapses all of it
//   treeItem(label, {level?})   Locator of the tree row whose label is exactly `label` (level 1 = registries)
//   expandTreeItem(label, {level?})  expands it (twistie) and waits for aria-expanded=true; returns the row
//   treeRows()            visible rows [{ label, description, level, expanded, index }] in order
//   contextMenu(target, item)   right-click a row (Locator or label) and pick a context-menu entry
//   notifications()       text of the visible notification toasts; waitForNotification(re, timeout?)
//   dialog()              Locator of the modal dialog box
//   statusBarText()       text of the status bar
//   log(msg)              prints a line under the spec
//   exactText(s)          RegExp matching exactly s (for hasText)
// ─────────────────────────────────────────────────────────────────────────────────────────────────────────────
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildIntegration } from '../integration/build.mjs';
import { startCodeServer } from './lib/codeServer.mjs';
import { dtrEntry, startDtr } from './lib/dtr.mjs';
import { hubEntry, startHub } from './lib/hub.mjs';
import { hubV1Entry, startHubV1 } from './lib/hubV1.mjs';
import { quayEntry, startQuay } from './lib/quay.mjs';
import { harborEntry, startHarbor } from './lib/harbor.mjs';
import { fakeEngineEnv, fakeEngineSettings, noCatalogEntry, readableTerminals, startNoCatalog } from './lib/noCatalog.mjs';
import { ghcrEntry, ghcrSessions, startGhcr } from './lib/ghcr.mjs';
import { buildGithubAuthVsix, writeGithubSessions } from './lib/githubAuth.mjs';
import { runInHostSuite } from './lib/inHost.mjs';
import { registryEntries, startSandbox } from './lib/sandbox.mjs';
import { createHelpers, launchBrowser, openWorkbench } from './lib/workbench.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
process.chdir(root);
const ARTIFACTS = path.join(root, '.test-artifacts', 'e2e');
const VSIX = path.join(root, 'dist', 'registry-explorer.vsix');
const SPEC_TIMEOUT_MS = 180_000;
// In CI a spec that passes only on its second try counts as failed: a retry that is needed every time hides a bug.
const CI = !!process.env.CI && !/^(0|false|no)$/i.test(process.env.CI);
const WATCHDOG_MS = 20 * 60_000;

const t0 = Date.now();
const secs = (ms) => (ms / 1000).toFixed(1);
const log = (m) => console.log(`[e2e ${secs(Date.now() - t0).padStart(5)}s] ${m}`);

fs.mkdirSync(ARTIFACTS, { recursive: true });
for (const f of fs.readdirSync(ARTIFACTS)) if (/\.(png|log|json)$/.test(f)) fs.rmSync(path.join(ARTIFACTS, f));
const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-explorer-e2e-'));

let sandbox, hub, hubV1, dtr, quay, harbor, noCatalog, ghcr, server, ctx;
let failures = 0;
let cleaning;
async function cleanup() {
  cleaning ??= (async () => {
    if (ctx) await ctx.close().catch(() => {});
    if (server) {
      const left = await server.stop();
      if (left.length) log(`killed code-server processes that ignored SIGTERM: ${left.join(', ')}`);
      fs.copyFileSync(server.logFile, path.join(ARTIFACTS, 'code-server.log'));
    }
    if (sandbox) await sandbox.stop();
    if (hub) await hub.stop().catch(() => {});
    if (hubV1) await hubV1.stop().catch(() => {});
    if (dtr) await dtr.stop().catch(() => {});
    if (quay) await quay.stop().catch(() => {});
    if (harbor) await harbor.stop().catch(() => {});
    if (noCatalog) await noCatalog.stop().catch(() => {});
    if (ghcr) await ghcr.stop().catch(() => {});
    if (fs.existsSync(path.join(runDir, 'sandbox', 'sandbox.log'))) fs.copyFileSync(path.join(runDir, 'sandbox', 'sandbox.log'), path.join(ARTIFACTS, 'sandbox.log'));
    if (!process.env.E2E_KEEP) fs.rmSync(runDir, { recursive: true, force: true });
    else log(`run directory kept: ${runDir}`);
  })();
  return cleaning;
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    log(`${sig}: stopping`);
    void cleanup().finally(() => process.exit(130));
  });
}
const watchdog = setTimeout(() => {
  log(`watchdog: the run exceeded ${WATCHDOG_MS / 60000} min`);
  void cleanup().finally(() => process.exit(1));
}, WATCHDOG_MS);
watchdog.unref();

try {
  // 1. artefacts to test
  if (!fs.existsSync(VSIX)) {
    log('dist/registry-explorer.vsix is missing: building and packaging');
    for (const [cmd, args] of [['node', ['esbuild.mjs']], ['npm', ['run', '--silent', 'package']]]) {
      const r = spawnSync(cmd, args, { stdio: 'inherit' });
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`);
    }
  }
  const { runner } = await buildIntegration({ only: process.env.E2E_INHOST?.split(',').filter(Boolean) });

  // 2. sandbox
  sandbox = await startSandbox({ root, dir: path.join(runDir, 'sandbox'), log });
  // Every fake is required: if one does not start, the run fails here (its suites never skip).
  hub = await startHub({ log });
  hubV1 = await startHubV1({ log });
  dtr = await startDtr({ log });
  sandbox.endpoints.extra = { ...sandbox.endpoints.extra, hub: hub.info, hubV1: hubV1.info, dtr: dtr.info };
  quay = await startQuay({ log });
  sandbox.endpoints.extra.quay = quay.info;
  harbor = await startHarbor({ log });
  sandbox.endpoints.extra.harbor = harbor.info;
  noCatalog = await startNoCatalog({ oci: sandbox.endpoints.oci, log });
  sandbox.endpoints.extra.noCatalog = { ...noCatalog.info, engineLog: path.join(runDir, 'engine-calls.jsonl') };
  fs.mkdirSync(path.join(runDir, 'engine-state'), { recursive: true });
  ghcr = await startGhcr({ log });
  sandbox.endpoints.extra.ghcr = ghcr.info;
  // The in-host suite reads the endpoints (with the fakes' credentials) from a file only this user can read.
  const endpointsFile = path.join(runDir, 'endpoints.json');
  fs.writeFileSync(endpointsFile, JSON.stringify(sandbox.endpoints), { mode: 0o600 });
  fs.writeFileSync(path.join(ARTIFACTS, 'sandbox.json'), JSON.stringify(redactEndpoints(sandbox.endpoints), null, 2));

  // 3. code-server
  const registries = registryEntries(sandbox.endpoints, { main: 'sandbox', wrong: 'sandbox-wrong' });
  registries.push(hubEntry(hub.info), hubV1Entry(hubV1.info), dtrEntry(dtr.info));
  registries.push(quayEntry(quay.info));
  registries.push(harborEntry(harbor.info, 'harbor', { robot: true }));
  registries.push(harborEntry(harbor.info, 'harbor-admin'));
  registries.push(noCatalogEntry(noCatalog.info));
  registries.push(ghcrEntry(ghcr.info, 'github'));
  // The stand-in GitHub account of VS Code (test/e2e/githubAuth): sessions with the fake GitHub's tokens.
  const githubSessions = writeGithubSessions(runDir, ghcrSessions(ghcr.info));
  const standIn = buildGithubAuthVsix(path.join(runDir, 'vsix'));
  const settings = {
    'registryExplorer.registries': registries,
    'registryExplorer.healthCheckInterval': 10,
    ...readableTerminals,
  };
  server = await startCodeServer({ runDir: path.join(runDir, 'code-server'), vsix: VSIX, settings, machineSettings: fakeEngineSettings, env: { REGISTRY_SANDBOX_JSON: endpointsFile, REGISTRY_GITHUB_SESSIONS: githubSessions, ...fakeEngineEnv(noCatalog.info, sandbox.endpoints.extra.noCatalog.engineLog, path.join(runDir, 'engine-state')) }, extensions: [standIn], log });
  ctx = await launchBrowser(path.join(runDir, 'chromium'), { headless: !process.env.E2E_HEADED });
  log(`Chromium ${ctx.browser()?.version() ?? ''}`);

  // 4. in-host suite
  if (!process.env.E2E_SKIP_INHOST) {
    const t = Date.now();
    log('in-host suite (mocha in the extension host):');
    const res = await runInHostSuite({
      ctx,
      base: server.base,
      host: server.host,
      port: server.port,
      extensionPath: root,
      runner,
      workspace: server.dirs.workspace,
      onLine: (l) => console.log(`  ${l}`),
    }).catch((e) => ({ exitCode: 1, lines: [String(e)], error: e }));
    fs.writeFileSync(path.join(ARTIFACTS, 'in-host.log'), res.lines.join('\n') + '\n');
    if (res.page) {
      await res.page.screenshot({ path: path.join(ARTIFACTS, '00-in-host.png') }).catch(() => {});
      await res.page.close();
    }
    if (res.error) console.log(`  ${res.error.message}\n  0 passing\n  1 failing`);
    if (res.exitCode !== 0) failures++;
    log(`in-host suite finished in ${secs(Date.now() - t)} s (exit ${res.exitCode})`);
  }

  // 5. UI specs
  const specs = await loadSpecs();
  let passed = 0;
  let failed = 0;
  let retried = 0;
  if (specs.length) {
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    page.setDefaultTimeout(30_000);
    const consoleErrors = [];
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    const counter = { n: 0 };
    let current = '';
    const t = createHelpers({
      page,
      shotsDir: ARTIFACTS,
      sandbox: sandbox.endpoints,
      workspace: server.dirs.workspace,
      base: server.base,
      log: (m) => console.log(`      ${m}`),
      counter,
    });
    t.registryName = 'sandbox';
    t.registries = registries;
    await openWorkbench(page, server.base, server.dirs.workspace);
    // The window restores the editors of the in-host suite's session (a panel of a registry it has since removed):
    // the UI specs start without them.
    await t.runCommand('View: Close All Editors').catch(() => {});
    await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
    await t.openRegistriesView();
    await t.resizeSidebar(520);
    log(`UI specs (${specs.length}):`);
    let file;
    for (const spec of specs) {
      current = spec.name;
      const start = Date.now();
      // Each spec file starts from a collapsed tree: the tree is virtualised, so rows that an earlier file left
      // expanded above would push this file's rows out of view.
      const specFile = spec.name.split(':')[0];
      if (file !== undefined && specFile !== file) await t.collapseTree().catch(() => {});
      file = specFile;
      // A spec that fails is tried once more from a clean state (dialogs and editors closed): the workbench
      // races its own tree refreshes against clicks now and then. A second failure fails the run; a pass on the
      // second try is reported as such, and with CI set it fails the run too.
      let firstError;
      for (let attempt = 1; attempt <= 2; attempt++) {
        let timer;
        // A spec that changes server state reads it as seeded only on its first try: the first may have changed it.
        t.attempt = attempt;
        try {
          await Promise.race([
            spec.run(t),
            new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${SPEC_TIMEOUT_MS / 1000} s`)), SPEC_TIMEOUT_MS))),
          ]);
          if (firstError) {
            retried++;
            const why = String(firstError?.message ?? firstError).split('\n')[0];
            if (CI) {
              failed++;
              console.log(`  ✖ ${spec.name} (${secs(Date.now() - start)} s): passed only on the second try (CI counts that as a failure); the first failed: ${why}`);
            } else {
              passed++;
              console.log(`  ✔ ${spec.name} (${secs(Date.now() - start)} s, on the second try; the first failed: ${why})`);
            }
          } else {
            passed++;
            console.log(`  ✔ ${spec.name} (${secs(Date.now() - start)} s)`);
          }
          break;
        } catch (e) {
          await t.shot(`FAIL-${current}${attempt === 1 ? '' : '-again'}`).catch(() => {});
          for (let i = 0; i < 2; i++) await page.keyboard.press('Escape').catch(() => {});
          // The tree stays as it is (a spec may build on what the one before it expanded); open panels close.
          await t.runCommand('View: Close All Editors').catch(() => {});
          await t.openRegistriesView().catch(() => {});
          if (attempt === 1) {
            firstError = e;
            continue;
          }
          failed++;
          console.log(`  ✖ ${spec.name} (${secs(Date.now() - start)} s)\n      first try: ${String(firstError?.stack ?? firstError).split('\n').slice(0, 4).join('\n      ')}\n      second try: ${String(e?.stack ?? e).split('\n').slice(0, 8).join('\n      ')}`);
        } finally {
          clearTimeout(timer);
        }
      }
    }
    if (consoleErrors.length) fs.writeFileSync(path.join(ARTIFACTS, 'page-errors.log'), consoleErrors.join('\n') + '\n');
  }
  console.log(`UI: ${passed} passed, ${failed} failed${retried ? ` (${retried} passed on a second try${CI ? ', counted as failed in CI' : ''})` : ''}`);
  failures += failed;
} catch (e) {
  failures++;
  console.error(`e2e setup failed: ${e?.stack ?? e}`);
} finally {
  await cleanup();
  clearTimeout(watchdog);
  log(`${failures ? 'FAILED' : 'passed'} in ${secs(Date.now() - t0)} s; artefacts in ${path.relative(root, ARTIFACTS)}/`);
  process.exitCode = failures ? 1 : 0;
}

async function loadSpecs() {
  const dir = path.join(root, 'test', 'e2e', 'specs');
  const filter = process.env.E2E_SPECS?.split(',').filter(Boolean);
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.mjs'))
    .filter((f) => !filter || f.startsWith('00-') || filter.some((x) => f.includes(x)))
    .sort();
  const out = [];
  for (const f of files) {
    const mod = await import(pathToFileURL(path.join(dir, f)).href);
    const list = Array.isArray(mod.default) ? mod.default : mod.default ? [mod.default] : [];
    if (!list.length) throw new Error(`${f} exports no spec`);
    for (const s of list) {
      if (typeof s?.name !== 'string' || typeof s?.run !== 'function') throw new Error(`${f}: a spec needs { name, run(t) }`);
      out.push({ ...s, name: `${f.replace(/\.mjs$/, '')}: ${s.name}` });
    }
  }
  return out;
}

function redactEndpoints(endpoints) {
  return JSON.parse(JSON.stringify(endpoints, (k, v) => (/password|secret|token/i.test(k) && typeof v === 'string' ? '<redacted>' : v)));
}
