// Harbor administration against the seeded fake Harbor (test/e2e/lib/harbor.mjs → test/servers/harborSeed.ts
// startDemoHarbor): the runner configures a second entry `harbor-admin` (kind harbor, same url, username admin whose
// password is sandbox.extra.harbor.password). team-a has the retention policy sandbox.extra.harbor.retentionId (seeded:
// keep the 2 most recently pushed artifacts of team-a/app). These specs sign in as the admin, run the policy's Dry Run
// (what it would delete and retain, in a quick pick; nothing is deleted), and create a project robot in the form panel
// with permissions picked from Harbor's list, whose secret is shown once with Copy, then delete it. A second try finds
// what the first found: a dry run deletes nothing, and each try makes its own robot and deletes it.
import assert from 'node:assert/strict';
import { closeTab, collapse, dialogButton, ensureExpanded, menu } from '../lib/steps.mjs';

const ADMIN = 'harbor-admin';
const DIGEST = /^sha256:[0-9a-f]{12}$/;

function harborInfo(t) {
  const info = t.sandbox.extra?.harbor;
  if (!info?.url || !info.retentionId) throw new Error('the fake Harbor is not running: test/e2e/run.mjs starts it (test/e2e/lib/harbor.mjs) and configures the "harbor-admin" entry');
  return info;
}

/** Moves the pointer off the tree so no hover covers a screenshot. */
async function restPointer(t) {
  await t.page.mouse.move(t.page.viewportSize().width / 2, 8);
  await t.page.locator('.workbench-hover').waitFor({ state: 'hidden' }).catch(() => {});
}

/** The artifacts of team-a/app as the tree lists them (expanded at level 3): short digest → row label. */
async function appArtifacts(t) {
  await ensureExpanded(t, 'team-a/app', 3);
  await t.treeItem('1.0', { level: 4 }).waitFor();
  const rows = [];
  let seen = false;
  for (const r of await t.treeRows()) {
    if (r.level === 3) seen = r.label === 'team-a/app';
    else if (seen && r.level === 4 && r.label !== 'Load more…') rows.push(r);
  }
  const out = new Map();
  for (const r of rows) {
    const digest = r.description.split(' · ')[0];
    assert.match(digest, DIGEST, `the row ${r.label} starts with its short digest: ${r.description}`);
    out.set(digest, r.label);
  }
  return out;
}

/**
 * Picks a choice of a combobox field once the list shows the answer to the typed `query` (every option matching it:
 * the list re-renders when that answer arrives, and a click on the list before then may land on another option).
 */
async function pickChoice(f, id, query, label) {
  const options = f.locator(`#${id}-list li.combo-option`);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const texts = (await options.allInnerTexts()).filter((x) => x.trim());
    if (texts.length && texts.every((x) => x.includes(query))) break;
    if (Date.now() > deadline) throw new Error(`the choices of ${id} for "${query}" did not show: ${texts.join(' | ')}`);
    await f.locator('body').evaluate(() => new Promise((r) => setTimeout(r, 100)));
  }
  await options.filter({ hasText: label }).first().click();
}

/** The text of a tree row's tooltip (hovered again if the row was re-rendered before its hover showed). */
async function hoverText(t, row, hasText) {
  const hover = t.page.locator('.workbench-hover', { hasText });
  for (let attempt = 1; ; attempt++) {
    await restPointer(t);
    await row.hover();
    const shown = await hover.waitFor({ timeout: 10_000 }).then(
      () => true,
      () => false,
    );
    if (shown) return hover.innerText();
    if (attempt === 3) throw new Error(`no tooltip showing ${hasText}`);
  }
}

/**
 * team-a/app's artifacts as Harbor's API lists them to the admin: short digest, tags as the dry run names them
 * (`latest, 2.0`, `untagged`), push time; sorted by digest.
 */
async function harborArtifacts(info) {
  const res = await fetch(`${info.url}/api/v2.0/projects/team-a/repositories/app/artifacts?page_size=100&with_tag=true`, {
    headers: { authorization: `Basic ${Buffer.from(`${info.username}:${info.password}`).toString('base64')}` },
  });
  assert.equal(res.status, 200, `Harbor lists the artifacts of team-a/app: ${res.status}`);
  return (await res.json())
    .map((a) => ({ digest: a.digest.slice(0, 'sha256:'.length + 12), tags: (a.tags ?? []).map((x) => x.name).join(', ') || 'untagged', pushed: Date.parse(a.push_time) }))
    .sort((a, b) => (a.digest < b.digest ? -1 : 1));
}

