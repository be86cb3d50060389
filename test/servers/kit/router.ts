/**
 * Routing for the fakes: a method and a path template whose `{name}` segments become parameters, matched in the order
 * the routes were added. Paths are matched as sent (a trailing slash is part of the path, as on the real services).
 */

/** How one named parameter matches and is decoded (e.g. Quay's `{repository}` is `namespace/name`, slash included). */
export interface ParamRule {
  pattern: string;
  decode?: (raw: string) => string;
}

export interface RouterOptions {
  /** What a `{param}` matches unless `params` names it (default one path segment, `[^/]+`). */
  param?: string;
  /** Applied to each captured parameter unless `params` names it (default `decodeURIComponent`). */
  decode?: (raw: string) => string;
  /** Rules for particular parameter names. */
  params?: Record<string, ParamRule>;
}

export interface Route<H> {
  method: string;
  template: string;
  re: RegExp;
  handler: H;
  decoders: Array<(raw: string) => string>;
}

export type Match<H> = { route: Route<H>; params: string[] } | { route?: undefined; pathKnown: boolean };

export class Router<H> {
  readonly routes: Array<Route<H>> = [];
  private readonly param: string;
  private readonly decode: (raw: string) => string;
  private readonly rules: Record<string, ParamRule>;

  constructor(opts: RouterOptions = {}) {
    this.param = opts.param ?? '[^/]+';
    this.decode = opts.decode ?? decodeURIComponent;
    this.rules = opts.params ?? {};
  }

  add(method: string, template: string, handler: H): Route<H> {
    const decoders: Array<(raw: string) => string> = [];
    const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_, name: string) => {
      const rule = this.rules[name];
      decoders.push(rule ? (rule.decode ?? this.decode) : this.decode);
      return `(${rule ? rule.pattern : this.param})`;
    });
    const r = { method, template, re: new RegExp('^' + source + '$'), handler, decoders };
    this.routes.push(r);
    return r;
  }

  /**
   * The first route of this method matching `path` (among the `enabled` ones); otherwise whether another method
   * serves the path (405 rather than 404).
   */
  find(method: string, path: string, enabled: (r: Route<H>) => boolean = () => true): Match<H> {
    let pathKnown = false;
    for (const r of this.routes) {
      const m = r.re.exec(path);
      if (!m || !enabled(r)) continue;
      pathKnown = true;
      if (r.method === method) return { route: r, params: m.slice(1).map((v, i) => r.decoders[i]!(v)) };
    }
    return { pathKnown };
  }
}
