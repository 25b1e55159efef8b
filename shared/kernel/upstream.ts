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

/**
 * The shared SP-API quota has no token for this seller and operation now, and nothing was sent to Amazon. Nothing
 * waits for the token inside a function: the queued unit of work goes back on its queue with a delay of
 * `retryAfterMs` (at most SQS's 15 minutes; a longer wait is several such delays), without spending an attempt.
 */
export class QuotaExhaustedError extends UpstreamError {
  constructor(
    readonly key: string,
    readonly retryAfterMs: number,
  ) {
    super('amazon', `${key}: SP-API quota spent, next token in ${String(Math.ceil(retryAfterMs / 1000))} s`, 'quota_exhausted');
  }
}

/** SQS's longest message delay (15 minutes): a longer wait is a chain of such delays. */
export const MAX_QUEUE_DELAY_SECONDS = 900;

/** The delay that brings a re-queued unit of work back when the quota has a token again (1 s to 15 minutes). */
export function queueDelaySeconds(retryAfterMs: number): number {
  return Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(1, Math.ceil(retryAfterMs / 1000)));
}
