// The build's bundle checks (esbuild.mjs runs them on the metafile of every bundle; test/unit/bundleCheck.test.ts
// drives them with made-up bundles): budgets, and code that must be bundled once.
'use strict';
const path = require('node:path');

const KB = 1024;
const kb = (n) => `${(n / KB).toFixed(1)} KB`;

/**
 * Checks built bundles (`outputs`: esbuild metafile outputs, keyed `dist/…`) and returns the problems (empty: all
 * good) and a line per check for the build log.
 *  - budgets (bytes): `activation` for dist/extension.js plus every bundle it requires, transitively, except the
 *    provider bundles (the descriptors load those on first use) and the `lazy` ones (required on first use too);
 *    `provider` for each dist/providers/*.js and each `lazy` bundle; `webview`
 *    for each dist/webview-ui-*.js; `sharedRegistry` for each bundle named in `sharedRegistry`;
 *  - `singleHome`: `{ what, home, test(input), node? }`: code whose inputs `test` matches must be in `home` alone
 *    (`node`: the rule is about the Node bundles; each webview page loads its own bundle);
 *  - `vscodeignore` (the file's text, when given): every bundle must be packaged (un-ignored by a `!` line).
 */
function checkBundles(outputs, { budgets, singleHome = [], sharedRegistry = [], lazy = [], vscodeignore }) {
  const problems = [];
  const lines = [];
  const size = (f) => outputs[f]?.bytes ?? 0;
  const line = (label, bytes, budget) => {
    const ok = bytes <= budget;
    lines.push(`${ok ? 'ok  ' : 'OVER'} ${label}: ${kb(bytes)} of ${kb(budget)}`);
    if (!ok) problems.push(`${label} is ${kb(bytes)}, over its budget of ${kb(budget)}`);
  };
  const activation = new Set();
  const visit = (f) => {
    if (activation.has(f) || !outputs[f]) return;
    activation.add(f);
    for (const i of outputs[f].imports ?? []) {
      if (!i.external || !i.path.startsWith('.')) continue;
      const target = path.posix.join(path.posix.dirname(f), i.path);
      if (!target.startsWith('dist/providers/') && !lazy.includes(target)) visit(target);
    }
  };
  visit('dist/extension.js');
  const activationBytes = [...activation].reduce((n, f) => n + size(f), 0);
  line(`activation (${[...activation].map((f) => path.posix.basename(f)).join(' + ')})`, activationBytes, budgets.activation);
  for (const f of Object.keys(outputs).sort()) {
    if (f.startsWith('dist/providers/') || lazy.includes(f)) line(f, size(f), budgets.provider);
    else if (f.startsWith('dist/webview-ui-')) line(f, size(f), budgets.webview);
    else if (sharedRegistry.includes(f)) line(f, size(f), budgets.sharedRegistry);
  }
  for (const rule of singleHome) {
    const holders = Object.keys(outputs).filter((f) => !(rule.node && f.startsWith('dist/webview-ui-')) && Object.keys(outputs[f].inputs ?? {}).some((input) => rule.test(input)));
    const strays = holders.filter((f) => f !== rule.home);
    if (strays.length) problems.push(`${rule.what} is bundled into ${strays.join(', ')}: it belongs to ${rule.home} alone (require that bundle instead)`);
    else lines.push(`ok   ${rule.what}: only in ${rule.home}`);
  }
  if (vscodeignore !== undefined) {
    const kept = vscodeignore
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('!'))
      .map((l) => new RegExp(`^${l.slice(1).replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\0').replace(/\*/g, '[^/]*').replace(/\0/g, '.*')}$`));
    const missing = Object.keys(outputs).filter((f) => f.endsWith('.js') && !kept.some((r) => r.test(f)));
    if (missing.length) problems.push(`${missing.join(', ')} would not be packaged: add ${missing.map((f) => `!${f}`).join(', ')} to .vscodeignore`);
  }
  return { problems, lines };
}

module.exports = { checkBundles };
