/**
 * The GitHub REST operations the fake GitHub serves, read from the vendored Markdown documents of
 * test/fixtures/specs/github-packages (GitHub's own docs, generated from its REST description, and the hand-written
 * ones for DELETE / restore / `/user` / `/user/orgs`): each document's method and path, its path and query
 * parameters (type, required) and the OAuth scopes its description names. Requests are checked against them; the
 * objects the fake answers with are checked by the zod schemas below (GitHub's `package`, `package-version`,
 * `simple-user`, `organization-simple`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import { SPECS_DIR, once } from '../kit/validate';

export interface SpecParam {
  name: string;
  type: 'string' | 'integer';
  required: boolean;
  description: string;
}

export interface SpecOperation {
  file: string;
  title: string;
  method: string;
  /** `/orgs/{org}/packages/{package_type}/{package_name}`. */
  template: string;
  pathParams: SpecParam[];
  queryParams: SpecParam[];
  /** Scopes the description says classic tokens need (`read:packages`, `delete:packages`…). */
  scopes: string[];
}

const PARAM = /^- `([a-z_]+)` \((string|integer)(, required)?\): ?(.*)$/;

function parse(file: string, text: string): SpecOperation {
  const title = /^# (.+)$/m.exec(text)?.[1] ?? file;
  const op = /^`(GET|POST|DELETE|PUT|PATCH) (\/[^`]*)`$/m.exec(text);
  if (!op) throw new Error(`${file}: no operation line`);
  const pathParams: SpecParam[] = [];
  const queryParams: SpecParam[] = [];
  let into: SpecParam[] | undefined;
  for (const line of text.split('\n')) {
    if (/^### Path Parameters/.test(line)) into = pathParams;
    else if (/^### Query Parameters/.test(line)) into = queryParams;
    else if (/^## /.test(line)) into = undefined;
    const m = into && PARAM.exec(line);
    if (m) into!.push({ name: m[1]!, type: m[2] as SpecParam['type'], required: !!m[3], description: m[4]! });
  }
  const need = /need the ((?:`[^`]+`(?:,? and |, )?)+) scopes? (?:to use|in order)/.exec(text)?.[1] ?? '';
  const scopes = [...need.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
  return { file, title, method: op[1]!, template: op[2]!, pathParams, queryParams, scopes };
}

/** Every operation of the vendored documents. */
export const operations = once((): SpecOperation[] => {
  const dir = path.join(SPECS_DIR, 'github-packages');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => parse(f, fs.readFileSync(path.join(dir, f), 'utf8')));
});

/** The package types the documents name for `package_type`. */
export const PACKAGE_TYPES = ['npm', 'maven', 'rubygems', 'docker', 'nuget', 'container'];

/** What is wrong with a request's query for `op` (unknown, missing, mistyped parameters; `per_page` over 100). */
export function queryIssues(op: SpecOperation, q: URLSearchParams): string[] {
  const out: string[] = [];
  const known = new Map(op.queryParams.map((p) => [p.name, p]));
  for (const key of new Set(q.keys())) {
    const p = known.get(key);
    if (!p) out.push(`query parameter "${key}" is not a parameter of ${op.method} ${op.template}`);
    else if (q.getAll(key).length > 1) out.push(`query parameter "${key}" is repeated`);
    else out.push(...valueIssues(p, q.get(key)!, 'query'));
  }
  for (const p of op.queryParams) if (p.required && !q.has(p.name)) out.push(`query parameter "${p.name}" is required`);
  return out;
}

/** What is wrong with one parameter's value: an integer that is not one, `per_page` over its max, an unknown type. */
export function valueIssues(p: SpecParam, v: string, where: string): string[] {
  if (p.type === 'integer' && !/^\d{1,15}$/.test(v)) return [`${where} parameter "${p.name}" must be an integer, got "${v.slice(0, 40)}"`];
  const max = /\(max (\d+)\)/.exec(p.description)?.[1];
  if (max && Number(v) > Number(max)) return [`${where} parameter "${p.name}" is at most ${max}, got ${v}`];
  if (p.name === 'page' && Number(v) < 1) return [`query parameter "page" starts at 1`];
  if (p.name === 'package_type' && !PACKAGE_TYPES.includes(v)) return [`${where} parameter "package_type" must be one of ${PACKAGE_TYPES.join(', ')}`];
  if (p.name === 'state' && !['active', 'deleted'].includes(v)) return [`query parameter "state" is active or deleted`];
  if (p.name === 'visibility' && !['public', 'private', 'internal'].includes(v)) return [`query parameter "visibility" is public, private or internal`];
  return [];
}

const iso = z.iso.datetime();
const simpleUser = z.object({ login: z.string().min(1), id: z.number().int(), node_id: z.string(), type: z.enum(['User', 'Organization']), url: z.string(), html_url: z.string(), site_admin: z.boolean() });
const minimalRepository = z.object({ id: z.number().int(), name: z.string(), full_name: z.string(), private: z.boolean(), html_url: z.string(), owner: simpleUser });

/** GitHub's `package` object. */
export const packageObject = z.object({
  id: z.number().int(),
  name: z.string().min(1),
  package_type: z.enum(['npm', 'maven', 'rubygems', 'docker', 'nuget', 'container']),
  url: z.string(),
  html_url: z.string(),
  version_count: z.number().int().nonnegative(),
  visibility: z.enum(['private', 'public']),
  owner: simpleUser.nullable().optional(),
  repository: minimalRepository.nullable().optional(),
  created_at: iso,
  updated_at: iso,
});

/** GitHub's `package-version` object (container metadata). */
export const versionObject = z.object({
  id: z.number().int(),
  name: z.string().min(1),
  url: z.string(),
  package_html_url: z.string(),
  html_url: z.string().optional(),
  license: z.string().optional(),
  description: z.string().optional(),
  created_at: iso,
  updated_at: iso,
  deleted_at: iso.optional(),
  metadata: z.object({ package_type: z.enum(['npm', 'maven', 'rubygems', 'docker', 'nuget', 'container']), container: z.object({ tags: z.array(z.string()) }).optional() }).optional(),
});

export const userObject = simpleUser;
export const organizationObject = z.object({ login: z.string().min(1), id: z.number().int(), node_id: z.string(), url: z.string(), description: z.string().nullable() });
export const errorObject = z.object({ message: z.string(), documentation_url: z.string(), status: z.string().optional() });
