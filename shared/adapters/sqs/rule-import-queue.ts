/** Queues the chunks of a large bulk rule upload for the rule-import consumer, ten per SendMessageBatch. */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { RuleImportChunkV1 } from '#shared/contracts/repricer-messages.ts';
import type { RuleImportQueue } from '#shared/repricer/ports.ts';

export class SqsRuleImportQueue implements RuleImportQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(chunks: readonly Omit<RuleImportChunkV1, 'version'>[]): Promise<void> {
    for (let i = 0; i < chunks.length; i += 10) {
      let entries = chunks.slice(i, i + 10).map((c, k) => ({ Id: String(k), MessageBody: JSON.stringify({ version: 1, ...c } satisfies RuleImportChunkV1) }));
      // SQS accepts a batch per entry: the refused ones are sent again (a second refusal throws: the caller gets a 5xx).
      for (let attempt = 0; entries.length > 0; attempt++) {
        const { Failed = [] } = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
        if (Failed.length > 0 && attempt >= 1) throw new Error(`SQS refused ${Failed.length} rule-import messages: ${Failed[0]?.Message ?? ''}`);
        entries = entries.filter((e) => Failed.some((f) => f.Id === e.Id));
      }
    }
  }
}
