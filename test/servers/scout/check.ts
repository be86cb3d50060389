import { named, show, type Operation, type Schema, type Selection, type TypeDef, type TypeRef, type Value } from './graphql';

/**
 * Validation of one operation against the schema (GraphQL spec §5, the rules that matter for the product's queries)
 * and of the request's variable values (§6.1.2 coercion). Returns the problems; empty means valid.
 */
export function checkOperation(schema: Schema, op: Operation, variables: Record<string, unknown>): string[] {
  const errors: string[] = [];
  const used = new Set<string>();
  const root = schema.get(op.type === 'query' ? 'Query' : 'Mutation');
  if (!root) return [`the schema has no ${op.type} type`];

  for (const [name, v] of op.variables) {
    const def = schema.get(named(v.type));
    if (!def || (def.kind !== 'scalar' && def.kind !== 'enum' && def.kind !== 'input')) errors.push(`variable $${name} has the non-input type ${show(v.type)}`);
  }

  const checkLiteral = (value: Value, type: TypeRef, where: string): void => {
    if (value.kind === 'var') {
      used.add(value.name);
      const declared = op.variables.get(value.name);
      if (!declared) return void errors.push(`${where}: variable $${value.name} is not declared`);
      if (!allowed(declared.type, declared.hasDefault, type)) errors.push(`${where}: variable $${value.name} of type ${show(declared.type)} cannot be used where ${show(type)} is expected`);
      return;
    }
    if (type.kind === 'nonNull') {
      if (value.kind === 'null') return void errors.push(`${where}: null for the non-null ${show(type)}`);
      return checkLiteral(value, type.of, where);
    }
    if (value.kind === 'null') return;
    if (type.kind === 'list') {
      for (const [i, item] of (value.kind === 'list' ? value.items : [value]).entries()) checkLiteral(item, type.of, `${where}[${i}]`);
      return;
    }
    const def = schema.get(type.name);
    if (!def) return void errors.push(`${where}: unknown type ${type.name}`);
    if (def.kind === 'input') {
      if (value.kind !== 'object') return void errors.push(`${where}: ${type.name} needs an object`);
      for (const [k, v] of value.fields) {
        const f = def.fields.get(k);
        if (!f) errors.push(`${where}: ${type.name} has no field "${k}"`);
        else checkLiteral(v, f.type, `${where}.${k}`);
      }
      for (const f of def.fields.values()) if (f.type.kind === 'nonNull' && !f.hasDefault && !value.fields.has(f.name)) errors.push(`${where}: ${type.name}.${f.name} is required`);
      return;
    }
    if (def.kind === 'enum') {
      if (value.kind !== 'enum' || !def.values.has(value.value)) errors.push(`${where}: ${JSON.stringify(value.kind === 'enum' ? value.value : value.kind)} is not a ${type.name} value`);
      return;
    }
    if (!scalarLiteralOk(type.name, value)) errors.push(`${where}: a ${value.kind} is not a ${type.name}`);
  };

  const checkSelection = (parent: TypeDef, selection: Selection[], path: string): void => {
    for (const s of selection) {
      if (s.kind === 'inline') {
        const on = s.on ? schema.get(s.on) : parent;
        if (!on) errors.push(`${path}: unknown type condition ${s.on}`);
        else checkSelection(on, s.selection, `${path}(on ${on.name})`);
        continue;
      }
      const f = s.field;
      const where = `${path}.${f.name}`;
      if (f.name === '__typename') {
        if (f.selection) errors.push(`${where}: __typename takes no selection`);
        continue;
      }
      if (parent.kind === 'union') {
        errors.push(`${where}: a union (${parent.name}) has no fields; use an inline fragment`);
        continue;
      }
      const def = parent.fields.get(f.name);
      if (!def) {
        errors.push(`${where}: ${parent.name} has no field "${f.name}"`);
        continue;
      }
      for (const [an, av] of f.args) {
        const a = def.args.get(an);
        if (!a) errors.push(`${where}: no argument "${an}"`);
        else checkLiteral(av, a.type, `${where}(${an})`);
      }
      for (const a of def.args.values()) if (a.type.kind === 'nonNull' && !a.hasDefault && !f.args.has(a.name)) errors.push(`${where}: argument "${a.name}" is required`);
      const target = schema.get(named(def.type));
      if (!target) {
        errors.push(`${where}: unknown type ${named(def.type)}`);
        continue;
      }
      const leaf = target.kind === 'scalar' || target.kind === 'enum';
      if (leaf && f.selection) errors.push(`${where}: ${target.name} is a leaf and takes no selection`);
      if (!leaf && !f.selection?.length) errors.push(`${where}: ${target.name} needs a selection of its fields`);
      if (!leaf && f.selection) checkSelection(target, f.selection, where);
    }
  };

  checkSelection(root, op.selection, op.type);
  for (const name of op.variables.keys()) if (!used.has(name)) errors.push(`variable $${name} is declared but not used`);

  for (const [name, v] of op.variables) {
    if (!(name in variables)) {
      if (v.type.kind === 'nonNull' && !v.hasDefault) errors.push(`variable $${name} (${show(v.type)}) was not given`);
      continue;
    }
    coerce(schema, variables[name], v.type, `$${name}`, errors);
  }
  for (const name of Object.keys(variables)) if (!op.variables.has(name)) errors.push(`variable $${name} was given but the operation does not declare it`);
  return errors;
}

