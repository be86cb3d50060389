/** Replies of the OCI fake: the common headers, corrupted bodies for faults, and `n`/`last` paging with `Link`. */
import type * as http from 'node:http';
import { nextLink } from '../kit/paging';
import { asciiCompare, type OciFault } from './types';

export function send(res: http.ServerResponse, status: number, body: string | Buffer | undefined, headers: Record<string, string> = {}): void {
  const buf = body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(body);
  const h: Record<string, string | number> = {
    'Docker-Distribution-API-Version': 'registry/2.0',
    'Content-Length': buf.length,
    ...headers,
  };
  if (!('Content-Type' in headers) && body !== undefined) h['Content-Type'] = 'application/json; charset=utf-8';
  res.writeHead(status, h);
  res.end(res.req.method === 'HEAD' ? undefined : buf);
}

/** JSON body with one field replaced, for `wrongType` faults. */
export function corrupt(body: string, f: OciFault): string {
  const obj = JSON.parse(body) as Record<string, unknown>;
  const field = f.field ?? Object.keys(obj).find((k) => Array.isArray(obj[k])) ?? Object.keys(obj)[0];
  obj[field] = f.value === undefined ? 12345 : f.value;
  return JSON.stringify(obj);
}

export function list(all: string[], q: URLSearchParams, paging: boolean, linkPath: string): { items: string[]; link?: string } | { error: string } {
  const sorted = [...all].sort(asciiCompare);
  if (!paging) return { items: sorted };
  const nRaw = q.get('n');
  const last = q.get('last');
  let items = last !== null ? sorted.filter((t) => asciiCompare(t, last) > 0) : sorted;
  if (nRaw === null) return { items };
  if (!/^\d+$/.test(nRaw)) return { error: 'n' };
  const n = Number(nRaw);
  if (n === 0) return { items: [] };
  const more = items.length > n;
  items = items.slice(0, n);
  if (!more) return { items };
  return { items, link: nextLink(linkPath, { last: items[items.length - 1], n: String(n) }) };
}
