/**
 * A minimal GraphQL reader for the Docker Scout fake (the `graphql` package is not a dependency): it parses the
 * vendored SDL (test/fixtures/specs/docker-scout-schema.graphql) and checks each operation against it — fields on
 * their types, arguments (names, required ones, literal and variable types), leaf vs object selections, variables
 * declared and used, and the request's variable values. It covers what the product sends: queries with variables,
 * aliases, inline fragments and `__typename`; not mutations, subscriptions or directives' semantics.
 */

export type TypeRef = { kind: 'named'; name: string } | { kind: 'list'; of: TypeRef } | { kind: 'nonNull'; of: TypeRef };
export interface ArgDef { name: string; type: TypeRef; hasDefault: boolean }
export interface FieldDef { name: string; type: TypeRef; args: Map<string, ArgDef>; hasDefault: boolean }
export interface TypeDef { kind: 'type' | 'interface' | 'input' | 'enum' | 'scalar' | 'union'; name: string; fields: Map<string, FieldDef>; values: Set<string>; members: string[] }
export type Schema = Map<string, TypeDef>;

export type Value = { kind: 'var'; name: string } | { kind: 'int' | 'float' | 'string' | 'boolean' | 'null' | 'enum'; value: string } | { kind: 'list'; items: Value[] } | { kind: 'object'; fields: Map<string, Value> };
export interface Field { alias: string; name: string; args: Map<string, Value>; selection?: Selection[] }
export type Selection = { kind: 'field'; field: Field } | { kind: 'inline'; on?: string; selection: Selection[] };
export interface Operation { type: 'query' | 'mutation'; name?: string; variables: Map<string, { type: TypeRef; hasDefault: boolean }>; selection: Selection[] }

export class GraphQLError extends Error {}

type Token = { t: 'punct' | 'name' | 'int' | 'float' | 'string'; v: string };

function lex(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/[\s,\uFEFF]/.test(c)) i++;
    else if (c === '#') while (i < src.length && src[i] !== '\n') i++;
    else if (src.startsWith('...', i)) {
      out.push({ t: 'punct', v: '...' });
      i += 3;
    } else if ('!$():=@[]{}|&'.includes(c)) {
      out.push({ t: 'punct', v: c });
      i++;
    }
    else if (src.startsWith('"""', i)) {
      const end = src.indexOf('"""', i + 3);
      if (end < 0) throw new GraphQLError('unterminated block string');
      out.push({ t: 'string', v: src.slice(i + 3, end) });
      i = end + 3;
    } else if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      if (j >= src.length) throw new GraphQLError('unterminated string');
      out.push({ t: 'string', v: JSON.parse(src.slice(i, j + 1)) as string });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))![0];
      out.push({ t: 'name', v: m });
      i += m.length;
    } else if (/[-0-9]/.test(c)) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(src.slice(i));
      if (!m) throw new GraphQLError(`unexpected character ${c}`);
      out.push({ t: m[1] || m[2] ? 'float' : 'int', v: m[0] });
      i += m[0].length;
    } else throw new GraphQLError(`unexpected character ${JSON.stringify(c)} at ${i}`);
  }
  return out;
}

class Reader {
  private i = 0;
  constructor(private readonly toks: Token[]) {}
  peek(v?: string): Token | undefined {
    const t = this.toks[this.i];
    return v === undefined || t?.v === v ? t : undefined;
  }
  done(): boolean {
    return this.i >= this.toks.length;
  }
  next(): Token {
    const t = this.toks[this.i++];
    if (!t) throw new GraphQLError('unexpected end of document');
    return t;
  }
  eat(v: string): boolean {
    if (this.toks[this.i]?.v !== v) return false;
    this.i++;
    return true;
  }
  expect(v: string): void {
    const t = this.next();
    if (t.v !== v) throw new GraphQLError(`expected "${v}", found "${t.v}"`);
  }
  name(): string {
    const t = this.next();
    if (t.t !== 'name') throw new GraphQLError(`expected a name, found "${t.v}"`);
    return t.v;
  }
  type(): TypeRef {
    let ref: TypeRef;
    if (this.eat('[')) {
      ref = { kind: 'list', of: this.type() };
      this.expect(']');
    } else ref = { kind: 'named', name: this.name() };
    return this.eat('!') ? { kind: 'nonNull', of: ref } : ref;
  }
  value(): Value {
    if (this.eat('$')) return { kind: 'var', name: this.name() };
    if (this.eat('[')) {
      const items: Value[] = [];
      while (!this.eat(']')) items.push(this.value());
      return { kind: 'list', items };
    }
    if (this.eat('{')) {
      const fields = new Map<string, Value>();
      while (!this.eat('}')) {
        const n = this.name();
        this.expect(':');
        fields.set(n, this.value());
      }
      return { kind: 'object', fields };
    }
    const t = this.next();
    if (t.t === 'int' || t.t === 'float' || t.t === 'string') return { kind: t.t, value: t.v };
    if (t.t === 'name') return t.v === 'true' || t.v === 'false' ? { kind: 'boolean', value: t.v } : t.v === 'null' ? { kind: 'null', value: t.v } : { kind: 'enum', value: t.v };
    throw new GraphQLError(`unexpected "${t.v}" in a value`);
  }
  skipDirectives(): void {
    while (this.eat('@')) {
      this.name();
      if (this.eat('('))
        while (!this.eat(')')) {
          this.name();
          this.expect(':');
          this.value();
        }
    }
  }
  skipDescription(): void {
    if (this.peek()?.t === 'string') this.next();
  }
}

