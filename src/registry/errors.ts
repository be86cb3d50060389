/** Typed errors raised by the registry layer; the tree and commands turn them into message nodes or notifications. */
export type RegistryErrorKind =
  | 'unauthorized'
  | 'forbidden'
  | 'notFound'
  | 'methodNotAllowed'
  | 'rateLimited'
  | 'unreachable'
  | 'timeout'
  | 'badResponse'
  | 'serverError'
  | 'cancelled'
  | 'unsupported'
  | 'config';

export interface RegistryErrorOptions {
  status?: number;
  /** Request method and URL (already redacted) that failed. */
  request?: string;
  retryAfterMs?: number;
  cause?: unknown;
}

/** Base class of every error the registry layer throws on purpose. Messages never contain secrets. */
export class RegistryError extends Error {
  readonly kind: RegistryErrorKind;
  readonly status?: number;
  readonly request?: string;
  readonly retryAfterMs?: number;

  constructor(kind: RegistryErrorKind, message: string, opts: RegistryErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'RegistryError';
    this.kind = kind;
    this.status = opts.status;
    this.request = opts.request;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

export class UnauthorizedError extends RegistryError {
  constructor(message = 'Authentication required or the credentials were rejected', opts: RegistryErrorOptions = {}) {
    super('unauthorized', message, { status: 401, ...opts });
    this.name = 'UnauthorizedError';
  }
}
export class ForbiddenError extends RegistryError {
  constructor(message = 'Access denied', opts: RegistryErrorOptions = {}) {
    super('forbidden', message, { status: 403, ...opts });
    this.name = 'ForbiddenError';
  }
}
export class NotFoundError extends RegistryError {
  constructor(message = 'Not found', opts: RegistryErrorOptions = {}) {
    super('notFound', message, { status: 404, ...opts });
    this.name = 'NotFoundError';
  }
}
export class MethodNotAllowedError extends RegistryError {
  constructor(message = 'The registry does not allow this operation', opts: RegistryErrorOptions = {}) {
    super('methodNotAllowed', message, { status: 405, ...opts });
    this.name = 'MethodNotAllowedError';
  }
}
export class RateLimitedError extends RegistryError {
  constructor(message = 'Rate limited by the registry', opts: RegistryErrorOptions = {}) {
    super('rateLimited', message, { status: 429, ...opts });
    this.name = 'RateLimitedError';
  }
}
export class UnreachableError extends RegistryError {
  constructor(message = 'Registry unreachable', opts: RegistryErrorOptions = {}) {
    super('unreachable', message, opts);
    this.name = 'UnreachableError';
  }
}
export class TimeoutError extends RegistryError {
  constructor(message = 'The registry did not answer in time', opts: RegistryErrorOptions = {}) {
    super('timeout', message, opts);
    this.name = 'TimeoutError';
  }
}
export class BadResponseError extends RegistryError {
  constructor(message = 'Unexpected response from the registry', opts: RegistryErrorOptions = {}) {
    super('badResponse', message, opts);
    this.name = 'BadResponseError';
  }
}
export class ServerError extends RegistryError {
  constructor(message = 'The registry reported an internal error', opts: RegistryErrorOptions = {}) {
    super('serverError', message, opts);
    this.name = 'ServerError';
  }
}
export class CancelledError extends RegistryError {
  constructor(message = 'Cancelled', opts: RegistryErrorOptions = {}) {
    super('cancelled', message, opts);
    this.name = 'CancelledError';
  }
}
export class UnsupportedError extends RegistryError {
  constructor(message = 'Not supported by this registry kind', opts: RegistryErrorOptions = {}) {
    super('unsupported', message, opts);
    this.name = 'UnsupportedError';
  }
}

export function isRegistryError(e: unknown): e is RegistryError {
  return e instanceof RegistryError;
}

/** Any thrown value as a RegistryError, so callers can always switch on `kind`. */
export function toRegistryError(e: unknown): RegistryError {
  if (e instanceof RegistryError) return e;
  if (e instanceof Error) return new RegistryError('badResponse', e.message, { cause: e });
  return new RegistryError('badResponse', String(e));
}
