/**
 * The one way to consume a queue. Powertools BatchProcessor reports partial batch failures so only failed
 * records come back; a record that can never succeed (malformed, failing its contract) is sent straight to
 * the queue's DLQ with the reason as a message attribute and acknowledged, instead of burning retries.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { z } from 'zod';
import { ValidationError } from '../../kernel/errors.ts';
import { logger } from '../observability.ts';
import type { DeadLetterQueue } from './dead-letter-queue.ts';

export type QueueHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export function queueConsumer<S extends z.ZodType>(options: {
  /** The DLQ of the queue this consumer reads: it receives the poison messages. */
  readonly deadLetters: DeadLetterQueue;
  readonly message: S;
  readonly handle: (message: z.infer<S>, record: SQSRecord) => Promise<unknown>;
}): QueueHandler {
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    let message: z.infer<S>;
    try {
      message = parseMessage(options.message, record.body);
    } catch (error) {
      if (error instanceof ValidationError) return deadLetter(options.deadLetters, record, error.message);
      throw error;
    }
    try {
      await options.handle(message, record);
    } catch (error) {
      if (error instanceof ValidationError) return deadLetter(options.deadLetters, record, error.message);
      logger.warn('record failed; it will be retried', { messageId: record.messageId, error: error as Error });
      throw error;
    }
  };
  return (event, context) =>
    processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false });
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

function isSnsEnvelope(value: unknown): value is { Type: 'Notification'; Message: string } {
  return (
    typeof value === 'object' && value !== null &&
    (value as Record<string, unknown>).Type === 'Notification' &&
    typeof (value as Record<string, unknown>).Message === 'string'
  );
}

async function deadLetter(deadLetters: DeadLetterQueue, record: SQSRecord, reason: string): Promise<void> {
  logger.error('poison message moved to the DLQ', { messageId: record.messageId, reason });
  await deadLetters.send(record, reason);
}
