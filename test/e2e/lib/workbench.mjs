// Chromium (playwright-core) against code-server, and the helpers UI specs receive as `t`.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

export const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';

export async function launchBrowser(profileDir, { headless = true } = {}) {
  fs.rmSync(profileDir, { recursive: true, force: true });
  const ctx = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    viewport: { width: 1440, height: 900 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  return ctx;
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
export const exactText = (s) => new RegExp(`^\\s*${escapeRe(s)}\\s*$`);

/** Opens the workbench on `folder` and waits until it is usable. */
export async function openWorkbench(page, base, folder) {
  await page.goto(`${base}/?folder=${encodeURIComponent(folder)}`);
  await page.locator('.monaco-workbench').waitFor();
  await page.locator('.activitybar').getByRole('tab', { name: /^Registries/ }).waitFor();
}

/**
 * The `t` object handed to every UI spec (see the contract at the top of test/e2e/run.mjs).
 * @param {{ page: import('playwright-core').Page, shotsDir: string, sandbox: object, workspace: string, base: string, log: (m: string) => void }} o
 */
export function createHelpers({ page, shotsDir, sandbox, workspace, base, log, counter }) {
  const sidebar = page.locator('#workbench\\.parts\\.sidebar');
  const quickInput = page.locator('.quick-input-widget');

  const t = {
    page,
    sandbox,
    workspace,
    base,
    sidebar,
    log,
    exactText,

    /** Screenshot of the whole window to <shotsDir>/NN-name.png; returns the path. */
    async shot(name) {
      const file = path.join(shotsDir, `${String(++counter.n).padStart(2, '0')}-${name.replace(/[^\w.-]+/g, '-')}.png`);
      await page.screenshot({ path: file });
      log(`screenshot ${path.relative(process.cwd(), file)}`);
      return file;
    },

    /** The inner frame of a webview (outer iframe.webview → inner #active-frame); with a title, of that editor tab. */
    frame(panelTitle) {
      if (panelTitle) {
        // Bring the panel to the front so its webview is the visible one.
        void page.locator('.tabs-container .tab', { hasText: panelTitle }).first().click().catch(() => {});
      }
      return page.locator('iframe.webview.ready').filter({ visible: true }).first().contentFrame().locator('iframe#active-frame').contentFrame();
    },

    /** Runs a command by its palette title (e.g. "Registry Explorer: Refresh") through F1. */
    async runCommand(title) {
      await page.keyboard.press('Escape');
      await page.locator('.monaco-workbench').click({ position: { x: 700, y: 4 } }).catch(() => {});
      await page.keyboard.press('F1');
      const input = quickInput.locator('input.input');
      await input.waitFor({ state: 'visible' });
      await input.fill(`>${title}`);
      const row = quickInput.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: exactText(title) }) }).first();
      await row.waitFor();
      await row.click();
    },

    /** Picks the quick-pick row whose label matches (string: exact; RegExp: as given) in the open quick input. */
    async quickPick(label) {
      const row = quickInput.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: typeof label === 'string' ? exactText(label) : label }) }).first();
      await row.waitFor();
      await row.click();
    },

    /** Types into the open input box and presses Enter. */
    async inputBox(text, { expectPrompt } = {}) {
      const input = quickInput.locator('input.input');
      await input.waitFor({ state: 'visible' });
      if (expectPrompt) await quickInput.getByText(expectPrompt).first().waitFor();
      await input.fill(text);
      await input.press('Enter');
    },

    async setTheme(name) {
      await t.runCommand('Preferences: Color Theme');
      const input = quickInput.locator('input.input');
      await input.fill(name);
      // Rows read "Dark Modern  Default Dark Modern": the label, then the theme id as description.
      await quickInput.locator('.monaco-list-row', { hasText: name }).first().click();
      await quickInput.waitFor({ state: 'hidden' });
      const wantDark = /dark/i.test(name);
      await page.waitForFunction((dark) => document.querySelector('.monaco-workbench')?.classList.contains(dark ? 'vs-dark' : 'vs'), wantDark);
    },

    /**
     * Shows the Registries view in the side bar (no-op when it is showing). A click on the activity-bar tab of the
     * container that is showing hides the side bar, and a workbench that is still restoring its layout (after a
     * reload) may show the container a moment after the tab was read as not selected; so this clicks only after
     * reading the side bar as not showing Registries, and reads again after each click.
     */
    async openRegistriesView(timeout = 30_000) {
      const tab = page.locator('.activitybar').getByRole('tab', { name: /^Registries/ });
      const title = sidebar.locator('.composite.title', { hasText: /Registries/i });
      await tab.waitFor({ timeout });
      const deadline = Date.now() + timeout;
      for (;;) {
        const showing = await title.waitFor({ state: 'visible', timeout: 1500 }).then(
          () => true,
          () => false,
        );
        if (showing) break;
        if (Date.now() > deadline) throw new Error(`the Registries view did not show within ${timeout / 1000} s`);
        await tab.click();
      }
      await sidebar.locator('.monaco-list[role="tree"]').first().waitFor();
    },

    /** Runs Developer: Reload Window and waits for the new workbench with the Registries view showing. */
    async reloadWindow() {
      const loaded = page.waitForEvent('load', { timeout: 60_000 });
      await t.runCommand('Developer: Reload Window');
      await loaded;
      await page.locator('.monaco-workbench').waitFor();
      await t.openRegistriesView(60_000);
    },

    /** Collapses every node of the Registries view and scrolls it to the top. */
    async collapseTree() {
      await t.openRegistriesView();
      await sidebar.locator('.actions-container .action-label[aria-label^="Collapse All"]').first().click();
      await sidebar.locator('.monaco-list-row[aria-level="2"]').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
    },

    /** Drags the sash between the side bar and the editor so the side bar is `width` pixels wide. */
    async resizeSidebar(width) {
      const box = await sidebar.boundingBox();
      if (!box) return;
      const edge = box.x + box.width;
      const y = box.y + box.height / 2;
      await page.mouse.move(edge - 1, y);
      await page.mouse.down();
      await page.mouse.move(box.x + width, y, { steps: 5 });
      await page.mouse.up();
    },

    /** The tree row whose label is exactly `label`; `level` (1 = registries) narrows it. */
    treeItem(label, { level } = {}) {
      const rows = sidebar.locator(`.monaco-list-row[role="treeitem"]${level ? `[aria-level="${level}"]` : ''}`);
      return rows.filter({ has: page.locator('.label-name', { hasText: typeof label === 'string' ? exactText(label) : label }) }).first();
    },

    /** Visible tree rows (virtualised: only what is scrolled into view) as { label, description, level, expanded }. */
    async treeRows() {
      return sidebar.locator('.monaco-list-row[role="treeitem"]').evaluateAll((rows) =>
        rows.map((r) => ({
          label: r.querySelector('.label-name')?.textContent?.trim() ?? '',
          description: r.querySelector('.label-description')?.textContent?.trim() ?? '',
          level: Number(r.getAttribute('aria-level')),
          expanded: r.getAttribute('aria-expanded'),
          index: Number(r.getAttribute('data-index')),
        })).sort((a, b) => a.index - b.index),
      );
    },

    /** Expands a tree row (clicking its twistie) and waits until it reports expanded. */
    async expandTreeItem(label, opts) {
      const row = t.treeItem(label, opts);
      await row.waitFor({ timeout: 5000 }).catch(async () => {
        // The tree is virtualised: a row scrolled out of view (a spec that failed left a long list expanded above
        // it) is not in the page. Scroll the tree to its top and look again.
        await sidebar.locator('.monaco-list').first().focus().catch(() => {});
        await page.keyboard.press('Home').catch(() => {});
      });
      await row.waitFor();
      // The row element is replaced when the tree refreshes, so poll through the locator and click again if a
      // refresh collapsed it.
      const end = Date.now() + 30_000;
      for (let clicked = 0; ; ) {
        const state = await row.getAttribute('aria-expanded', { timeout: 5000 }).catch(() => null);
        if (state === 'true') return row;
        if (Date.now() > end) throw new Error(`tree item "${label}" did not expand`);
        if (state === 'false' && Date.now() - clicked > 2000) {
          await row.locator('.monaco-tl-twistie').click();
          clicked = Date.now();
        }
        await page.waitForTimeout(100);
      }
    },

    /** Right-clicks `target` (a locator or a tree label) and picks `item` from the context menu. */
    async contextMenu(target, item) {
      const loc = typeof target === 'string' ? t.treeItem(target) : target;
      await loc.click({ button: 'right' });
      const entry = page.locator('.monaco-menu .action-item', { has: page.locator('.action-label', { hasText: exactText(item) }) }).first();
      await entry.waitFor();
      // The menu ignores a click that lands while it is still opening; hover first and fall back to Enter.
      await entry.hover();
      await page.waitForTimeout(150);
      await entry.click();
      const menu = page.locator('.monaco-menu').first();
      const closed = await menu.waitFor({ state: 'hidden', timeout: 2000 }).then(() => true, () => false);
      if (!closed) {
        await entry.hover();
        await page.keyboard.press('Enter');
        await menu.waitFor({ state: 'hidden', timeout: 5000 });
      }
    },

    /** The text of the notification toasts currently shown. */
    async notifications() {
      return (await page.locator('.notifications-toasts .notification-toast').allInnerTexts()).join('\n');
    },

    /** Waits for a notification toast matching `re` and returns its text. */
    async waitForNotification(re, timeout = 30_000) {
      const toast = page.locator('.notifications-toasts .notification-toast', { hasText: re }).first();
      await toast.waitFor({ timeout });
      return toast.innerText();
    },

    /** The modal dialog (showWarningMessage with modal: true), when one is open. */
    dialog() {
      return page.locator('.monaco-dialog-box');
    },

    /** Text of the status bar. */
    async statusBarText() {
      return page.locator('#workbench\\.parts\\.statusbar').innerText();
    },
  };
  return t;
}
