/**
 * The one way to consume a queue. Powertools BatchProcessor reports partial batch failures so only failed
 * records come back; a record that can never succeed (malformed, failing its contract) is sent straight to
 * the queue's DLQ with the reason as a message attribute and acknowledged, instead of burning retries.
 * An UpstreamError (Amazon or AWS refused or failed) is not poison: the record comes back after a growing
 * delay (30 s, 60 s, 120 s …, with `retryLater`) and, once its budget of attempts is spent, is parked with the
 * reason (the consumer's `park`, e.g. the onboarding view's "analysis failed: …", or the DLQ with a `parked` reason).
 * A QuotaExhaustedError (the shared SP-API quota had no token; nothing was sent) is no failure: the record is sent
 * again on its queue with the delay the quota gave (`retryLater.requeue`, at most 15 minutes: a longer wait comes
 * back and is re-queued again) and this delivery is acknowledged, so waiting for quota never sleeps in the function
 * nor spends the message's attempts. The consumer is idempotent, so the rare copy (acknowledgement lost after the
 * re-queue) does nothing twice.
 * Any other failure is retried until the delivery before the queue's `maxReceiveCount`, which dead-letters it with the
 * error as its reason. The last delivery SQS makes is kept for the one failure the consumer cannot catch (the previous
 * delivery timed out or its process died): it goes to the DLQ at once saying so. SQS's own redrive therefore never
 * moves a message, and every message in a DLQ says why it is there.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { z } from 'zod';
import { ValidationError } from '#shared/kernel/errors.ts';
import { QuotaExhaustedError, queueDelaySeconds, UpstreamError } from '#shared/kernel/upstream.ts';
import { CORRELATION_ATTRIBUTE, logger, withCorrelationId } from '../observability.ts';
import { observedInvocation } from '../lambda-edge.ts';
import type { DeadLetterQueue } from './dead-letter-queue.ts';
import type { RetryLater } from './retry-later.ts';

export type QueueHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export function queueConsumer<S extends z.ZodType>(options: {
  /** The DLQ of the queue this consumer reads: it receives the poison messages. */
  readonly deadLetters: DeadLetterQueue;
  readonly message: S;
  readonly handle: (message: z.infer<S>, record: SQSRecord) => Promise<unknown>;
  /** Delays the next delivery after an UpstreamError; without it the queue's visibility timeout decides. */
  readonly retryLater?: RetryLater;
  /** Deliveries an UpstreamError may use before the message is parked (default 4; below the queue's maxReceiveCount). */
  readonly upstreamAttempts?: number;
  /** Where a message whose upstream kept failing is parked; the DLQ with a `parked: …` reason by default. */
  readonly park?: (message: z.infer<S>, error: UpstreamError) => Promise<void>;
}): QueueHandler {
  const processor = new BatchProcessor(EventType.SQS);
  // The delivery that still runs the handler; the one after it only records that this one never answered.
  const lastHandledAttempt = Math.max(1, options.deadLetters.maxReceiveCount - 1);
  const upstreamAttempts = Math.min(options.upstreamAttempts ?? UPSTREAM_ATTEMPTS, lastHandledAttempt);
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    // Lambda always sets it (from the first delivery, "1"); a non-number would make the retry budget never end, so
    // it counts as the first attempt.
    const attempt = Number(record.attributes.ApproximateReceiveCount) || 1;
    if (attempt > lastHandledAttempt) {
      return deadLetter(
        options.deadLetters,
        record,
        `delivery ${attempt - 1} of ${options.deadLetters.maxReceiveCount} ended without an answer (the consumer timed out or its process died)`,
      );
    }
    let message: z.infer<S>;
    try {
      message = parseMessage(options.message, record.body);
    } catch (error) {
      if (error instanceof ValidationError) return deadLetter(options.deadLetters, record, error.message);
      throw error;
    }
    try {
      await options.handle(message, record);
      // One line per record is the biggest share of the log bill at volume: DEBUG (docs/runbook.md, "Log levels").
      logger.debug('message handled', { messageId: record.messageId, attempt });
    } catch (error) {
      if (error instanceof ValidationError) return deadLetter(options.deadLetters, record, error.message);
      if (error instanceof QuotaExhaustedError && options.retryLater) {
        const seconds = queueDelaySeconds(error.retryAfterMs);
        await options.retryLater.requeue(record, seconds);
        // Flow control, not a fault (a chain waiting for its quota): as many lines as records, so DEBUG too.
        logger.debug('SP-API quota spent; unit of work re-queued', { messageId: record.messageId, key: error.key, delaySeconds: seconds });
        return;
      }
      if (error instanceof UpstreamError) {
        if (attempt >= upstreamAttempts) {
          logger.warn('upstream kept failing; message parked', { messageId: record.messageId, attempt, code: error.code, reason: error.message });
          if (options.park) return options.park(message, error);
          return deadLetter(options.deadLetters, record, `parked after ${attempt} attempts: ${error.message}`);
        }
        if (options.retryLater) await backOff(options.retryLater, record, attempt);
      } else if (attempt >= lastHandledAttempt) {
        return deadLetter(options.deadLetters, record, `failed on delivery ${attempt} of ${options.deadLetters.maxReceiveCount}: ${describe(error)}`);
      }
      logger.warn('record failed; it will be retried', { messageId: record.messageId, error: error as Error });
      throw error;
    }
  };
  // Each record is handled under the correlation id it carries, so its log lines and the messages it sends
  // continue the work that sent it (records of one batch are handled concurrently, each in its own scope).
  const correlatedRecordHandler = (record: SQSRecord): Promise<void> =>
    withCorrelationId(recordCorrelationId(record), () => recordHandler(record));
  return observedInvocation<SQSEvent, SQSBatchResponse>((event, context) =>
    processPartialResponse(event, correlatedRecordHandler, processor, { context, throwOnFullBatchFailure: false }),
  );
}

