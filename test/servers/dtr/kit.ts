/** What a DTR route module gets: the state, policies and seeding (`DtrKit`), the request (`Ctx`) and reply helpers. */
import type { DtrPolicies } from './policies';
import type { DtrSeeding } from './seed';
import type { DtrState } from './state';
import type { Json, UserRec } from './types';

export type DtrKit = DtrState & DtrPolicies & DtrSeeding;

/** `accept`: the request's Accept header; `headers`: the response headers being built. */
export type Ctx = { method: string; parts: string[]; q: URLSearchParams; body: unknown; user?: UserRec; headers: Record<string, string>; accept?: string };
/** `text`: a body sent as is (the CSV export) with the Content-Type set in `headers`. */
export type Reply = { status: number; body?: unknown; text?: string };

/** The request's method `m`, path segments `p` (under /api/v0/), query `q`, body `b`, user `u`; `ok` and `is`. */
export function tools(c: Ctx) {
  const { method: m, parts: p, q } = c;
  const b = (c.body ?? {}) as Json;
  const u = c.user;
  const ok = (body?: unknown, status = 200): Reply => ({ status, body });
  /** Whether the request is `method` on exactly these segments (`*`: any one segment). */
  const is = (method: string, ...pattern: string[]) => m === method && p.length === pattern.length && pattern.every((x, i) => x === '*' || x === p[i]);
  return { m, p, q, b, u, ok, is };
}
