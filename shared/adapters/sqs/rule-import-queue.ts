/** Queues the chunks of a large bulk rule upload for the rule-import consumer, ten per SendMessageBatch. */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { RuleImportChunkV1 } from '#shared/contracts/repricer-messages.ts';
import type { RuleImportQueue } from '#shared/repricer/ports.ts';
import { sendMessageBatches } from './send-batches.ts';

export class SqsRuleImportQueue implements RuleImportQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(chunks: readonly Omit<RuleImportChunkV1, 'version'>[]): Promise<void> {
    // A second refusal throws: the caller gets a 5xx.
    await sendMessageBatches(this.sqs, this.queueUrl, chunks.map((c) => JSON.stringify({ version: 1, ...c } satisfies RuleImportChunkV1)), 'rule-import messages');
  }
}
