import * as assert from 'node:assert/strict';
import { coreType, resourceType, type ActionDecl, type AdminModel, type CoreResource, type CoreType, type CreateDecl, type ListResource, type NodeRef, type Outcome, type Scope, type SingletonResource, type UpdateDecl, type Verdict } from '../../src/registry/admin';

/**
 * Reaching DTR's admin model the way the operation pipeline does: form values are parsed with the form's own schema
 * before `run` or `verify` sees them (so a value the schema refuses never reaches the provider).
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- each resource type has its own item shape */
export function listType(m: AdminModel, type: string): ListResource<any> {
  const t = resourceType(m, type);
  assert.ok(t?.shape === 'list', `no list resource type ${type}`);
  return t;
}
export function singletonType(m: AdminModel, type: string): SingletonResource<any> {
  const t = resourceType(m, type);
  assert.ok(t?.shape === 'singleton', `no singleton resource type ${type}`);
  return t;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export function core(m: AdminModel, type: CoreType): CoreResource {
  const t = coreType(m, type);
  assert.ok(t, `no core entry ${type}`);
  return t;
}

export function action<Item, R extends NodeRef>(actions: ActionDecl<Item, R>[] | undefined, id: string): ActionDecl<Item, R> {
  const a = actions?.find((x) => x.id === id);
  assert.ok(a, `no action ${id}`);
  return a;
}

/** A tag node's actions. */
export function tagAction(m: AdminModel, id: string) {
  return action(core(m, 'tag').actions, id);
}

export function create(t: { create?: CreateDecl }, scope: Scope, raw: unknown): Promise<Outcome> {
  assert.ok(t.create, 'no create');
  return t.create.run(scope, t.create.form.schema.parse(raw), undefined);
}

export function update<R extends NodeRef>(t: { update?: UpdateDecl<R> }, ref: R, raw: unknown): Promise<Outcome> {
  assert.ok(t.update, 'no update');
  return t.update.run(ref, t.update.form.schema.parse(raw), undefined);
}

export function verifyCreate(t: { create?: CreateDecl }, scope: Scope, raw: unknown): Promise<Verdict> {
  const form = t.create?.form;
  if (!form?.verify) throw new Error('no verify');
  return form.verify(scope, form.schema.parse(raw));
}

/** Runs an action with its input parsed by its form (no input: `undefined`). */
export function run<Item, R extends NodeRef>(a: ActionDecl<Item, R>, ref: R, raw?: unknown): Promise<Outcome> {
  return a.run(ref, a.input ? a.input.schema.parse(raw ?? {}) : undefined);
}

export function verifyAction<Item, R extends NodeRef>(a: ActionDecl<Item, R>, ref: R, raw: unknown): Promise<Verdict> {
  if (!a.input?.verify) throw new Error(`no verify on ${a.id}`);
  return a.input.verify(ref, a.input.schema.parse(raw));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The current values of an item's edit form. */
export async function valuesOf<R extends NodeRef>(t: { update?: UpdateDecl<R> }, ref: R): Promise<Record<string, unknown>> {
  assert.ok(t.update, 'no update');
  const v: unknown = await t.update.values(ref);
  assert.ok(isRecord(v), 'form values are an object');
  return v;
}
