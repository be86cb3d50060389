import { isRegistryError, ServerError, toRegistryError } from '../errors';
import type { HttpResponse } from '../http';
import type { HealthResult } from '../provider';
import type { QuayClient } from './client';
import * as s from './schemas';

/** Quay's health: `/health/instance` decides, `/health/endtoend` adds which services fail (both unauthenticated). */
export async function quayHealth(client: QuayClient, signal?: AbortSignal): Promise<HealthResult> {
  const started = Date.now();
  try {
    const [instance, endtoend] = await Promise.all([
      client.unauthenticated('/health/instance', signal),
      client.unauthenticated('/health/endtoend', signal).catch(() => undefined),
    ]);
    const latencyMs = Date.now() - started;
    const details: Record<string, string> = {};
    const e2e = endtoend ? healthOf(endtoend) : undefined;
    if (e2e) details['end-to-end'] = e2e.failing.length ? `failing: ${e2e.failing.join(', ')}` : 'healthy';
    else details['end-to-end'] = 'not reported';
    const inst = healthOf(instance);
    if (instance.status === 200) {
      if (inst?.services.length) details.services = inst.services.join(', ');
      return { ok: true, latencyMs, checkedAt: Date.now(), details };
    }
    const failing = inst?.failing.length ? `: failing services ${inst.failing.join(', ')}` : '';
    return {
      ok: false,
      latencyMs,
      checkedAt: Date.now(),
      details,
      error: new ServerError(`Quay reports the instance unhealthy (${instance.status})${failing}`, { status: instance.status, request: 'GET /health/instance' }),
    };
  } catch (e) {
    return { ok: false, latencyMs: Date.now() - started, checkedAt: Date.now(), error: toRegistryError(e) };
  }
}

function healthOf(res: HttpResponse): { services: string[]; failing: string[] } | undefined {
  try {
    const r = s.health.safeParse(res.json());
    if (!r.success || !r.data.data) return undefined;
    const entries = Object.entries(r.data.data.services);
    return { services: entries.map(([k]) => k), failing: entries.filter(([, v]) => !v).map(([k]) => k) };
  } catch (e) {
    if (isRegistryError(e)) return undefined;
    throw e;
  }
}

