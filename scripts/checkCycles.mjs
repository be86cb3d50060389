// Fails when modules under src/ import each other in a cycle. Type-only imports count too: a cycle of types still
// ties the modules' designs together. Run by `npm run lint` (and so by `npm test`).
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(process.argv[2] ?? 'src');
const files = [];
(function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const f = path.join(dir, e.name);
    if (e.isDirectory()) walk(f);
    else if (/\.ts$/.test(e.name) && !e.name.endsWith('.d.ts')) files.push(f);
  }
})(root);

function resolve(from, spec) {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  for (const f of [base, `${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(f) && fs.statSync(f).isFile() && f.endsWith('.ts')) return f;
  return undefined;
}

const edges = new Map();
const importRe = /(?:^|[;\n])\s*(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|(?:^|[;\n])\s*import\s*['"]([^'"]+)['"]|\brequire\(\s*['"]([^'"]+)['"]\s*\)|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
for (const f of files) {
  const code = fs.readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const deps = new Set();
  for (const m of code.matchAll(importRe)) {
    const r = resolve(f, m[1] ?? m[2] ?? m[3] ?? m[4]);
    if (r) deps.add(r);
  }
  edges.set(f, [...deps]);
}

// Tarjan's strongly connected components: every component with more than one module (or a self-import) is a cycle.
let index = 0;
const idx = new Map();
const low = new Map();
const stack = [];
const on = new Set();
const cycles = [];
function strong(v) {
  idx.set(v, index);
  low.set(v, index++);
  stack.push(v);
  on.add(v);
  for (const w of edges.get(v) ?? []) {
    if (!idx.has(w)) {
      strong(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const comp = [];
    let w;
    do {
      w = stack.pop();
      on.delete(w);
      comp.push(w);
    } while (w !== v);
    if (comp.length > 1 || (edges.get(v) ?? []).includes(v)) cycles.push(comp);
  }
}
for (const f of files) if (!idx.has(f)) strong(f);

const rel = (f) => path.relative(process.cwd(), f);
if (cycles.length) {
  for (const c of cycles) console.error(`Import cycle: ${c.map(rel).sort().join(' ↔ ')}`);
  process.exit(1);
}
console.log(`No import cycles among ${files.length} modules under ${rel(root) || '.'}`);
