/**
 * Routing for the fakes: a method and a path template whose `{name}` segments become parameters, matched in the order
 * the routes were added. Paths are matched as sent (a trailing slash is part of the path, as on the real services).
 */

export interface RouterOptions {
  /** What one `{param}` matches (default one path segment, `[^/]+`). */
  param?: string;
  /** Applied to each captured parameter (default `decodeURIComponent`). */
  decode?: (raw: string) => string;
}

export interface Route<H> {
  method: string;
  template: string;
  re: RegExp;
  handler: H;
}

export type Match<H> = { route: Route<H>; params: string[] } | { route?: undefined; pathKnown: boolean };

export class Router<H> {
  readonly routes: Array<Route<H>> = [];
  private readonly param: string;
  private readonly decode: (raw: string) => string;

  constructor(opts: RouterOptions = {}) {
    this.param = opts.param ?? '[^/]+';
    this.decode = opts.decode ?? decodeURIComponent;
  }

  /** Adds a route; `param` overrides, for this route, what a parameter matches (e.g. `.+` for a path of segments). */
  add(method: string, template: string, handler: H, param = this.param): Route<H> {
    const re = new RegExp('^' + template.replace(/\{[^}]+\}/g, `(${param})`) + '$');
    const r = { method, template, re, handler };
    this.routes.push(r);
    return r;
  }

  /** The first route of this method matching `path`; otherwise whether another method serves the path (405 vs 404). */
  find(method: string, path: string): Match<H> {
    let pathKnown = false;
    for (const r of this.routes) {
      const m = r.re.exec(path);
      if (!m) continue;
      pathKnown = true;
      if (r.method === method) return { route: r, params: m.slice(1).map(this.decode) };
    }
    return { pathKnown };
  }
}
