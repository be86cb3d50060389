import { arrayOf, badReport, isObject, isoTime, normalizeSeverity, score, severityOfScore, str, type ReportMeta, type ReportRow } from './common';
import type { Severity } from '../scan';

/** Whether a JSON document is a SARIF log (version 2.1.0, `runs`). */
export function isSarif(doc: unknown): boolean {
  return isObject(doc) && Array.isArray(doc.runs) && (doc.version === '2.1.0' || (typeof doc.$schema === 'string' && /sarif/i.test(doc.$schema)));
}

const LEVELS: Record<string, Severity> = { error: 'high', warning: 'medium', note: 'low', none: 'negligible' };

/** `Label: value` lines of a message (Trivy writes "Package: x\nInstalled Version: y\nSeverity: HIGH"). */
function labelled(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of (text ?? '').split('\n').slice(0, 40)) {
    const m = /^\s*([A-Za-z][A-Za-z ]{1,30}):\s*(.+?)\s*$/.exec(line);
    if (m) out[m[1]!.toLowerCase()] = m[2]!.slice(0, 300);
  }
  return out;
}

function severityOf(rule: Record<string, unknown> | undefined, fields: Record<string, string>, level: string | undefined): { severity: Severity; cvss?: number } {
  const props = isObject(rule?.properties) ? rule.properties : {};
  const cvss = score(props['security-severity']);
  const named = fields.severity ?? arrayOf(props.tags).map((t) => str(t, 20)).find((t) => t && normalizeSeverity(t) !== 'unknown');
  if (named && normalizeSeverity(named) !== 'unknown') return { severity: normalizeSeverity(named), ...(cvss !== undefined ? { cvss } : {}) };
  if (cvss !== undefined) return { severity: severityOfScore(cvss), cvss };
  const lvl = level ?? (isObject(rule?.defaultConfiguration) ? str(rule.defaultConfiguration.level, 20) : undefined);
  return { severity: (lvl && LEVELS[lvl]) || 'unknown' };
}

/** Rows of a SARIF log: every result of every run, with its rule's text and severity. */
export function sarifRows(doc: unknown): { rows: ReportRow[]; meta: ReportMeta } {
  if (!isSarif(doc) || !isObject(doc)) throw badReport('sarif', 'it has no SARIF version and runs');
  const rows: ReportRow[] = [];
  let scanner: string | undefined;
  let producedAt: string | undefined;
  for (const [ri, run] of arrayOf(doc.runs).entries()) {
    if (!isObject(run)) throw badReport('sarif', `runs[${ri}] is not an object`);
    const driver = isObject(run.tool) && isObject(run.tool.driver) ? run.tool.driver : undefined;
    if (!driver) throw badReport('sarif', `runs[${ri}] names no tool.driver`);
    const name = str(driver.name, 80);
    const version = str(driver.version, 40) ?? str(driver.semanticVersion, 40);
    scanner ??= name ? [name, version].filter(Boolean).join(' ') : undefined;
    producedAt ??= isoTime(isObject(arrayOf(run.invocations)[0]) ? (arrayOf(run.invocations)[0] as Record<string, unknown>).endTimeUtc : undefined);
    const rules = arrayOf(driver.rules).filter(isObject);
    const byId = new Map(rules.map((r) => [String(r.id), r] as const));
    for (const [i, res] of arrayOf(run.results).entries()) {
      if (!isObject(res)) throw badReport('sarif', `runs[${ri}].results[${i}] is not an object`);
      const index = typeof res.ruleIndex === 'number' ? res.ruleIndex : -1;
      const ruleId = str(res.ruleId, 200);
      const rule = (index >= 0 ? rules[index] : undefined) ?? (ruleId ? byId.get(ruleId) : undefined);
      const id = ruleId ?? str(rule?.id, 200);
      if (!id) throw badReport('sarif', `runs[${ri}].results[${i}] names no rule`);
      const message = isObject(res.message) ? str(res.message.text) : undefined;
      const fields = labelled(message);
      // Grype: "… reports busybox at version 1.31.1-r21 which is a vulnerable (apk) package …".
      const grype = /reports (\S+) at version (\S+)/.exec(message ?? '');
      const { severity, cvss } = severityOf(rule, fields, str(res.level, 20));
      const short = isObject(rule?.shortDescription) ? str(rule.shortDescription.text, 500) : undefined;
      const full = isObject(rule?.fullDescription) ? str(rule.fullDescription.text) : undefined;
      rows.push({
        id,
        severity,
        packageName: fields.package ?? grype?.[1] ?? 'unknown package',
        installedVersion: fields['installed version'] ?? grype?.[2],
        fixedVersion: fields['fixed version'],
        description: short && full && short !== full ? `${short}: ${full}` : (full ?? short ?? message),
        links: [rule?.helpUri],
        ...(cvss !== undefined ? { cvss } : {}),
      });
    }
  }
  return { rows, meta: { format: 'sarif', ...(scanner ? { scanner } : {}), ...(producedAt ? { producedAt } : {}) } };
}
