import * as z from 'zod';
import type { RegistryConnection } from '../registry/context';
import { descriptors } from '../registry/kinds';

/** The `kind` values of registry entries: one per provider descriptor (src/registry/kinds.ts). */
export const registryKinds = descriptors.map((d) => d.kind) as [string, ...string[]];
export type RegistryKind = string;


const httpUrl = z
  .string()
  .trim()
  .min(1, 'is empty')
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL such as https://registry.example.com')
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.username === '' && u.password === '';
    } catch {
      return true;
    }
  }, 'must not contain credentials (use Sign In)')
  // A query or fragment (even an empty `?` or `#`) would change the path every request is sent to.
  .refine((s) => !s.includes('?') && !s.includes('#'), 'must not contain a query (?) or fragment (#)')
  .transform((s) => s.replace(/\/+$/, ''));

/** One entry of `registryExplorer.registries`. Unknown keys are tolerated so newer settings don't break older builds. */
export const registryEntrySchema = z.object({
  name: z.string().trim().min(1, 'is empty').max(100, 'is longer than 100 characters'),
  kind: z.enum(registryKinds, { error: `must be one of ${registryKinds.join(', ')}` }),
  url: httpUrl,
  username: z.string().min(1, 'is empty').optional(),
  namespaces: z.array(z.string().min(1, 'contains an empty name')).optional(),
  caFile: z.string().min(1, 'is empty').optional(),
  insecureSkipTlsVerify: z.boolean().optional(),
  registryUrl: httpUrl.optional(),
});
export type RegistryEntry = z.infer<typeof registryEntrySchema>;

export interface ConfigProblem {
  index: number;
  /** Best-effort name of the entry, for display. */
  label: string;
  /** Dotted path of the first bad field, e.g. `url` or `namespaces.1`. */
  field: string;
  message: string;
}

export interface ParsedRegistries {
  entries: RegistryEntry[];
  problems: ConfigProblem[];
}

function labelOf(raw: unknown, index: number): string {
  if (raw && typeof raw === 'object' && 'name' in raw && typeof (raw as { name: unknown }).name === 'string') {
    const n = (raw as { name: string }).name.trim();
    if (n) return n;
  }
  return `registry #${index + 1}`;
}

/** Validates the setting value entry by entry: a bad entry becomes a problem, the others stay usable. */
export function parseRegistries(value: unknown): ParsedRegistries {
  const entries: RegistryEntry[] = [];
  const problems: ConfigProblem[] = [];
  if (value === undefined || value === null) return { entries, problems };
  if (!Array.isArray(value)) {
    problems.push({ index: -1, label: 'registryExplorer.registries', field: '', message: 'must be an array of registry entries' });
    return { entries, problems };
  }
  const seen = new Set<string>();
  value.forEach((raw, index) => {
    const label = labelOf(raw, index);
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      problems.push({ index, label, field: '', message: 'must be an object with name, kind and url' });
      return;
    }
    const r = registryEntrySchema.safeParse(raw);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      const field = issue.path.map(String).join('.');
      const message = issue.code === 'invalid_type' && (raw as Record<string, unknown>)[field] === undefined ? 'is required' : issue.message;
      problems.push({ index, label, field, message });
      return;
    }
    const key = r.data.name.toLowerCase();
    if (seen.has(key)) {
      problems.push({ index, label, field: 'name', message: `duplicates another entry named "${r.data.name}"` });
      return;
    }
    seen.add(key);
    entries.push(r.data);
  });
  return { entries, problems };
}

export function describeProblem(p: ConfigProblem): string {
  return p.field ? `"${p.field}" ${p.message}` : p.message;
}

export function toConnection(e: RegistryEntry): RegistryConnection {
  return {
    id: e.name,
    kind: e.kind,
    url: e.url,
    ...(e.registryUrl ? { registryUrl: e.registryUrl } : {}),
    username: e.username,
    namespaces: e.namespaces,
    caFile: e.caFile,
    insecureSkipTlsVerify: e.insecureSkipTlsVerify,
  };
}
