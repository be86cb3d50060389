import type { HealthResult, RegistryProvider } from '../registry/provider';

export interface HealthTarget {
  name: string;
  provider?: RegistryProvider;
  /** Why there is no provider (unsupported kind…); such targets count as not reachable without any request. */
  unavailableReason?: string;
  /** Whether credentials are stored for it: a registry without any that asks for them is waiting for a sign-in. */
  hasCredentials?(): Promise<boolean>;
}

export interface RegistryHealth {
  name: string;
  /** undefined until the first check finished. */
  ok?: boolean;
  latencyMs?: number;
  checkedAt?: number;
  lastError?: string;
  /** Refused for lack of credentials, none being stored: waiting for a sign-in rather than failing. */
  needsSignIn?: boolean;
  details?: Record<string, string>;
  consecutiveFailures: number;
  nextCheckAt?: number;
}

export interface HealthMonitorOptions {
  /** Base polling interval; 0 disables polling (checks still run on demand). */
  intervalMs: number;
  /** Upper bound of the back-off for failing registries. */
  maxBackoffMs?: number;
  now?: () => number;
}

/**
 * Polls each registry with one cheap request. Failing registries back off exponentially (interval × 2^failures,
 * capped); polling pauses while the window is unfocused and catches up when it regains focus. No 'vscode' here.
 */
export class HealthMonitor {
  private targets: HealthTarget[] = [];
  private readonly state = new Map<string, RegistryHealth>();
  private timer: NodeJS.Timeout | undefined;
  private focused = true;
  private disposed = false;
  private readonly inflight = new Map<string, Promise<void>>();
  private startTimer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(private options: HealthMonitorOptions) {}

  private get now(): number {
    return (this.options.now ?? Date.now)();
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  setTargets(targets: HealthTarget[]): void {
    this.targets = targets;
    const names = new Set(targets.map((t) => t.name));
    for (const n of [...this.state.keys()]) if (!names.has(n)) this.state.delete(n);
    for (const t of targets) {
      this.state.set(t.name, { name: t.name, consecutiveFailures: 0 });
    }
    this.emit();
    // The start-up check runs after the current task: targets may build their providers lazily, which should not
    // happen inside activation. Registries checked in the meantime (checkAll) are not asked twice.
    if (this.startTimer) clearTimeout(this.startTimer);
    this.startTimer = setTimeout(() => {
      this.startTimer = undefined;
      if (this.disposed || this.targets !== targets) return;
      void Promise.all(targets.filter((t) => this.state.get(t.name)?.ok === undefined).map((t) => this.check(t.name)));
    }, 0);
  }

  setInterval(intervalMs: number): void {
    this.options = { ...this.options, intervalMs };
    this.schedule();
  }

  setFocused(focused: boolean): void {
    if (this.focused === focused) return;
    this.focused = focused;
    if (focused) void this.checkDue();
    else this.clearTimer();
  }

  get isPaused(): boolean {
    return !this.focused;
  }

  snapshot(): RegistryHealth[] {
    return this.targets.map((t) => ({ ...this.state.get(t.name)! }));
  }

  /** Checks every registry now (status-bar click, configuration change). */
  async checkAll(): Promise<void> {
    await Promise.all(this.targets.map((t) => this.check(t.name)));
  }

  /** Checks one registry now; concurrent calls share the request. */
  check(name: string): Promise<void> {
    const existing = this.inflight.get(name);
    if (existing) return existing;
    const target = this.targets.find((t) => t.name === name);
    if (!target) return Promise.resolve();
    const provider = target.provider;
    if (!provider) {
      // No provider (unsupported kind, bad settings): not reachable, and no request to make.
      const st = this.state.get(name);
      if (st && st.ok === undefined) {
        this.state.set(name, { ...st, ok: false, lastError: target.unavailableReason ?? 'not available' });
        this.emit();
      }
      return Promise.resolve();
    }
    const p = (async () => {
      let result: HealthResult;
      try {
        result = await provider.ping();
      } catch (e) {
        result = { ok: false, latencyMs: 0, checkedAt: this.now, error: undefined, details: { error: (e as Error).message } };
      }
      const needsSignIn = !result.ok && result.error?.kind === 'unauthorized' && target.hasCredentials ? !(await target.hasCredentials().catch(() => true)) : false;
      if (this.disposed || !this.state.has(name)) return;
      const prev = this.state.get(name)!;
      const failures = result.ok ? 0 : prev.consecutiveFailures + 1;
      this.state.set(name, {
        name,
        ok: result.ok,
        latencyMs: result.latencyMs,
        checkedAt: result.checkedAt ?? this.now,
        lastError: result.ok ? undefined : (result.error?.message ?? result.details?.error ?? 'check failed'),
        ...(needsSignIn ? { needsSignIn } : {}),
        details: result.details,
        consecutiveFailures: failures,
        nextCheckAt: this.nextDelay(failures) === undefined ? undefined : this.now + this.nextDelay(failures)!,
      });
      this.emit();
    })().finally(() => {
      this.inflight.delete(name);
      this.schedule();
    });
    this.inflight.set(name, p);
    return p;
  }

  /** Delay before the next check after `failures` consecutive failures; undefined when polling is off. */
  nextDelay(failures: number): number | undefined {
    const base = this.options.intervalMs;
    if (!base || base <= 0) return undefined;
    const max = this.options.maxBackoffMs ?? Math.max(base, 15 * 60_000);
    return Math.min(max, base * 2 ** Math.min(failures, 20));
  }

  private async checkDue(): Promise<void> {
    const now = this.now;
    const due = this.targets.filter((t) => {
      const s = this.state.get(t.name);
      return t.provider && (s?.nextCheckAt === undefined ? s?.ok === undefined : s.nextCheckAt <= now);
    });
    await Promise.all(due.map((t) => this.check(t.name)));
    this.schedule();
  }

  private schedule(): void {
    this.clearTimer();
    if (this.disposed || !this.focused || !this.options.intervalMs) return;
    let next: number | undefined;
    for (const t of this.targets) {
      const at = this.state.get(t.name)?.nextCheckAt;
      if (t.provider && at !== undefined) next = next === undefined ? at : Math.min(next, at);
    }
    if (next === undefined) return;
    const delay = Math.max(0, next - this.now);
    this.timer = setTimeout(() => void this.checkDue(), delay);
    this.timer.unref?.();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }

  dispose(): void {
    this.disposed = true;
    if (this.startTimer) clearTimeout(this.startTimer);
    this.clearTimer();
    this.listeners.clear();
  }
}

/** "2/3" — reachable registries out of all configured ones. */
export function summarize(health: RegistryHealth[]): { text: string; reachable: number; total: number; pending: number; signIn: number; failing: number } {
  const reachable = health.filter((h) => h.ok === true).length;
  const pending = health.filter((h) => h.ok === undefined).length;
  const signIn = health.filter((h) => h.ok === false && h.needsSignIn).length;
  return { text: `${reachable}/${health.length}`, reachable, total: health.length, pending, signIn, failing: health.length - reachable - pending - signIn };
}
