import * as z from 'zod';
import { descriptors } from '../src/registry/kinds';
import { registryEntrySchema } from '../src/config/schema';

/**
 * The parts of package.json and package.nls.json that are derived from the registry kinds (src/registry/kinds.ts)
 * and the settings schema (src/config/schema.ts): the `kind` enum of `registryExplorer.registries` and its descriptions, the
 * help of every entry field, and the extension's description. `node scripts/syncManifest.mjs` writes them;
 * test/unit/config.test.ts fails while they differ. Nothing here is loaded by the extension.
 */
export interface Manifest {
  contributes: { configuration: { properties: Record<string, { items: ManifestSchema }> } };
  [key: string]: unknown;
}
export interface ManifestSchema {
  enum?: string[];
  enumDescriptions?: string[];
  description?: string;
  properties?: Record<string, ManifestSchema>;
  [key: string]: unknown;
}
export type Nls = Record<string, string>;

const ENTRY = 'registryExplorer.registries';
const enumKey = (i: number) => `config.registries.kind.enum.${i}`;

/** The extension's one-line description: what it does, for the kinds it implements. */
export function extensionDescription(): string {
  return `Browse and manage container registries (${descriptors.filter((d) => d.implemented).map((d) => d.label).join(', ')}) from the sidebar.`;
}

/** package.json and package.nls.json as they must be (copies; the inputs are not changed). */
export function syncManifest(manifest: Manifest, nls: Nls): { manifest: Manifest; nls: Nls } {
  const m = structuredClone(manifest);
  const derived = z.toJSONSchema(registryEntrySchema, { io: 'input', unrepresentable: 'any' }) as ManifestSchema;
  const fields = m.contributes.configuration.properties[ENTRY]!.items.properties!;
  const texts: Nls = {};
  for (const [name, d] of Object.entries(derived.properties ?? {})) {
    const key = /^%(.+)%$/.exec(fields[name]?.description ?? '')?.[1];
    if (key && d.description) texts[key] = d.description;
  }
  const kinds = derived.properties!.kind!;
  fields.kind = { ...fields.kind, enum: kinds.enum, enumDescriptions: kinds.enum!.map((_, i) => `%${enumKey(i)}%`) };
  kinds.enumDescriptions!.forEach((text, i) => (texts[enumKey(i)] = text));
  texts.description = extensionDescription();
  // Existing keys keep their place; the kind descriptions follow the kind's help, in enum order.
  const out: Nls = {};
  for (const [k, v] of Object.entries(nls)) {
    if (/^config\.registries\.kind\.enum\.\d+$/.test(k)) continue;
    out[k] = texts[k] ?? v;
    if (k === 'config.registries.kind.description') kinds.enum!.forEach((_, i) => (out[enumKey(i)] = texts[enumKey(i)]!));
  }
  for (const [k, v] of Object.entries(texts)) if (!(k in out)) out[k] = v;
  return { manifest: m, nls: out };
}
