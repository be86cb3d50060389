/**
 * The vendored DTR 2.6 API document (test/fixtures/specs/dtr-api.json) with its defects mended — the one place
 * where the fake DTR and the contract test depart from the published text. Each change names the defect; the same
 * list is in test/fixtures/specs/SOURCES.md.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JsonSchema } from '../support/openapiValidator';
import { Swagger2Validator, type Swagger2Document } from '../support/swagger2';

export const dtrSpecPath = path.resolve(__dirname, '../fixtures/specs/dtr-api.json');

/** The document as published. */
export function loadDtrSpec(): Swagger2Document {
  return JSON.parse(fs.readFileSync(dtrSpecPath, 'utf8')) as Swagger2Document;
}

/** The mended document. */
export function mendDtrSpec(pristine: Swagger2Document): Swagger2Document {
  const doc = JSON.parse(JSON.stringify(pristine)) as Swagger2Document;
  const defs = doc.definitions as Record<string, JsonSchema & { properties: Record<string, JsonSchema>; required?: string[] }>;
  // 1. responses.Promotion requires a property literally named "string" (a generator slip); DTR does not send it.
  defs['responses.Promotion']!.required = defs['responses.Promotion']!.required!.filter((r) => r !== 'string');
  // 2. responses.Team has no name, yet team access is set and revoked by team name; DTR sends `name`.
  defs['responses.Team']!.properties.name = { type: 'string' };
  // 3. The mirroring forms require both `password` and `authToken`; DTR takes either (the fake checks one is set).
  for (const f of ['forms.CreateMirroring', 'forms.CreatePollMirroringPolicy', 'forms.CreatePushMirroringPolicy']) {
    defs[f]!.required = defs[f]!.required!.filter((r) => r !== 'password' && r !== 'authToken');
  }
  // 4. responses.ListTag has no scan counts; DTR lists may carry `vuln_summary` as responses.Tag does.
  defs['responses.ListTag']!.properties.vuln_summary = { $ref: '#/definitions/responses.OldScanSummary' };
  // 5. The scan summary export declares no success response; DTR answers 200 with the file: a CSV, or (Accept:
  //    application/json) the scan summaries as `GET …/scansummary/repositories/…` returns them.
  const exportOp = doc.paths['/api/v0/imagescan/scansummary/repositories/{namespace}/{reponame}/{tag}/export']!.get!;
  exportOp.responses ??= {};
  exportOp.responses['200'] = { description: 'The scan summary as a file.', schema: { type: 'array', items: { $ref: '#/definitions/responses.ScanSummary' } } };
  return doc;
}

let cached: Swagger2Validator | undefined;
/** A validator of the mended document (built once per process). */
export function dtrValidator(): Swagger2Validator {
  return (cached ??= new Swagger2Validator(mendDtrSpec(loadDtrSpec())));
}
