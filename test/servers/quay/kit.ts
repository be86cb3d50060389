/** What a Quay route module gets: the state, `route` and `ok`. */
import type { QuayState } from './state';
import type { TokenRec } from './types';

export type Handler = (m: { method: string; params: string[]; q: URLSearchParams; body: unknown; who?: TokenRec }) => { status?: number; body?: unknown } | void;

export type QuayKit = QuayState & {
  route: (method: string, template: string, handler: Handler) => void;
  ok: (body: unknown, status?: number) => { status: number; body: unknown };
};
