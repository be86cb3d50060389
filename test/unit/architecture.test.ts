import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { descriptors } from '../../src/registry/kinds';

/**
 * The shape rules of src/: a registry kind is a folder (src/registry/<kind>/ with a descriptor.ts) that imports only
 * itself and the shared modules of src/registry; the rest of the extension never names a kind (it reads the
 * descriptors); no file grows past 400 lines.
 */
const SRC = path.join(__dirname, '../../src');
const REGISTRY = path.join(SRC, 'registry');
const rel = (f: string) => path.relative(path.join(SRC, '..'), f).split(path.sep).join('/');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const f = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(f) : [f];
  });
}

const kindFolders = fs
  .readdirSync(REGISTRY, { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(REGISTRY, d.name, 'descriptor.ts')))
  .map((d) => d.name);

/** The folder of src/registry a file lies in, when that folder is a kind. */
function kindOf(file: string): string | undefined {
  const parts = path.relative(REGISTRY, file).split(path.sep);
  return parts.length > 1 && parts[0] !== '..' && kindFolders.includes(parts[0]!) ? parts[0] : undefined;
}

/** Every module specifier a TypeScript file imports, re-exports, requires or loads with import(). */
export function specifiersOf(code: string): string[] {
  const out: string[] = [];
  for (const m of code.matchAll(/^\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm)) out.push(m[1]!);
  for (const m of code.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)) out.push(m[1]!);
  for (const m of code.matchAll(/\b(?:require|import)\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]!);
  return out;
}

/** The names of the registry kinds: ids, labels and the product names their descriptors give. */
export function kindNames(): string[] {
  const names = new Set<string>();
  for (const d of descriptors) {
    names.add(d.kind);
    for (const text of [d.label, d.shortLabel ?? '', d.detail]) {
      for (const part of text.split(/\s*(?:[,/:()…]|\bor\b)\s*/)) {
        // Capitalised parts are names ("Harbor", "Docker Trusted Registry"); lower-case ones are words ("repositories").
        if (/^[A-Z]/.test(part.trim())) names.add(part.trim());
      }
    }
  }
  return [...names].filter((n) => n.length >= 3);
}

describe('architecture: a registry kind is a folder', () => {
  it('finds the kind folders, and kinds.ts lists exactly their descriptors', () => {
    assert.ok(kindFolders.length >= 2, `kind folders: ${kindFolders.join(', ')}`);
    const kindsTs = fs.readFileSync(path.join(REGISTRY, 'kinds.ts'), 'utf8');
    const listed = [...kindsTs.matchAll(/from '\.\/([^/']+)\/descriptor'/g)].map((m) => m[1]!);
    assert.deepEqual([...listed].sort(), [...kindFolders].sort(), 'every folder with a descriptor.ts has its one line in src/registry/kinds.ts');
    assert.equal(descriptors.length, kindFolders.length);
  });

  it("no file of a kind's folder imports another kind's folder (shared code lives in src/registry, e.g. distribution/)", () => {
    const bad: string[] = [];
    for (const kind of kindFolders) {
      for (const file of filesUnder(path.join(REGISTRY, kind)).filter((f) => f.endsWith('.ts'))) {
        for (const spec of specifiersOf(fs.readFileSync(file, 'utf8'))) {
          if (!spec.startsWith('.')) continue;
          const target = kindOf(path.resolve(path.dirname(file), spec));
          if (target && target !== kind) bad.push(`${rel(file)} imports ${spec}`);
        }
      }
    }
    assert.deepEqual(bad, []);
  });

  it("outside the kind folders, only src/registry/kinds.ts imports a kind, and only its descriptor", () => {
    const bad: string[] = [];
    for (const file of filesUnder(SRC).filter((f) => f.endsWith('.ts') && !kindOf(f))) {
      for (const spec of specifiersOf(fs.readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = path.resolve(path.dirname(file), spec);
        if (!kindOf(target)) continue;
        if (file !== path.join(REGISTRY, 'kinds.ts') || path.basename(target) !== 'descriptor') bad.push(`${rel(file)} imports ${spec}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('no file under src/ outside src/registry names a registry kind (code, strings, comments): it reads the descriptors', () => {
    const names = kindNames();
    // The names the rule is about, so that a change to the descriptors cannot empty it unnoticed.
    for (const n of ['oci', 'dockerhub', 'dtr', 'quay', 'Docker Hub', 'Harbor']) assert.ok(names.includes(n), `${n} is a kind name`);
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const pattern = new RegExp(`(?<![\\w-])(?:${names.map(escape).join('|')})(?![\\w-])`, 'gi');
    const bad: string[] = [];
    for (const file of filesUnder(SRC).filter((f) => !f.startsWith(REGISTRY + path.sep))) {
      fs.readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const m of line.matchAll(pattern)) bad.push(`${rel(file)}:${i + 1}: ${m[0]}`);
        });
    }
    assert.deepEqual(bad, [], 'name kinds through their descriptors (src/registry/kinds.ts), or move the code into the kind folder');
  });
});

describe('architecture: file size (no file under src/ over 400 lines)', () => {
  it('keeps every file under src/ at 400 lines or fewer (split by family rather than grow a file)', () => {
    const over = filesUnder(SRC)
      .map((f) => ({ f, lines: fs.readFileSync(f, 'utf8').replace(/\n$/, '').split('\n').length }))
      .filter((x) => x.lines > 400)
      .map((x) => `${rel(x.f)}: ${x.lines} lines`);
    assert.deepEqual(over, []);
  });
});

describe('architecture: typed admin declarations', () => {
  it('casts no schema under src/registry: form values are typed from their zod schemas (defineResource and friends)', () => {
    const casts = filesUnder(REGISTRY)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => fs.readFileSync(f, 'utf8').split('\n').map((line, i) => ({ f, i, line })))
      .filter(({ line }) => /\bas\s+z\.Zod\w*|\bas\s+unknown\s+as\b/.test(line))
      .map(({ f, i }) => `${rel(f)}:${i + 1}`);
    assert.deepEqual(casts, []);
  });

  it('every user-facing title, label and button under src/registry goes through t() (src/registry/l10n.ts)', () => {
    // `title: 'Tokens'` or `button: on ? 'Turn On' : …` would show English whatever the user's language: write `t('Tokens')`.
    const untranslated = filesUnder(REGISTRY)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => fs.readFileSync(f, 'utf8').split('\n').map((line, i) => ({ f, i, line })))
      .filter(({ line }) => /\b(?:title|itemTitle|placeholder|addLabel|submitLabel|button)\s*:\s*(?:[\w.!]+\s*\?\s*)?['"`]/.test(line))
      .map(({ f, i }) => `${rel(f)}:${i + 1}`);
    assert.deepEqual(untranslated, []);
  });

  it('parses no form value again under src/registry: run, verify and confirm receive what the pipeline parsed', () => {
    // `someForm.parse(values)` / `.safeParse(input)` inside a declaration re-checks what the pipeline already parsed.
    const reparses = filesUnder(REGISTRY)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => fs.readFileSync(f, 'utf8').split('\n').map((line, i) => ({ f, i, line })))
      .filter(({ line }) => /\w(?:Form|Schema|form|schema)\b[\w.]*\.(?:safeParse|parse)\(\s*(?:\{\s*\.\.\.)?(?:values|input|v)\b/.test(line))
      .map(({ f, i }) => `${rel(f)}:${i + 1}`);
    assert.deepEqual(reparses, []);
  });
});