/** §5.8.5: a variable of type `v` may be used where `expected` is wanted. */
function allowed(v: TypeRef, hasDefault: boolean, expected: TypeRef): boolean {
  if (expected.kind === 'nonNull' && v.kind !== 'nonNull') return hasDefault && compatible(v, expected.of);
  return compatible(v, expected);
}

function compatible(v: TypeRef, e: TypeRef): boolean {
  if (e.kind === 'nonNull') return v.kind === 'nonNull' && compatible(v.of, e.of);
  if (v.kind === 'nonNull') return compatible(v.of, e);
  if (e.kind === 'list') return v.kind === 'list' && compatible(v.of, e.of);
  return v.kind === 'named' && v.name === e.name;
}

function scalarLiteralOk(scalar: string, v: Value): boolean {
  switch (scalar) {
    case 'Int':
      return v.kind === 'int';
    case 'Float':
      return v.kind === 'int' || v.kind === 'float';
    case 'String':
      return v.kind === 'string';
    case 'Boolean':
      return v.kind === 'boolean';
    case 'ID':
      return v.kind === 'string' || v.kind === 'int';
    default:
      return true;
  }
}

/** Checks a JSON variable value against its declared type. */
function coerce(schema: Schema, value: unknown, type: TypeRef, where: string, errors: string[]): void {
  if (type.kind === 'nonNull') {
    if (value === null || value === undefined) return void errors.push(`${where}: null for ${show(type)}`);
    return coerce(schema, value, type.of, where, errors);
  }
  if (value === null || value === undefined) return;
  if (type.kind === 'list') {
    for (const [i, item] of (Array.isArray(value) ? value : [value]).entries()) coerce(schema, item, type.of, `${where}[${i}]`, errors);
    return;
  }
  const def = schema.get(type.name);
  if (!def) return void errors.push(`${where}: unknown type ${type.name}`);
  const ok =
    def.kind === 'input'
      ? typeof value === 'object' && !Array.isArray(value)
      : def.kind === 'enum'
        ? typeof value === 'string' && def.values.has(value)
        : type.name === 'Int'
          ? Number.isSafeInteger(value)
          : type.name === 'Float'
            ? typeof value === 'number'
            : type.name === 'String'
              ? typeof value === 'string'
              : type.name === 'Boolean'
                ? typeof value === 'boolean'
                : type.name === 'ID'
                  ? typeof value === 'string' || Number.isSafeInteger(value)
                  : true;
  if (!ok) return void errors.push(`${where}: ${JSON.stringify(value).slice(0, 60)} is not a ${type.name}`);
  if (def.kind !== 'input') return;
  const obj = value as Record<string, unknown>;
  for (const [k, v] of Object.entries(obj)) {
    const f = def.fields.get(k);
    if (!f) errors.push(`${where}: ${type.name} has no field "${k}"`);
    else coerce(schema, v, f.type, `${where}.${k}`, errors);
  }
  for (const f of def.fields.values()) if (f.type.kind === 'nonNull' && !f.hasDefault && !(f.name in obj)) errors.push(`${where}: ${type.name}.${f.name} is required`);
}