/** The title and lines of the open quick pick, once its title matches `title`. */
async function quickPickLines(t, title) {
  const widget = t.page.locator('.quick-input-widget');
  const heading = widget.locator('.quick-input-title', { hasText: title });
  await heading.waitFor({ timeout: 60_000 });
  await widget.locator('.monaco-list-row').first().waitFor();
  const lines = (await widget.locator('.monaco-list-row .label-name').allInnerTexts()).map((s) => s.trim());
  return { title: (await heading.innerText()).trim(), lines };
}

export default [
  {
    name: 'harbor-admin: signs in as the admin and runs a Dry Run of team-a’s retention policy: what it would delete, nothing deleted',
    async run(t) {
      const info = harborInfo(t);
      const { page } = t;
      await t.runCommand('View: Close All Editors');
      await t.openRegistriesView();
      // The robot's entry lists the same projects: keep its rows out of the way.
      await collapse(t, 'harbor', 1);
      await collapse(t, ADMIN, 1);
      await menu(t, t.treeItem(ADMIN, { level: 1 }), 'Sign In');
      await t.inputBox(info.username, { expectPrompt: /User name/ });
      await t.inputBox(info.password, { expectPrompt: /Password or access token/ });
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
      await ensureExpanded(t, ADMIN, 1);
      await ensureExpanded(t, 'team-a', 2);
      const before = await appArtifacts(t);
      t.log(`team-a/app before: ${[...before].map(([d, l]) => `${l} ${d}`).join(', ')}`);
      // What the seeded rule implies, from what Harbor holds now (the seed pushed four artifacts; the in-host suite,
      // when it ran, deleted the index latest/2.0): the 2 most recently pushed — 1.1 and 1.0 — are retained, the rest
      // (the untagged one, pushed in 2023, and latest/2.0 while it exists) would be deleted.
      const held = await harborArtifacts(info);
      assert.deepEqual(held.map((a) => a.digest), [...before.keys()].sort(), 'the tree lists what Harbor holds');
      const newest = [...held].sort((a, b) => b.pushed - a.pushed);
      const retained = newest.slice(0, 2);
      const deleted = newest.slice(2);
      assert.deepEqual(retained.map((a) => a.tags).sort(), ['1.0', '1.1']);
      assert.ok(deleted.some((a) => a.tags === 'untagged'), 'the untagged artifact is the oldest');
      await collapse(t, 'team-a/app', 3);

      await ensureExpanded(t, 'Policies', 3);
      await ensureExpanded(t, 'Tag Retention', 4);
      const policy = t.treeItem(`Retention policy ${info.retentionId}`, { level: 5 });
      await policy.waitFor();
      assert.match(await policy.locator('.label-description').innerText(), /^1 rule · /);
      await menu(t, policy, 'Run Action…');
      await t.quickPick(/Dry Run/);
      const { title, lines } = await quickPickLines(t, `Dry run of retention policy ${info.retentionId} of team-a: `);
      assert.equal(title, `Dry run of retention policy ${info.retentionId} of team-a: ${deleted.length} of ${held.length} artifacts would be deleted`);
      t.log(`dry run:\n        ${lines.join('\n        ')}`);
      await restPointer(t);
      await t.shot('harbor-admin-dry-run');
      await page.keyboard.press('Escape');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
      // Deletions first, then what is retained: each artifact by its short digest and tags.
      const line = (verdict) => (a) => `${verdict}: team-a/app@${a.digest} (${a.tags})`;
      assert.equal(lines.length, held.length, 'one line per artifact');
      assert.deepEqual(lines.slice(0, deleted.length).sort(), deleted.map(line('Delete')).sort());
      assert.deepEqual(lines.slice(deleted.length).sort(), retained.map(line('Retain')).sort());

      // The execution is recorded as a dry run, and every artifact is still there.
      await ensureExpanded(t, `Retention policy ${info.retentionId}`, 5);
      await ensureExpanded(t, 'Executions', 6);
      const exec = t.treeItem(/^\d+ · dry run$/, { level: 7 });
      await exec.waitFor();
      assert.match(await exec.locator('.label-description').innerText(), /^Success · /);
      await restPointer(t);
      await t.shot('harbor-admin-dry-run-execution');
      await collapse(t, 'Policies', 3);
      // Harbor still holds every artifact, and the repository read again lists them.
      assert.deepEqual(await harborArtifacts(info), held, 'a dry run deletes nothing');
      await menu(t, t.treeItem('team-a/app', { level: 3 }), 'Refresh');
      const after = await appArtifacts(t);
      assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort(), 'the tree lists every artifact after the dry run');
      await collapse(t, 'team-a/app', 3);
    },
  },
  {
    name: 'harbor-admin: creates a project robot with permissions picked from Harbor’s list; its secret is shown once with Copy; deletes it',
    async run(t) {
      const { page } = t;
      await t.runCommand('View: Close All Editors');
      await ensureExpanded(t, ADMIN, 1);
      await ensureExpanded(t, 'team-a', 2);
      await ensureExpanded(t, 'Access', 3);
      const robots = t.treeItem('Robot Accounts', { level: 4 });
      await ensureExpanded(t, 'Robot Accounts', 4);
      await t.treeItem('robot$team-a+ci', { level: 5 }).waitFor();
      const short = `e2e${Date.now() % 1_000_000}`;
      const name = `robot$team-a+${short}`;

      await menu(t, robots, 'Create…');
      const title = 'Create Robot Account';
      const f = t.frame(title);
      await f.locator('vscode-textfield#field-name').waitFor();
      await f.locator('vscode-textfield#field-name input').fill(short);
      await f.locator('vscode-textfield#field-description input').fill('made in the e2e run');
      // Permissions: a list box of what Harbor's GET /permissions offers robots, filtered as one types.
      const input = f.locator('input#field-permissions');
      for (const [query, label] of [
        ['pull', 'repository · pull'],
        ['artifact:r', 'artifact · read'],
      ]) {
        await input.click();
        await input.fill(query);
        await pickChoice(f, 'field-permissions', query, label);
        await f.locator('.combo-chosen .combo-chip', { hasText: label }).waitFor();
      }
      assert.deepEqual((await f.locator('.combo-chosen .combo-chip').allInnerTexts()).map((s) => s.trim()), ['repository · pull', 'artifact · read']);
      await restPointer(t);
      await t.shot('harbor-admin-robot-form');
      await f.locator('vscode-button', { hasText: 'Create' }).click();

      const dialog = t.dialog();
      await dialog.getByText(`Created robot account ${name}. Copy its secret now: Harbor shows it only once.`).waitFor();
      const secret = (await dialog.locator('.dialog-message-detail').innerText()).trim();
      assert.match(secret, /^[A-Za-z0-9]{32}$/, `a secret in the dialog: ${secret.slice(0, 3)}…`);
      await t.shot('harbor-admin-robot-secret');
      await dialogButton(t, 'Copy');
      await page.locator('#workbench\\.parts\\.statusbar', { hasText: `Copied the new secret of ${name}` }).waitFor();
      let copied = '';
      for (let i = 0; i < 50 && copied !== secret; i++) {
        copied = await page.evaluate(() => navigator.clipboard.readText());
        if (copied !== secret) await page.waitForTimeout(100);
      }
      assert.equal(copied, secret, 'the clipboard holds the new secret');
      await f.locator('.form-banner.success').getByText(`Created robot account ${name}`).waitFor();
      assert.equal(await f.getByText(secret).count(), 0, 'the secret is not in the form');
      await closeTab(t, title);

      // Listed with what it may do; the secret is nowhere: not in the row, its tooltip, or any action on it.
      const row = t.treeItem(name, { level: 5 });
      await row.waitFor();
      const desc = await row.locator('.label-description').innerText();
      assert.match(desc, /^expires \d{4}-\d{2}-\d{2} · repository: pull · artifact: read · made in the e2e run$/);
      const tooltip = await hoverText(t, row, name);
      assert.match(tooltip, /team-a: repository: pull · artifact: read/);
      assert.ok(!tooltip.includes(secret), 'the tooltip does not carry the secret');
      await restPointer(t);
      assert.ok(!(await page.locator('body').innerText()).includes(secret), 'the workbench shows the secret nowhere');
      await menu(t, row, 'Run Action…');
      const { lines: offered } = await quickPickLines(t, `Run Action on ${name}`);
      // Refresh Secret makes a new one (shown once); nothing shows the current secret again.
      assert.deepEqual(offered, ['Refresh Secret', 'Disable']);
      await t.shot('harbor-admin-robot-listed');
      await page.keyboard.press('Escape');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });

      await menu(t, row, 'Delete…');
      await t.dialog().getByText(`Delete robot account ${name}?`).waitFor();
      await dialogButton(t, 'Delete Robot Account');
      await t.treeItem(name, { level: 5 }).waitFor({ state: 'detached' });
      await t.treeItem('robot$team-a+ci', { level: 5 }).waitFor();
      await collapse(t, 'Access', 3);
      await collapse(t, ADMIN, 1);
    },
  },
];
