import type { AdminModel, CoreLevel, CoreNodeOps, ResourceRef, ResourceType, Scope } from '../registry/admin';
import type { AdminNode, ContainerNode } from './nodes';

/**
 * How the admin model of a provider maps onto the tree, as plain functions: which resource types sit under a node,
 * the scope their lists get, and the generic contextValue traits (`creatable`, `editable`, `removable`,
 * `actionable`) that drive the Create…, Edit…, Delete… and Run Action… menus.
 */

export type Level = CoreLevel | { type: string };

function sameLevel(a: Level, b: Level): boolean {
  return typeof a === 'string' || typeof b === 'string' ? a === b : a.type === b.type;
}

/** Resource types placed directly under `level` (any group). */
export function placedTypes(model: AdminModel | undefined, level: Level): ResourceType<unknown>[] {
  return (model?.types ?? []).filter((t) => sameLevel(t.placement.under, level)) as ResourceType<unknown>[];
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
      if (node.role === 'item' && node.ref) return { ...withoutParent(node.ref.scope), parent: node.ref };
      return node.scope;
  }
}

function withoutParent(s: Scope): Scope {
  const rest = { ...s };
  delete rest.parent;
  return rest;
}

export function coreOps(model: AdminModel | undefined, level: 'namespace' | 'repository' | 'tag'): CoreNodeOps | undefined {
  return model?.nodes?.[level];
}

/** Traits of a core node (namespace, repository, tag) from the model's core-node operations. */
export function coreTraits(model: AdminModel | undefined, level: 'namespace' | 'repository' | 'tag', ref: ResourceRef): string[] {
  const ops = coreOps(model, level);
  if (!ops) return [];
  const out: string[] = [];
  if (ops.create) out.push('creatable');
  if (ops.update) out.push('editable');
  if (ops.remove) out.push('removable');
  if (ops.actions?.some((a) => safeWhen((x: ResourceRef) => !a.when || a.when(x), ref))) out.push('actionable');
  return out;
}

/** Traits of an item of a resource type. */
export function itemTraits(t: ResourceType<unknown>, item: unknown): string[] {
  const out: string[] = [];
  if (t.update) out.push('editable');
  if (t.remove) out.push('removable');
  if (t.actions?.some((a) => safeWhen((x: unknown) => !a.when || a.when(x), item))) out.push('actionable');
  return out;
}

function safeWhen<T>(when: (x: T) => boolean, x: T): boolean {
  try {
    return when(x);
  } catch {
    return false;
  }
}

/** Whether anything is placed under the items of a resource type. */
export function itemsExpand(model: AdminModel | undefined, type: string): boolean {
  return placedTypes(model, { type }).length > 0;
}

/** Resolves what an admin node's operations act on: its resource type. */
export function typeOf(model: AdminModel | undefined, node: AdminNode): ResourceType<unknown> | undefined {
  if (node.role === 'group') return undefined;
  return model?.types.find((t) => t.type === node.name) as ResourceType<unknown> | undefined;
}
