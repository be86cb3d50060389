import * as z from 'zod';
import { registryKinds } from '../config/schema';
import { makeHubForms } from './hubForms';

/**
 * Schema-driven forms, shared by the extension and the webview: the webview renders fields from the schema and
 * validates with it before sending; the extension validates again before saving.
 */

export interface FieldMeta {
  title: string;
  description?: string;
  placeholder?: string;
  /** Render a string as a multi-line text area. */
  multiline?: boolean;
  /** Treat as a secret: password input, never echoed back. */
  secret?: boolean;
}

export type FieldKind = 'string' | 'number' | 'boolean' | 'enum' | 'stringList';

export interface FieldSpec extends FieldMeta {
  name: string;
  kind: FieldKind;
  required: boolean;
  options?: string[];
  defaultValue?: unknown;
}

const metaRegistry = new WeakMap<z.ZodType, FieldMeta>();

/** Attaches form metadata (title, description…) to a field schema. */
export function field<T extends z.ZodType>(schema: T, meta: FieldMeta): T {
  metaRegistry.set(schema, meta);
  return schema;
}

interface Unwrapped {
  inner: z.ZodType;
  required: boolean;
  defaultValue?: unknown;
  meta?: FieldMeta;
}

function unwrap(s: z.ZodType): Unwrapped {
  let cur: z.ZodType = s;
  let required = true;
  let defaultValue: unknown;
  let meta = metaRegistry.get(s);
  for (let i = 0; i < 10; i++) {
    const def = (cur as unknown as { _zod: { def: { type: string; innerType?: z.ZodType; defaultValue?: unknown; in?: z.ZodType } } })._zod.def;
    if (def.type === 'optional' || def.type === 'nullable') {
      required = false;
      cur = def.innerType!;
    } else if (def.type === 'default' || def.type === 'prefault') {
      required = false;
      defaultValue = typeof def.defaultValue === 'function' ? (def.defaultValue as () => unknown)() : def.defaultValue;
      cur = def.innerType!;
    } else if (def.type === 'pipe') {
      cur = def.in!;
    } else break;
    meta ??= metaRegistry.get(cur);
  }
  return { inner: cur, required, defaultValue, meta };
}

/** Field list of an object schema, in declaration order. */
export function describeForm(schema: z.ZodObject): FieldSpec[] {
  return Object.entries(schema.shape).map(([name, s]) => {
    const u = unwrap(s as z.ZodType);
    const def = (u.inner as unknown as { _zod: { def: { type: string; entries?: Record<string, string>; element?: z.ZodType } } })._zod.def;
    let kind: FieldKind;
    let options: string[] | undefined;
    switch (def.type) {
      case 'boolean':
        kind = 'boolean';
        break;
      case 'number':
        kind = 'number';
        break;
      case 'enum':
        kind = 'enum';
        options = Object.values(def.entries ?? {});
        break;
      case 'array':
        kind = 'stringList';
        break;
      default:
        kind = 'string';
    }
    return { name, kind, required: u.required, options, defaultValue: u.defaultValue, ...(u.meta ?? { title: name }) };
  });
}

/** Converts raw input (strings from text fields) into the shapes the schema expects; empty optional fields vanish. */
export function coerceFormValues(fields: FieldSpec[], raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = raw[f.name];
    if (f.kind === 'boolean') {
      out[f.name] = v === true || v === 'true';
      continue;
    }
    if (f.kind === 'stringList') {
      // One item per line: commas are data in some lists (an immutable-tag rule such as `v\d{1,3}`).
      const list = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(/\r?\n/) : [];
      const clean = list.map((s) => s.trim()).filter(Boolean);
      if (clean.length || f.required) out[f.name] = clean;
      continue;
    }
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
      if (f.required) out[f.name] = '';
      continue;
    }
    if (f.kind === 'number') {
      const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim()) : NaN;
      out[f.name] = Number.isNaN(n) ? v : n;
      continue;
    }
    out[f.name] = typeof v === 'string' ? v.trim() : v;
  }
  return out;
}

/** Field errors from a failed parse, one message per field (the first). */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : '_form';
    out[key] ??= issue.message;
  }
  return out;
}

const httpUrl = z
  .string()
  .min(1, 'Enter the registry URL')
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'Enter an http(s) URL without credentials, e.g. https://registry.example.com');

/** Registry settings (everything but the secret), edited in the form panel. */
export const registryForm = z.object({
  name: field(z.string().trim().min(1, 'Enter a name').max(100, 'At most 100 characters'), { title: 'Name', description: 'Unique display name; also keys the stored secret.' }),
  kind: field(z.enum(registryKinds), { title: 'Kind', description: 'oci covers distribution, Harbor, GHCR, GitLab, Zot and other Registry V2 servers.' }),
  url: field(httpUrl, { title: 'URL', description: 'Base URL of the registry API.', placeholder: 'https://registry.example.com:5000' }),
  username: field(z.string().max(256).optional(), { title: 'User name', description: 'For Basic authentication and token requests. Leave empty for anonymous access.' }),
  namespaces: field(z.array(z.string().min(1)).optional(), { title: 'Namespaces', description: 'One per line; for kinds that group repositories in namespaces.', multiline: true }),
  caFile: field(z.string().optional(), { title: 'CA file', description: 'PEM file with extra CA certificates trusted for this registry.', placeholder: '/etc/ssl/certs/my-ca.pem' }),
  insecureSkipTlsVerify: field(z.boolean().default(false), { title: 'Skip TLS verification', description: 'Accept any certificate. Only for test setups.' }),
  testConnection: field(z.boolean().default(true), { title: 'Test the connection before saving', description: 'Saving fails, keeping your input, when the registry cannot be reached.' }),
});

export const forms = { registry: registryForm, ...makeHubForms(field) } as const;
export type FormId = keyof typeof forms;

export function isFormId(id: string): id is FormId {
  return Object.prototype.hasOwnProperty.call(forms, id);
}
