import type { ProviderContext } from '../context';
import { BODY_LIMITS, HttpTransport, isOk, statusError, transportFor, type HttpResponse } from '../http';
import type { HubHttpRequest, HubHttpResponse, HubTransport } from './client';

/**
 * Adapts the shared transport (src/registry/http.ts) to what the Hub clients need: a non-2xx answer rejects with
 * the typed error for its status, and every answer is shown to `onResponse` first so rate-limit headers are read
 * even from the error responses and from the 429s the shared transport waits out and retries (GET with a short
 * Retry-After), so their figures and waits are never missed.
 */
export function hubTransport(http: HttpTransport): HubTransport & { readonly http: HttpTransport } {
  const adapter: HubTransport & { readonly http: HttpTransport } = {
    http,
    async send(req: HubHttpRequest): Promise<HubHttpResponse> {
      const res = await http.request({
        method: req.method,
        url: req.url,
        headers: req.headers,
        // The v1 index sends an empty JSON string on DELETE; anything else is a JSON document.
        json: req.json,
        signal: req.signal,
        maxBodyBytes: req.maxBodyBytes ?? BODY_LIMITS.json,
        onRetry: (info) => {
          if (info.response) adapter.onResponse?.(toHub(info.response));
        },
      });
      const out = toHub(res);
      adapter.onResponse?.(out);
      if (!isOk(res)) throw statusError(res, req.what ? capital(req.what) : describe(req), req.method);
      return out;
    },
  };
  return adapter;
}

/** A Hub transport for one connection, built from its settings (timeouts, CA, proxy). */
export function hubTransportFor(ctx: ProviderContext): HubTransport & { readonly http: HttpTransport } {
  return hubTransport(transportFor(ctx));
}

function toHub(res: HttpResponse): HubHttpResponse {
  return { status: res.status, header: (n) => res.header(n), text: res.text() };
}

/** "The tags of acme/api: not found (404)": `what` starts the message. */
function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function describe(req: HubHttpRequest): string {
  try {
    const u = new URL(req.url);
    return `${req.method} ${u.pathname}`;
  } catch {
    return req.method;
  }
}