/**
 * The correlation id a record carries: its `correlationId` message attribute (every message we send has it, and
 * SNS raw delivery passes it on), else the one in the SNS envelope's attributes (delivery without raw) or in the
 * message's own envelope (customer events), else the record's message id: a message from outside (Amazon's
 * notifications) starts its own piece of work.
 */
export function recordCorrelationId(record: SQSRecord): string {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a record made by hand (a redrive tool, a test) may have none
  const attribute = record.messageAttributes?.[CORRELATION_ATTRIBUTE]?.stringValue;
  if (attribute) return attribute;
  try {
    const body = JSON.parse(record.body) as unknown;
    if (isSnsEnvelope(body)) {
      const fromEnvelope = body.MessageAttributes?.[CORRELATION_ATTRIBUTE]?.Value;
      if (typeof fromEnvelope === 'string' && fromEnvelope) return fromEnvelope;
      const inner = JSON.parse(body.Message) as unknown;
      if (hasCorrelationId(inner)) return inner.correlationId;
    } else if (hasCorrelationId(body)) {
      return body.correlationId;
    }
  } catch {
    // Not JSON: the contract check turns it away; its log lines carry the message id.
  }
  return record.messageId;
}

function hasCorrelationId(value: unknown): value is { correlationId: string } {
  if (typeof value !== 'object' || value === null) return false;
  const id = (value as Record<string, unknown>).correlationId;
  return typeof id === 'string' && id.length > 0;
}

/** Accepts the raw message (raw delivery) or the SNS envelope around it, then checks the contract. */
export function parseMessage<S extends z.ZodType>(schema: S, body: string): z.infer<S> {
  let payload: unknown;
  try {
    payload = JSON.parse(body) as unknown;
    if (isSnsEnvelope(payload)) payload = JSON.parse(payload.Message) as unknown;
  } catch {
    throw new ValidationError('message body is not JSON');
  }
  const result = schema.safeParse(payload);
  if (!result.success) {
    const first = result.error.issues[0];
    throw new ValidationError(`message does not match its contract: ${first?.path.join('.') || '(root)'}: ${first?.message}`);
  }
  return result.data;
}

function isSnsEnvelope(value: unknown): value is { Type: 'Notification'; Message: string; MessageAttributes?: Partial<Record<string, { Value?: unknown }>> } {
  return (
    typeof value === 'object' && value !== null &&
    (value as Record<string, unknown>).Type === 'Notification' &&
    typeof (value as Record<string, unknown>).Message === 'string'
  );
}

export const UPSTREAM_ATTEMPTS = 4;
export const UPSTREAM_BACKOFF_BASE_SECONDS = 30;

/** The delay before the next delivery after an upstream failure on delivery `attempt`: 30 s · 2^(attempt-1), at most 15 minutes. */
export function upstreamRetryDelaySeconds(attempt: number): number {
  return Math.min(900, UPSTREAM_BACKOFF_BASE_SECONDS * 2 ** (attempt - 1));
}

/** Delays the record's next delivery (`upstreamRetryDelaySeconds`) so a failing upstream is not hammered. */
async function backOff(retryLater: RetryLater, record: SQSRecord, attempt: number): Promise<void> {
  try {
    await retryLater.delay(record, upstreamRetryDelaySeconds(attempt));
  } catch (error) {
    // The queue's own visibility timeout still delays the retry; the backoff is an optimisation.
    logger.warn('could not delay the retry', { messageId: record.messageId, error: error as Error });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : JSON.stringify(error);
}

async function deadLetter(deadLetters: DeadLetterQueue, record: SQSRecord, reason: string): Promise<void> {
  logger.error('poison message moved to the DLQ', { messageId: record.messageId, reason });
  await deadLetters.send(record, reason);
}
