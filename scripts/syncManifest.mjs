// Writes the parts of package.json and package.nls.json derived from the registry kinds (src/registry/kinds.ts) and
// the settings schema (src/config/schema.ts): the `kind` enum and its descriptions, the entry fields' help, the
// extension's description. Run it after adding or changing a kind; test/unit/config.test.ts fails until then.
// `--check`: change nothing, exit 1 when the files are out of date.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/cjs/api';

register();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { syncManifest } = createRequire(import.meta.url)(path.join(root, 'scripts/manifest.ts'));
const files = { manifest: path.join(root, 'package.json'), nls: path.join(root, 'package.nls.json') };
const read = (f) => JSON.parse(fs.readFileSync(f, 'utf8'));
const synced = syncManifest(read(files.manifest), read(files.nls));
let stale = 0;
for (const [name, file] of Object.entries(files)) {
  const text = JSON.stringify(synced[name], null, 2) + '\n';
  if (text === fs.readFileSync(file, 'utf8')) continue;
  stale++;
  if (process.argv.includes('--check')) console.error(`${path.basename(file)} is out of date: run node scripts/syncManifest.mjs`);
  else {
    fs.writeFileSync(file, text);
    console.log(`updated ${path.basename(file)}`);
  }
}
if (stale && process.argv.includes('--check')) process.exitCode = 1;
