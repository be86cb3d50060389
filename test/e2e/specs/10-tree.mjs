// What a user sees in the Registries view: listing, paging, lazy details, errors, health, copy, delete.
import assert from 'node:assert/strict';
import fs from 'node:fs';

const collator = new Intl.Collator('en', { numeric: true });

/** Tag rows (level 3) currently rendered, in display order. */
async function tagRows(t) {
  return (await t.treeRows()).filter((r) => r.level === 3 && r.label !== 'Load more…');
}

/**
 * Arms a latency probe in the page: from the next pointerdown (the user's click) until a MutationObserver first sees
 * a level-3 tree row whose label matches `pattern` (a RegExp source) and, with `after`, sorts after it (natural
 * order: a row of the next page, not one of the first page scrolled into view). Read it with
 * readLatency(page).
 */
async function armLatency(page, pattern, after) {
  await page.evaluate(
    ({ pattern, after }) => {
      const re = new RegExp(pattern);
      const order = new Intl.Collator('en', { numeric: true });
      const w = window;
      w.__latency = { start: undefined, ms: undefined };
      const check = () => {
        if (w.__latency.start === undefined || w.__latency.ms !== undefined) return;
        for (const r of document.querySelectorAll('.monaco-list-row[role="treeitem"][aria-level="3"]')) {
          const label = r.querySelector('.label-name')?.textContent?.trim() ?? '';
          if (re.test(label) && (after === undefined || order.compare(label, after) > 0)) {
            w.__latency.ms = performance.now() - w.__latency.start;
            w.__latencyObserver?.disconnect();
            return;
          }
        }
      };
      document.addEventListener('pointerdown', () => (w.__latency.start ??= performance.now()), { capture: true, once: true });
      w.__latencyObserver?.disconnect();
      w.__latencyObserver = new MutationObserver(check);
      w.__latencyObserver.observe(document.body, { childList: true, subtree: true, characterData: true });
    },
    { pattern, after },
  );
}

async function readLatency(page, timeoutMs = 30_000) {
  await page.waitForFunction(() => window.__latency?.ms !== undefined, null, { timeout: timeoutMs });
  return page.evaluate(() => Math.round(window.__latency.ms));
}

async function collapse(t, label, level) {
  const row = t.treeItem(label, { level });
  if ((await row.getAttribute('aria-expanded')) === 'true') await row.locator('.monaco-tl-twistie').click();
}

