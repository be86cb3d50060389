import { hasKey, offered } from '../admin/operation';
import { coreType, type AdminModel, type CoreLevel, type CoreType, type ListResource, type ResourceRef, type Scope, type SingletonResource } from '../registry/admin';
import type { AdminNode, ContainerNode } from './nodes';

/**
 * How the admin model of a provider maps onto the tree, as plain functions: which resource types sit under a node,
 * the scope their lists get, and the generic contextValue traits (`creatable`, `editable`, `removable`,
 * `actionable`) that drive the Create…, Edit…, Delete… and Run Action… menus.
 */

export type Level = CoreLevel | { type: string };

/** A resource type the tree shows nodes for (core types only add operations to the provider's own nodes). */
export type PlacedType = ListResource | SingletonResource;

function sameLevel(a: Level, b: Level): boolean {
  return typeof a === 'string' || typeof b === 'string' ? a === b : a.type === b.type;
}

/** Resource types placed directly under `level` (any group). */
export function placedTypes(model: AdminModel | undefined, level: Level): PlacedType[] {
  return (model?.types ?? []).filter((t): t is PlacedType => t.shape !== 'core' && sameLevel(t.placement.under, level));
}

/** The level a container stands for, when admin nodes can be placed under it. */
export function levelOf(node: ContainerNode): Level | undefined {
  switch (node.type) {
    case 'registry':
    case 'namespace':
    case 'repository':
    case 'tag':
      return node.type;
    case 'admin':
      return node.role === 'item' ? { type: node.name } : undefined;
  }
}

/** The scope of what is placed under a container. */
export function scopeUnder(node: ContainerNode): Scope {
  switch (node.type) {
    case 'registry':
      return {};
    case 'namespace':
    case 'repository':
    case 'tag':
      return { ...node.ref.scope };
    case 'admin':
      // A singleton has no key: what is placed under it shares its scope.
      if (node.role === 'item' && node.ref) return hasKey(node.ref) ? { ...withoutParent(node.ref.scope), parent: node.ref } : { ...node.ref.scope };
      return node.scope;
  }
}

function withoutParent(s: Scope): Scope {
  const rest = { ...s };
  delete rest.parent;
  return rest;
}

/** Traits of a core node (namespace, repository, tag) from the model's core type. */
export function coreTraits(model: AdminModel | undefined, level: CoreType, ref: ResourceRef): string[] {
  const t = coreType(model, level);
  if (!t) return [];
  const out: string[] = [];
  if (t.create) out.push('creatable');
  if (t.update) out.push('editable');
  if (t.remove) out.push('removable');
  if (t.actions?.some((a) => offered(a, ref))) out.push('actionable');
  return out;
}

/** Traits of an item of a resource type. */
export function itemTraits(t: PlacedType, item: unknown): string[] {
  const out: string[] = [];
  if (t.update) out.push('editable');
  if (t.remove) out.push('removable');
  if (t.actions?.some((a) => offered(a, item))) out.push('actionable');
  return out;
}

/** Whether anything is placed under the items of a resource type. */
export function itemsExpand(model: AdminModel | undefined, type: string): boolean {
  return placedTypes(model, { type }).length > 0;
}

/** Resolves what an admin node's operations act on: its resource type. */
export function typeOf(model: AdminModel | undefined, node: AdminNode): PlacedType | undefined {
  if (node.role === 'group') return undefined;
  return model?.types.find((t): t is PlacedType => t.shape !== 'core' && t.type === node.name);
}
