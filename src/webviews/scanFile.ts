import { promises as fs } from 'node:fs';
import { BadResponseError } from '../registry/errors';
import { descriptors } from '../registry/kinds';
import type { ScanReport } from '../registry/scan';
import { scanReportSchema } from './protocol';

/** Reads a scan report saved as JSON: our own export format, or a format a registry kind declares. */
export async function readScanReportFile(file: string): Promise<ScanReport> {
  let json: unknown;
  try {
    json = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (e) {
    throw new BadResponseError(`${file} is not a readable JSON file: ${(e as Error).message}`);
  }
  const own = scanReportSchema.safeParse(json);
  if (own.success) return own.data;
  if (json && typeof json === 'object' && 'vulnerabilities' in json) {
    const issue = own.error.issues[0];
    throw new BadResponseError(`${file} is not a valid scan report: "${issue?.path.join('.') ?? ''}" ${issue?.message ?? ''}`.trim());
  }
  const name = file.split(/[\\/]/).pop() ?? file;
  const formats = descriptors.flatMap((d) => (d.scanReportFile ? [d.scanReportFile] : []));
  for (const f of formats) {
    const report = f.read(json, name);
    if (report) return report;
  }
  throw new BadResponseError(`${file} is neither a Registry Explorer scan export nor ${formats.map((f) => `a ${f.name}`).join(' nor ') || 'a known report'}`);
}
