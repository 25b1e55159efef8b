/**
 * The one error hierarchy of the domain. Use cases throw these; the HTTP edge maps `httpStatus` and `code`
 * to `{"error": {"code", "message"}}`, queue consumers treat `ValidationError` as poison (straight to the DLQ
 * with its reason) and anything else as retryable.
 */
export abstract class DomainError extends Error {
  abstract readonly httpStatus: number;
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that can never succeed however often it is retried (bad field, bad format, min > max …). */
export class ValidationError extends DomainError {
  readonly httpStatus = 400;
  constructor(message: string, details?: Readonly<Record<string, unknown>>, code = 'validation_failed') {
    super(code, message, details);
  }
}

export class UnauthorizedError extends DomainError {
  readonly httpStatus = 401;
  constructor(message = 'Missing or invalid bearer token') {
    super('unauthorized', message);
  }
}

export class ForbiddenError extends DomainError {
  readonly httpStatus = 403;
  constructor(message = 'Not allowed for this caller') {
    super('forbidden', message);
  }
}

export class NotFoundError extends DomainError {
  readonly httpStatus = 404;
  constructor(what: string) {
    super('not_found', `${what} not found`);
  }
}

/** The request is well-formed but the current state forbids it (cancel twice, slot taken …). */
export class ConflictError extends DomainError {
  readonly httpStatus = 409;
  constructor(message: string, code = 'conflict') {
    super(code, message);
  }
}

/**
 * A version-conditioned write lost a race: the stored version is not the one the writer read. Not a
 * DomainError: use cases catch it and retry, or turn it into a `ConflictError` the caller sees.
 */
export class VersionConflictError extends Error {
  constructor(readonly key: string) {
    super(`concurrent update of ${key}`);
    this.name = 'VersionConflictError';
  }
}

/** A retry that is not a retry: an idempotency key reused with a different request body. */
export class IdempotencyKeyMismatchError extends DomainError {
  readonly httpStatus = 422;
  constructor(message = 'Idempotency-Key was already used with a different request body') {
    super('idempotency_key_mismatch', message);
  }
}

/** Too many requests from one caller, or one customer holding as much of a shared resource as it may. */
export class RateLimitedError extends DomainError {
  readonly httpStatus = 429;
  constructor(message: string, code = 'rate_limited') {
    super(code, message);
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