export default [
  {
    name: 'the Registries view shows the configured sandbox registries',
    async run(t) {
      await t.openRegistriesView();
      for (const name of ['sandbox', 'sandbox-wrong']) {
        const row = t.treeItem(name, { level: 1 });
        await row.waitFor();
        const desc = await row.locator('.label-description').innerText();
        assert.match(desc, new RegExp(`OCI · ${t.sandbox.oci.host ?? new URL(t.sandbox.oci.url).host}`.replace(/\./g, '\\.')));
      }
    },
  },
  {
    name: 'sample/many lists tags in natural order and Load more… adds the next page',
    async run(t) {
      const { page } = t;
      await t.expandTreeItem('sandbox', { level: 1 });
      await t.treeItem('sample/many', { level: 2 }).waitFor();
      await armLatency(page, '^1\\.0\\.\\d+$');
      await t.expandTreeItem('sample/many', { level: 2 });
      await t.treeItem(/^1\.0\.\d+$/, { level: 3 }).waitFor();
      const firstRowsMs = await readLatency(page);
      t.log(`first tag rows shown ${firstRowsMs} ms after the click on sample/many (target ≤ 150 ms)`);
      const first = (await tagRows(t)).map((r) => r.label);
      assert.ok(first.length >= 10, `tags rendered: ${first.length}`);
      assert.deepEqual(first, [...first].sort(collator.compare), 'natural order');
      assert.deepEqual(first.slice(0, 3), ['1.0.0', '1.0.1', '1.0.2']);
      await t.shot('tree-many-tags');

      // Move the keyboard focus into the tree without running a tag's command (a click opens its details):
      // right-click a tag, close the menu, then End jumps to the last row, "Load more…".
      const toEnd = async () => {
        await t.treeItem(first[0], { level: 3 }).click({ button: 'right' });
        await page.locator('.monaco-menu').first().waitFor();
        await page.keyboard.press('Escape');
        await page.keyboard.press('End');
      };
      const more = t.treeItem('Load more…');
      const tScroll = Date.now();
      await toEnd();
      await more.waitFor();
      t.log(`scrolled to Load more… in ${Date.now() - tScroll} ms`);
      const before = await tagRows(t);
      const lastBefore = before.at(-1).label;
      // docker-registry 2.8 sends all 1,500 tags at once, so the tree knows how many it still hides.
      const remainingBefore = await more.locator('.label-description').innerText();
      t.log(`last tag before Load more: ${lastBefore}; ${remainingBefore}`);
      assert.match(remainingBefore, /^\d+ more$/);
      await t.shot('tree-load-more');
      // Click once the page's details have filled in, as a reader would: VS Code debounces tree changes for 200 ms
      // after each one, so a click right after a details repaint waits for that window to pass.
      await page.waitForFunction(() => [...document.querySelectorAll('.monaco-list-row[role="treeitem"][aria-level="3"] .label-description')].every((d) => d.textContent.includes('sha256:') || d.textContent.includes('more')), null, { timeout: 30_000 }).catch(() => undefined);
      await page.waitForTimeout(300);
      await armLatency(page, '^(?!Load more…$).+', lastBefore);
      await more.click();
      const tLoad = Date.now();
      // After loading, the end of the list holds the next page and a new Load more….
      const deadline = Date.now() + 30_000;
      for (;;) {
        const rows = (await t.treeRows()).filter((r) => r.level === 3);
        const tags = rows.filter((r) => r.label !== 'Load more…').map((r) => r.label);
        if (tags.length && !tags.includes(lastBefore) && rows.at(-1).label === 'Load more…') break;
        if (Date.now() > deadline) throw new Error(`the next page did not appear; rows: ${rows.map((r) => r.label).join(', ')}`);
        await page.keyboard.press('End');
        await page.waitForTimeout(100);
      }
      t.log(`next page shown after ${Date.now() - tLoad} ms (polling)`);
      const nextPageMs = await readLatency(page);
      t.log(`next page's first row shown ${nextPageMs} ms after the click on Load more… (target ≤ 100 ms)`);
      // Revealing tags already in memory is one repaint; a change event stream from details filling in must not
      // hold it back (it did, for about a second). The bound leaves room for a busy machine.
      assert.ok(nextPageMs <= 300, `next page shown after ${nextPageMs} ms`);
      const after = (await tagRows(t)).map((r) => r.label);
      assert.deepEqual(after, [...after].sort(collator.compare), 'still natural order after Load more');
      assert.ok(collator.compare(after.at(-1), lastBefore) > 0, `${after.at(-1)} comes after ${lastBefore}`);
      const remainingAfter = await t.treeItem('Load more…').locator('.label-description').innerText();
      t.log(`last tag after Load more: ${after.at(-1)}; ${remainingAfter}`);
      assert.match(remainingAfter, /^\d+ more$/);
      assert.ok(parseInt(remainingAfter, 10) < parseInt(remainingBefore, 10), `${remainingAfter} is fewer than ${remainingBefore}`);
      await t.shot('tree-after-load-more');
      await t.collapseTree();
    },
  },
  {
    name: 'expanding sample/hello fills in the tag description (short digest, size, age); the README screenshot',
    async run(t) {
      await t.expandTreeItem('sandbox', { level: 1 });
      await t.expandTreeItem('sample/hello', { level: 2 });
      const tag = t.treeItem('1.0', { level: 3 });
      await tag.waitFor();
      const desc = tag.locator('.label-description');
      await desc.filter({ hasText: /sha256:[0-9a-f]{12}/ }).waitFor();
      const text = await desc.innerText();
      t.log(`1.0: ${text}`);
      assert.match(text, /^sha256:[0-9a-f]{12} · \d+(\.\d)? (B|KB|MB) · (\d+ \w+ ago|just now)/);
      await t.expandTreeItem('sample/multi', { level: 2 });
      const multi = t.treeItem('latest', { level: 3 }).locator('.label-description');
      await multi.filter({ hasText: /linux\/arm64/ }).waitFor();
      t.log(`multi latest: ${await multi.innerText()}`);
      assert.match(await multi.innerText(), /linux\/amd64/);

      // The same tree, with sample/shared open, is the README screenshot.
      const { page } = t;
      await t.expandTreeItem('sample/shared', { level: 2 });
      await t.treeItem('latest', { level: 3 }).locator('.label-description').filter({ hasText: /linux/ }).waitFor();
      await t.treeItem('c', { level: 3 }).locator('.label-description').filter({ hasText: /sha256:/ }).waitFor();
      await t.runCommand('Notifications: Clear All Notifications');
      await page.mouse.move(1000, 600);
      await t.shot('readme-tree-window');
      // The README image: the side bar and the status bar's health item, without the empty editor area.
      const file = (await t.shot('readme-tree-full')).replace(/-full\.png$/, '.png');
      await page.screenshot({ path: file, clip: { x: 0, y: 0, width: 880, height: 900 } });
      if (process.env.E2E_UPDATE_README_SCREENSHOT) fs.copyFileSync(file, new URL('../../../media/screenshot-tree.png', import.meta.url));
    },
  },
  {
    name: 'a registry not signed in yet invites to Sign In; a wrong password then shows an error node offering Sign In',
    async run(t) {
      const { page } = t;
      await t.expandTreeItem('sandbox-wrong', { level: 1 });
      // No credentials yet: the listing is unauthorized and the node is an invitation (key icon), not an error.
      const signInNode = t.sidebar.locator('.monaco-list-row[aria-level="2"]', { hasText: /Sign In…/ }).first();
      await signInNode.waitFor();
      assert.match(await signInNode.locator('.label-description').innerText(), /not signed in yet/);
      assert.equal(await signInNode.locator('.codicon-key').count(), 1, 'a key icon');
      assert.equal(await signInNode.locator('.codicon-error').count(), 0, 'no error icon');
      await signInNode.click(); // runs Sign In for this registry
      await t.inputBox(t.sandbox.oci.username, { expectPrompt: /User name/ });
      await t.inputBox('definitely-not-the-password', { expectPrompt: /Password or access token/ });
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
      await t.expandTreeItem('sandbox-wrong', { level: 1 });
      const again = t.sidebar.locator('.monaco-list-row[aria-level="2"]', { hasText: /Sign in required/ }).first();
      await again.waitFor();
      assert.match(await again.locator('.label-description').innerText(), /Sign in…/);
      const label = await again.innerText();
      assert.ok(!label.includes('definitely-not-the-password'), 'the password is not shown');
      await t.shot('tree-sign-in-error');
      await collapse(t, 'sandbox-wrong', 1);
    },
  },
  {
    name: 'the status bar shows registry health',
    async run(t) {
      const { page } = t;
      // `sandbox` is reachable, `sandbox-wrong` is not (wrong password); other entries may go either way.
      const total = t.registries.length;
      // Registries waiting for a first sign-in are counted apart after a key icon ("2/5 🔑 1").
      const item = page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: new RegExp(`^\\s*\\d+/${total}(\\s+\\d+)?\\s*$`) }).first();
      await item.waitFor();
      await page.waitForFunction(
        ({ el, total }) => {
          const m = /^\s*(\d+)\/(\d+)(\s+\d+)?\s*$/.exec(el.textContent);
          return m && +m[2] === total && +m[1] >= 1 && +m[1] < total;
        },
        { el: await item.elementHandle(), total },
        { timeout: 60_000 },
      );
      const icon = await item.locator('.codicon').first().getAttribute('class');
      t.log(`status bar: "${(await item.innerText()).trim()}" (${icon})`);
      assert.match(icon, /codicon-(warning|server)/);
      const aria = await item.locator('a, .statusbar-item-label').first().getAttribute('aria-label');
      assert.match(aria ?? '', new RegExp(`Registries reachable: [1-9]\\d* of ${total}`));
    },
  },
  {
    name: 'Copy Pull Reference copies host/repository:tag',
    async run(t) {
      const { page } = t;
      const host = new URL(t.sandbox.oci.url).host;
      await t.expandTreeItem('sandbox', { level: 1 });
      await t.expandTreeItem('sample/hello', { level: 2 });
      // The sign-in of the spec before lists the tree again (and checks the registry's health, which lists it once
      // more): a row right-clicked while that runs hands its command no element. Wait until the tree is quiet.
      await t.page.waitForTimeout(1500);
      await t.treeItem('1.0', { level: 3 }).waitFor();
      await t.contextMenu(t.treeItem('1.0', { level: 3 }), 'Copy Pull Reference');
      await t.quickPick(`${host}/sample/hello:1.0`);
      const status = page.locator('#workbench\\.parts\\.statusbar', { hasText: `Copied ${host}/sample/hello:1.0` });
      await status.waitFor();
      const clip = await page.evaluate(() => navigator.clipboard.readText());
      assert.equal(clip, `${host}/sample/hello:1.0`);
    },
  },
  {
    name: 'Delete Tag on sample/shared:a names a, b and c, and deletes them',
    async run(t) {
      const { page } = t;
      await t.expandTreeItem('sandbox', { level: 1 });
      await t.expandTreeItem('sample/shared', { level: 2 });
      for (const tag of ['a', 'b', 'c']) await t.treeItem(tag, { level: 3 }).waitFor();
      await t.contextMenu(t.treeItem('a', { level: 3 }), 'Delete Tag');
      const dialog = t.dialog();
      await dialog.waitFor();
      const text = await dialog.innerText();
      t.log(text.replace(/\s+/g, ' '));
      assert.match(text, /sample\/shared:a and 2 other tags/);
      assert.match(text, /These tags are deleted too: b, c\./);
      await t.shot('delete-confirmation');
      await dialog.getByRole('button', { name: 'Delete 3 Tags' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await t.waitForNotification(/Deleted sample\/shared:a, sample\/shared:b, sample\/shared:c/);
      await page.waitForFunction(() => {
        const labels = [...document.querySelectorAll('#workbench\\.parts\\.sidebar .monaco-list-row[aria-level="3"] .label-name')].map((e) => e.textContent.trim());
        return !labels.includes('a') && !labels.includes('b') && !labels.includes('c');
      });
      await t.shot('after-delete');
      await collapse(t, 'sample/shared', 2);
    },
  },
];
