// Steps the UI specs share: context menus, tabs, tree rows and modal dialogs of the workbench.

/** Collapses a row when it is expanded. */
export async function collapse(t, label, level) {
  const row = t.treeItem(label, { level });
  if ((await row.count()) && (await row.getAttribute('aria-expanded')) === 'true') await row.locator('.monaco-tl-twistie').click();
}

/**
 * Right-clicks a row and picks a context-menu entry. The workbench ignores a click that lands right after the menu
 * opened, so this waits a moment and checks the menu closed.
 */
export async function menu(t, row, item) {
  await row.waitFor();
  await row.click({ button: 'right' });
  const entry = t.page.locator('.monaco-menu .action-item', { has: t.page.locator('.action-label', { hasText: t.exactText(item) }) }).first();
  await entry.waitFor();
  await t.page.waitForTimeout(400);
  await entry.click();
  await entry.waitFor({ state: 'hidden' });
}

/** Closes an editor tab by its title and waits until it is gone, so the next panel opens on a settled workbench. */
export async function closeTab(t, title) {
  const tab = t.page.locator('.tabs-container .tab', { hasText: title }).first();
  await tab.locator('.codicon-close, .action-label').first().click();
  await tab.waitFor({ state: 'detached' });
}

/** Expands a row unless it is expanded already (a failed spec before may have collapsed the tree). */
export async function ensureExpanded(t, label, level) {
  const row = t.treeItem(label, { level });
  await row.waitFor();
  if ((await row.getAttribute('aria-expanded')) !== 'true') await t.expandTreeItem(label, { level });
}

/** Clicks a button of the open modal dialog. */
export async function dialogButton(t, label) {
  const dialog = t.dialog();
  await dialog.waitFor();
  await dialog.locator('.monaco-button', { hasText: t.exactText(label) }).first().click();
  await dialog.waitFor({ state: 'hidden' });
}

/** Brings the panel's editor tab to the front and returns its frame once that page (by its <title>) has rendered. */
export async function waitForPanel(t, title, timeout = 30_000) {
  const tab = t.page.locator('.tabs-container .tab', { hasText: title }).first();
  await tab.waitFor({ timeout });
  const deadline = Date.now() + timeout;
  for (;;) {
    if ((await tab.getAttribute('aria-selected')) !== 'true') await tab.click();
    const frame = t.frame();
    const ok = await frame
      .locator('html')
      .evaluate((el, want) => el.ownerDocument.title === want && !!el.ownerDocument.querySelector('#app[data-rendered], #app .failure'), title, { timeout: 2000 })
      .catch(() => false);
    if (ok) return frame;
    if (Date.now() > deadline) throw new Error(`the panel "${title}" did not render within ${timeout / 1000} s`);
    await t.page.waitForTimeout(250);
  }
}
