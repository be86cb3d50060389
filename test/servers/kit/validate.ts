/**
 * The vendored specs the fakes validate requests and responses against (test/fixtures/specs only), loaded once.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ValidationIssue } from '../../support/openapiValidator';

// __filename, not __dirname: under tsx's ESM loader (the e2e runner and the demo) __dirname is not this folder.
export const SPECS_DIR = path.join(path.dirname(__filename), '..', '..', 'fixtures', 'specs');

/** Parses a JSON document of test/fixtures/specs. */
export function readSpec<T>(file: string): T {
  return JSON.parse(fs.readFileSync(path.join(SPECS_DIR, file), 'utf8')) as T;
}

/** A value built on first use and kept (validators compile their documents once per process). */
export function once<T>(make: () => T): () => T {
  let v: T | undefined;
  return () => (v ??= make());
}

/** Issues grouped by the top-level field they are about (`query.page` → `page`, `$.name` → `name`, else `body`). */
export function issueFields(issues: readonly ValidationIssue[]): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const i of issues) {
    const key = i.at.replace(/^query\./, '').replace(/^\$\.?/, '').split(/[.[]/)[0] || 'body';
    (fields[key] ??= []).push(i.message);
  }
  return fields;
}