/** Parses an SDL document into its types. */
export function parseSchema(sdl: string): Schema {
  const r = new Reader(lex(sdl));
  const schema: Schema = new Map();
  for (const s of ['Int', 'Float', 'String', 'Boolean', 'ID']) schema.set(s, { kind: 'scalar', name: s, fields: new Map(), values: new Set(), members: [] });
  while (!r.done()) {
    r.skipDescription();
    const kw = r.name();
    if (kw === 'schema' || kw === 'extend') throw new GraphQLError(`"${kw}" definitions are not supported by this reader`);
    if (kw === 'directive') {
      r.expect('@');
      r.name();
      if (r.eat('('))
        while (!r.eat(')')) {
          r.skipDescription();
          r.name();
          r.expect(':');
          r.type();
          if (r.eat('=')) r.value();
          r.skipDirectives();
        }
      r.name(); // on
      r.eat('|');
      do r.name();
      while (r.eat('|'));
      continue;
    }
    const kind = kw === 'type' || kw === 'interface' || kw === 'input' || kw === 'enum' || kw === 'scalar' || kw === 'union' ? kw : undefined;
    if (!kind) throw new GraphQLError(`unknown definition "${kw}"`);
    const def: TypeDef = { kind, name: r.name(), fields: new Map(), values: new Set(), members: [] };
    if (r.eat('implements')) {
      r.eat('&');
      do r.name();
      while (r.eat('&'));
    }
    r.skipDirectives();
    if (kind === 'union' && r.eat('=')) {
      r.eat('|');
      do def.members.push(r.name());
      while (r.eat('|'));
    } else if (kind !== 'scalar' && kind !== 'union' && r.eat('{')) {
      while (!r.eat('}')) {
        r.skipDescription();
        const name = r.name();
        if (kind === 'enum') {
          def.values.add(name);
          r.skipDirectives();
          continue;
        }
        const args = new Map<string, ArgDef>();
        if (r.eat('(')) {
          while (!r.eat(')')) {
            r.skipDescription();
            const an = r.name();
            r.expect(':');
            const type = r.type();
            const hasDefault = r.eat('=') && !!r.value();
            r.skipDirectives();
            args.set(an, { name: an, type, hasDefault });
          }
        }
        r.expect(':');
        const type = r.type();
        const hasDefault = kind === 'input' && r.eat('=') && !!r.value();
        r.skipDirectives();
        def.fields.set(name, { name, type, args, hasDefault });
      }
    }
    schema.set(def.name, def);
  }
  return schema;
}

function parseSelection(r: Reader): Selection[] {
  r.expect('{');
  const out: Selection[] = [];
  while (!r.eat('}')) {
    if (r.eat('...')) {
      if (!r.eat('on')) throw new GraphQLError('named fragments are not supported by this reader');
      const on = r.name();
      r.skipDirectives();
      out.push({ kind: 'inline', on, selection: parseSelection(r) });
      continue;
    }
    let name = r.name();
    const alias = name;
    if (r.eat(':')) name = r.name();
    const args = new Map<string, Value>();
    if (r.eat('(')) {
      while (!r.eat(')')) {
        const an = r.name();
        r.expect(':');
        if (args.has(an)) throw new GraphQLError(`argument "${an}" given twice`);
        args.set(an, r.value());
      }
    }
    r.skipDirectives();
    out.push({ kind: 'field', field: { alias, name, args, ...(r.peek('{') ? { selection: parseSelection(r) } : {}) } });
  }
  return out;
}

/** Parses one operation (the document must hold exactly one). */
export function parseOperation(src: string): Operation {
  const r = new Reader(lex(src));
  let type: Operation['type'] = 'query';
  let name: string | undefined;
  const variables: Operation['variables'] = new Map();
  if (!r.peek('{')) {
    const kw = r.name();
    if (kw !== 'query' && kw !== 'mutation') throw new GraphQLError(`unsupported operation "${kw}"`);
    type = kw;
    if (r.peek()?.t === 'name') name = r.name();
    if (r.eat('(')) {
      while (!r.eat(')')) {
        r.expect('$');
        const vn = r.name();
        r.expect(':');
        const vt = r.type();
        const hasDefault = r.eat('=') && !!r.value();
        variables.set(vn, { type: vt, hasDefault });
      }
    }
    r.skipDirectives();
  }
  const selection = parseSelection(r);
  if (!r.done()) throw new GraphQLError('only one operation per document is supported');
  return { type, ...(name ? { name } : {}), variables, selection };
}

export const named = (t: TypeRef): string => (t.kind === 'named' ? t.name : named(t.of));
export const show = (t: TypeRef): string => (t.kind === 'named' ? t.name : t.kind === 'list' ? `[${show(t.of)}]` : `${show(t.of)}!`);
