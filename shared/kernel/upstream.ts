/**
 * Failures of a system we depend on (Amazon, AWS): never the caller's fault and never poison. A queue
 * consumer retries an `UpstreamError` with backoff and, once its retry budget is spent, parks the message with
 * the reason; only a malformed message (`ValidationError`) goes to the DLQ at once.
 */
import { DomainError } from './errors.ts';

export class UpstreamError extends DomainError {
  readonly httpStatus = 502;
  constructor(
    /** Who failed: `amazon`, `aws`. */
    readonly upstream: string,
    message: string,
    code = 'upstream_failed',
  ) {
    super(code, message);
  }
}

/**
 * Login with Amazon answered `invalid_grant` to a refresh token: the seller revoked our app (or the
 * authorisation expired). Retrying cannot help; the connection is marked revoked and that seller's work stops.
 */
export class AmazonAuthorisationRevokedError extends UpstreamError {
  constructor(readonly sellerId: string) {
    super('amazon', `the authorisation of seller ${sellerId} was revoked (Login with Amazon: invalid_grant)`, 'amazon_authorisation_revoked');
  }
}

/** Calls of this seller and operation fail repeatedly: the breaker holds them until `retryAt`. */
export class CircuitOpenError extends UpstreamError {
  constructor(
    readonly key: string,
    readonly retryAt: Date,
  ) {
    super('amazon', `${key}: circuit open after repeated failures, next attempt after ${retryAt.toISOString()}`, 'circuit_open');
  }
}
