/**
 * A Docker Scout GraphQL fake (`POST /v1/graphql`). Every request is parsed and type-checked against the vendored
 * SDL (test/fixtures/specs/docker-scout-schema.graphql) with the variables it carries; a query the schema refuses is
 * answered as Scout's GraphQL server would: 400 with `errors`. Answers are projected through the query's selection
 * and the schema's types, so they hold exactly what was asked, non-null fields included. Entitlement failures are
 * Scout's: HTTP 402 / 403, or a GraphQL error with `extensions.status` 402 / 403.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { checkOperation } from './check';
import { GraphQLError, named, parseOperation, parseSchema, type Schema, type Selection, type TypeDef, type TypeRef } from './graphql';
import { closeServer, listen } from '../kit/listen';
import { RequestLog } from '../kit/log';

export interface ScoutImage {
  /** `imageSummariesByDigest` entry (SdImageSummary). */
  summary?: Record<string, unknown>;
  /** `imagePackagesByDigest` answer (IpImagePackagesByDigest). */
  packages?: Record<string, unknown>;
}

export interface ScoutRequestLogEntry {
  authorization?: string;
  operationName?: string;
  rootFields: string[];
  variables: Record<string, unknown>;
  status: number;
  errors?: string[];
}

export type ScoutEntitlementFault = 'http402' | 'http403' | 'graphql402' | 'graphql403';

export interface ScoutServer {
  url: string;
  /** The GraphQL endpoint the product is given. */
  endpoint: string;
  images: Map<string, ScoutImage>;
  requests: ScoutRequestLogEntry[];
  /** Set to answer every request as an account without the entitlement. */
  entitlement?: ScoutEntitlementFault;
  close(): Promise<void>;
}

let cached: Schema | undefined;
export function scoutSchema(): Schema {
  cached ??= parseSchema(fs.readFileSync(path.resolve(__dirname, '../../fixtures/specs/docker-scout-schema.graphql'), 'utf8'));
  return cached;
}

class DataError extends Error {}

/** Projects `value` of schema type `type` through `selection` (the answer carries only what was asked). */
function project(schema: Schema, value: unknown, type: TypeRef, selection: Selection[] | undefined, where: string): unknown {
  if (type.kind === 'nonNull') {
    if (value === null || value === undefined) throw new DataError(`fake data: ${where} is null but the schema says ${named(type)}!`);
    return project(schema, value, type.of, selection, where);
  }
  if (value === null || value === undefined) return null;
  if (type.kind === 'list') {
    if (!Array.isArray(value)) throw new DataError(`fake data: ${where} is not a list`);
    return value.map((v, i) => project(schema, v, type.of, selection, `${where}[${i}]`));
  }
  const def = schema.get(type.name)!;
  if (def.kind === 'scalar' || def.kind === 'enum') {
    if (def.kind === 'enum' && (typeof value !== 'string' || !def.values.has(value))) throw new DataError(`fake data: ${where} = ${JSON.stringify(value)} is not a ${def.name}`);
    return value;
  }
  return projectObject(schema, value as Record<string, unknown>, def, selection ?? [], where);
}

function projectObject(schema: Schema, obj: Record<string, unknown>, def: TypeDef, selection: Selection[], where: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of selection) {
    if (s.kind === 'inline') {
      if (!s.on || s.on === def.name) Object.assign(out, projectObject(schema, obj, def, s.selection, where));
      continue;
    }
    const f = s.field;
    if (f.name === '__typename') out[f.alias] = def.name;
    else out[f.alias] = project(schema, obj[f.name], def.fields.get(f.name)!.type, f.selection, `${where}.${f.name}`);
  }
  return out;
}

export async function startScoutServer(opts: { acceptToken?: (token: string) => boolean } = {}): Promise<ScoutServer> {
  const schema = scoutSchema();
  const log = new RequestLog<ScoutRequestLogEntry>();
  const images = new Map<string, ScoutImage>();
  const fake: ScoutServer = { url: '', endpoint: '', images, requests: log.entries, close: () => closeServer(server) };

  const resolve = (field: string, args: Record<string, unknown>): unknown => {
    if (field === 'imageSummariesByDigest') return (args.digests as string[]).map((d) => images.get(d)?.summary).filter(Boolean);
    if (field === 'imagePackagesByDigest') return images.get(args.digest as string)?.packages ?? null;
    throw new GraphQLError(`the fake does not answer ${field}`);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry = log.push({ authorization: req.headers.authorization, rootFields: [], variables: {}, status: 0 });
      const send = (status: number, body: unknown) => {
        entry.status = status;
        res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || req.url !== '/v1/graphql') return send(404, { message: 'not found' });
      if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return send(415, { errors: [{ message: 'Content-Type must be application/json' }] });
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!token || (opts.acceptToken && !opts.acceptToken(token))) return send(401, { errors: [{ message: 'unauthorized', extensions: { status: 401 } }] });
      let body: { query?: unknown; variables?: unknown; operationName?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
      } catch {
        return send(400, { errors: [{ message: 'body is not JSON' }] });
      }
      const variables = (body.variables ?? {}) as Record<string, unknown>;
      entry.variables = variables;
      if (typeof body.operationName === 'string') entry.operationName = body.operationName;
      if (typeof body.query !== 'string') return send(400, { errors: [{ message: 'query must be a string' }] });
      let op;
      try {
        op = parseOperation(body.query);
      } catch (e) {
        entry.errors = [(e as Error).message];
        return send(400, { errors: [{ message: `Syntax Error: ${(e as Error).message}` }] });
      }
      const problems = checkOperation(schema, op, variables);
      entry.rootFields = op.selection.flatMap((s) => (s.kind === 'field' ? [s.field.name] : []));
      if (problems.length) {
        entry.errors = problems;
        return send(400, { errors: problems.map((message) => ({ message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })) });
      }
      if (fake.entitlement === 'http402' || fake.entitlement === 'http403') return send(fake.entitlement === 'http402' ? 402 : 403, { errors: [{ message: 'entitlement required' }] });
      if (fake.entitlement) {
        const status = fake.entitlement === 'graphql402' ? 402 : 403;
        return send(200, { data: null, errors: [{ message: 'Forbidden', extensions: { code: 'FORBIDDEN', status } }] });
      }
      const data: Record<string, unknown> = {};
      try {
        for (const s of op.selection) {
          if (s.kind !== 'field') continue;
          const argValues = Object.fromEntries([...s.field.args].map(([k, v]) => [k, v.kind === 'var' ? variables[v.name] : v.kind === 'list' ? v.items : v.kind === 'object' ? v.fields : 'value' in v ? v.value : undefined]));
          const def = schema.get('Query')!.fields.get(s.field.name)!;
          data[s.field.alias] = project(schema, resolve(s.field.name, argValues), def.type, s.field.selection, s.field.name);
        }
      } catch (e) {
        entry.errors = [(e as Error).message];
        return send(e instanceof DataError ? 500 : 200, { data: null, errors: [{ message: (e as Error).message }] });
      }
      send(200, { data });
    });
  });
  fake.url = await listen(server);
  fake.endpoint = `${fake.url}/v1/graphql`;
  return fake;
}
