import * as z from 'zod';
import type { RegistryConnection } from '../registry/context';
import { PLAIN_HTTP_WARNING, urlField } from '../registry/formFields';
import type { ProviderDescriptor } from '../registry/descriptor';
import { descriptors } from '../registry/kinds';
import { isRepositoryName } from '../registry/names';

/** The `kind` values of registry entries: one per provider descriptor (src/registry/kinds.ts). */
export const registryKinds = descriptors.map((d) => d.kind) as [string, ...string[]];
export type RegistryKind = string;

/** One kind's line in the setting's help (enumDescriptions): its label and what it covers, from its descriptor. */
export function kindSummary(d: ProviderDescriptor): string {
  return `${d.label} — ${d.detail}`;
}

/** The help of `registryUrl`, from the descriptors of the kinds that read it. */
function registryUrlHelp(): string {
  const kinds = descriptors.filter((d) => d.registryUrl).map((d) => (d.registryUrl?.note ? `${d.shortLabel ?? d.label} (${d.registryUrl.note})` : (d.shortLabel ?? d.label)));
  return `The registry (Distribution API, /v2) when it is not at the URL above; read by ${kinds.join(', ').replace(/, ([^,]*)$/, ' and $1')}.`;
}


/** A registry URL: http(s) (local registries are often plain http), no credentials, query or fragment; no trailing slash. */
const registryUrlField = urlField({ allowHttp: true })
  // A query or fragment (even an empty `?` or `#`) would change the path every request is sent to.
  .refine((s) => !s.includes('?') && !s.includes('#'), 'must not contain a query (?) or fragment (#)')
  .transform((s) => s.replace(/\/+$/, ''));

/**
 * One entry of `registryExplorer.registries`: the one declaration of the setting. The Edit Registry form is derived
 * from it (titles, help, kinds), settings are validated with it, and a unit test holds package.json's JSON schema of
 * the setting to it. Unknown keys are tolerated (and kept on save) so newer settings don't break older builds.
 */
export const registryEntrySchema = z.object({
  name: z.string().trim().min(1, 'is empty').max(100, 'is longer than 100 characters').meta({ title: 'Name', description: 'Unique display name; also the key of the stored secret.' }),
  kind: z.enum(registryKinds, { error: `must be one of ${registryKinds.join(', ')}` }).meta({
    title: 'Kind',
    description: 'The API the server speaks; each kind lists the servers it covers.',
    labels: Object.fromEntries(descriptors.map((d) => [d.kind, d.label])),
    enumDescriptions: descriptors.map(kindSummary),
  }),
  url: registryUrlField.meta({ title: 'URL', description: `Base URL of the registry API, e.g. https://registry.example.com:5000. ${PLAIN_HTTP_WARNING}`, placeholder: 'https://registry.example.com:5000' }),
  username: z.string().min(1, 'is empty').optional().meta({ title: 'User name', description: 'For Basic authentication and token requests. Leave empty for anonymous access or token-only registries.' }),
  namespaces: z.array(z.string().min(1, 'contains an empty name')).optional().meta({ title: 'Namespaces', description: 'Namespaces to show for kinds that have them (e.g. library, bitnami); one per line.', multiline: true }),
  repositories: z
    .array(z.string().refine((n) => isRepositoryName(n), 'contains a name that is not a repository name (lower case, e.g. team/app)'))
    .optional()
    .meta({ title: 'Repositories', description: 'Repositories to show for registries that do not list them (their /v2/_catalog is refused), or in addition to their list; one per line, e.g. team/app.', multiline: true }),
  caFile: z.string().min(1, 'is empty').optional().meta({ title: 'CA file', description: 'PEM file with additional CA certificates trusted for this registry.', placeholder: '/etc/ssl/certs/my-ca.pem' }),
  insecureSkipTlsVerify: z.boolean().optional().meta({ title: 'Skip TLS verification', description: 'Accept any TLS certificate from this registry. Only for test setups.' }),
  registryUrl: registryUrlField.optional().meta({
    title: 'Registry URL',
    description: registryUrlHelp(),
    placeholder: 'https://registry-1.docker.io',
  }),
});
/** The fields of a registry entry, in declaration order. */
export const registryEntryFields = Object.keys(registryEntrySchema.shape) as Array<keyof typeof registryEntrySchema.shape>;
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
    ...(e.repositories?.length ? { repositories: e.repositories } : {}),
    caFile: e.caFile,
    insecureSkipTlsVerify: e.insecureSkipTlsVerify,
  };
}

/**
 * The stored (raw) settings entry after saving `entry` over it: the `edited` fields (default: every field of the
 * schema) are set from `entry`, or removed when it has none; every other field of the stored entry, including fields
 * this version does not know (written by a newer one), stays as it was.
 */
export function mergeEntry(raw: unknown, entry: RegistryEntry, edited: readonly string[] = registryEntryFields): Record<string, unknown> {
  const out: Record<string, unknown> = raw && typeof raw === 'object' && !Array.isArray(raw) ? { ...(raw as Record<string, unknown>) } : {};
  const values = entry as Record<string, unknown>;
  for (const k of new Set(['name', 'kind', 'url', ...edited])) {
    if (values[k] === undefined) delete out[k];
    else out[k] = values[k];
  }
  return out;
}
