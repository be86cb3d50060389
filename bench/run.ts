/**
 * `npm run bench [-- --json] [-- --runs N] [-- --only name,name]`: benchmarks printed section by section, with the
 * targets they are held to. Not a test: it prints, and exits non-zero only when a section cannot run.
 * Sections are the `section` exports of bench/sections/*.ts (add a file there to add a section).
 * `--json` also writes bench/results.json (each section's fields merged at the top level).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BenchSection, TargetCheck } from './section';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function loadSections(): Promise<BenchSection[]> {
  const dir = path.join(__dirname, 'sections');
  const out: BenchSection[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).sort()) {
    const mod = (await import(path.join(dir, file))) as { section?: BenchSection };
    if (mod.section) out.push(mod.section);
  }
  return out.sort((a, b) => a.order - b.order);
}

async function main(): Promise<void> {
  const runs = Number(arg('--runs') ?? 5);
  const only = arg('--only')?.split(',');
  const sections = (await loadSections()).filter((s) => !only || only.includes(s.name));
  const json: Record<string, unknown> = { generatedAt: new Date().toISOString(), runs };
  const targets: TargetCheck[] = [];
  let failed = false;
  for (const s of sections) {
    process.stdout.write(`\n== ${s.name} ==\n`);
    try {
      const r = await s.run({ runs, print: (line) => process.stdout.write(`  ${line}\n`) });
      Object.assign(json, r.json);
      for (const t of r.targets) {
        targets.push(t);
        process.stdout.write(`  ${t.ok ? 'OK  ' : 'MISS'} ${t.name}: ${t.detail}\n`);
      }
    } catch (e) {
      failed = true;
      process.stdout.write(`  section failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    }
  }
  process.stdout.write(`\n== targets: ${targets.filter((t) => t.ok).length}/${targets.length} met ==\n`);
  for (const t of targets.filter((x) => !x.ok)) process.stdout.write(`  missed: ${t.name} (${t.detail})\n`);
  if (process.argv.includes('--json')) {
    const file = path.join(__dirname, 'results.json');
    fs.writeFileSync(file, JSON.stringify(json, null, 2) + '\n');
    process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
  }
  process.exit(failed ? 1 : 0);
}

void main();
