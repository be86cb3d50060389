// A registry that does not list its repositories (the sandbox's real registry behind test/support/catalogRefuser.ts,
// whose /v2/_catalog answers 403; entry `no-catalog`, see test/e2e/lib/noCatalog.mjs) and the local container
// engine (a recorded fake `docker` first on the code-server's PATH, test/support/fakeEngine/docker, which refuses to
// pull until it is logged in). The specs sign in, add a repository through the one-line notice, browse it, pull a
// tag (the engine is logged in with the registry's credentials when the pull is refused) and take the repository
// off the list again.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { collapse, menu } from '../lib/steps.mjs';

const NAME = 'no-catalog';
const NOTICE = /does not list its repositories \(403\)/;

function info(t) {
  const i = t.sandbox.extra?.noCatalog;
  if (!i?.url) throw new Error('the registry without a catalog is not running: test/e2e/run.mjs starts it (test/e2e/lib/noCatalog.mjs)');
  return i;
}

const notice = (t) => t.sidebar.locator('.monaco-list-row[aria-level="2"]', { hasText: NOTICE }).first();

export default [
  {
    name: 'catalog-less: the registry says in one line that it lists no repositories; Add Repository… adds one to browse',
    async run(t) {
      const i = info(t);
      await t.openRegistriesView();
      await collapse(t, NAME, 1);
      await menu(t, t.treeItem(NAME, { level: 1 }), 'Sign In');
      await t.inputBox(i.username, { expectPrompt: /User name/ });
      await t.inputBox(i.password, { expectPrompt: /Password or access token/ });
      await t.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
      await t.expandTreeItem(NAME, { level: 1 });
      const row = notice(t);
      await row.waitFor();
      assert.match(await row.innerText(), /Add Repository…/);
      assert.equal(await t.sidebar.locator('.monaco-list-row[aria-level="2"] .codicon-error').count(), 0, 'no error node');
      await t.shot('catalogless-notice');
      await row.click();
      await t.inputBox(`${i.host}/sample/hello:1.0`, { expectPrompt: /Repository name/ });
      // The setting changes, the tree lists the registry again with the new repository.
      await t.treeItem('sample/hello', { level: 2 }).waitFor({ timeout: 30_000 });
      await notice(t).waitFor();
      await t.expandTreeItem('sample/hello', { level: 2 });
      await t.treeItem('1.0', { level: 3 }).waitFor();
      await t.shot('catalogless-browse');
    },
  },
  {
    name: 'catalog-less: Pull Image runs the engine in a terminal; a refused pull logs the engine in with the password on standard input only',
    async run(t) {
      const i = info(t);
      await t.page.waitForTimeout(1000);
      const tag = t.treeItem('1.0', { level: 3 });
      await tag.waitFor();
      await menu(t, tag, 'Pull Image');
      const toast = t.page.locator('.notifications-toasts .notification-toast', { hasText: /not logged in to/ }).first();
      await toast.waitFor({ timeout: 30_000 });
      await toast.locator('.monaco-button', { hasText: "Log In With This Registry's Credentials" }).first().click();
      await t.waitForNotification(/is logged in to/);
      await t.page.waitForFunction(() => [...document.querySelectorAll('.xterm-rows')].some((e) => /Status: Downloaded newer image/.test(e.textContent ?? '')), null, { timeout: 30_000 });
      const text = (await t.page.locator('.xterm-rows').allInnerTexts()).join('\n');
      await t.shot('catalogless-pull');
      assert.match(text, /docker pull /);
      assert.ok(!text.includes(i.password), 'the password is not in the terminal');
      const calls = fs.readFileSync(i.engineLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      const raw = fs.readFileSync(i.engineLog, 'utf8');
      assert.ok(!raw.includes(i.password), 'the password is in no argument the engine got');
      const ref = `${i.host}/sample/hello:1.0`;
      assert.deepEqual(calls.map((c) => c.args), [['pull', ref], ['login', '--username', i.username, '--password-stdin', i.host], ['pull', ref]]);
      assert.equal(calls[1].stdinMatches, true, 'the password came on standard input');
      assert.ok(calls.every((c) => !c.violation));
      // Nor in any log of the workbench or the extension host (the extension's output channel included).
      const logs = path.join(t.workspace, '..', 'user-data', 'logs');
      const files = fs.readdirSync(logs, { recursive: true }).map((f) => path.join(logs, String(f))).filter((f) => fs.statSync(f).isFile());
      assert.ok(files.some((f) => /Registry Explorer/.test(f)), `the extension's log is among ${files.length} log files`);
      for (const f of files) assert.ok(!fs.readFileSync(f, 'utf8').includes(i.password), `the password is in ${f}`);
      await t.runCommand('Terminal: Kill All Terminals').catch(() => {});
    },
  },
  {
    name: 'catalog-less: Run Image… on a platform picked from a multi-platform tag runs it with --rm -it and the typed command',
    async run(t) {
      const i = info(t);
      await notice(t).click();
      await t.inputBox('sample/multi', { expectPrompt: /Repository name/ });
      await t.treeItem('sample/multi', { level: 2 }).waitFor({ timeout: 30_000 });
      await t.expandTreeItem('sample/multi', { level: 2 });
      const tag = t.treeItem('latest', { level: 3 });
      await tag.waitFor();
      await t.page.waitForTimeout(1000);
      await menu(t, tag, 'Run Image…');
      // The engine pulls this machine's platform unless another of the tag's platforms is picked.
      const rows = t.page.locator('.quick-input-widget .monaco-list-row .label-name');
      await rows.filter({ hasText: /^Your platform \(linux\// }).first().waitFor();
      await t.quickPick('linux/arm64/v8');
      await t.inputBox('sh -c "echo hi"', { expectPrompt: /Command to run/ });
      const ref = `${i.host}/sample/multi:latest`;
      const want = ['run', '--rm', '-it', '--platform', 'linux/arm64/v8', ref, 'sh', '-c', 'echo hi'];
      const deadline = Date.now() + 30_000;
      let calls = [];
      while (Date.now() < deadline && !calls.some((c) => JSON.stringify(c.args) === JSON.stringify(want))) {
        await t.page.waitForTimeout(250);
        calls = fs.readFileSync(i.engineLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      }
      assert.deepEqual(calls.slice(-2).map((c) => c.args), [['pull', '--platform', 'linux/arm64/v8', ref], want]);
      await t.shot('catalogless-run');
      await t.runCommand('Terminal: Kill All Terminals').catch(() => {});
      await menu(t, t.treeItem('sample/multi', { level: 2 }), 'Remove Repository from the List');
      await t.treeItem('sample/multi', { level: 2 }).waitFor({ state: 'detached', timeout: 30_000 });
    },
  },
  {
    name: 'catalog-less: Remove Repository from the List takes it off the tree (the registry keeps it)',
    async run(t) {
      await menu(t, t.treeItem('sample/hello', { level: 2 }), 'Remove Repository from the List');
      await t.treeItem('sample/hello', { level: 2 }).waitFor({ state: 'detached', timeout: 30_000 });
      await notice(t).waitFor();
      await collapse(t, NAME, 1);
    },
  },
];
