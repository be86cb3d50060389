/** What the reliability suite needs to know about one provider; each provider adds one file under subjects/. */
import type { Logger } from '../../src/registry/context';
import type { Target } from './faultProxy';

export interface Operation {
  name: string;
  /** Names of `targets` this operation sends requests to (the fuzzer only faults those). */
  targets: string[];
  /** Runs the operation; resolve with a value the suite checks with `sane`, or reject. */
  run(provider: unknown): Promise<unknown>;
}

export interface ReliabilitySubject {
  name: string;
  /** Starts the spec-faithful fake with the data the operations need (a fresh one per case). */
  startUpstream(user: string, secret: string): Promise<{ url: string; close(): Promise<void> }>;
  /**
   * The provider for a registry configured at `url`, with short time-outs so stalls end quickly; `tls.caFile` is the
   * certificate to trust when the case serves https (spread into the connection settings).
   */
  make(url: string, logger: Logger, user: string, secret: string, tls?: { caFile: string }): { dispose(): void };
  targets: Record<string, Target>;
  operations: Operation[];
  /** Writes that may be sent again (sign-in token requests): excluded from the no-retry check. */
  repeatableWrites?: RegExp[];
}

/** Short time-outs: a stall costs under a second per try. */
export const RELIABILITY_HTTP = { timeoutMs: 800, maxRetries: 1 };
