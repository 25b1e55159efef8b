/** The scheduled tick's fan-out: one shard tick (contract shardTickV1) per `due` shard, in one SendMessageBatch. */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ShardTickV1 } from '#shared/contracts/repricer-messages.ts';
import type { ShardTick, ShardTickSender } from '#shared/repricer/ports.ts';

export class SqsShardTickSender implements ShardTickSender {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(ticks: readonly ShardTick[]): Promise<void> {
    for (let i = 0; i < ticks.length; i += 10) {
      let entries = ticks.slice(i, i + 10).map((t, k) => ({ Id: String(k), MessageBody: JSON.stringify({ version: 1, ...t } satisfies ShardTickV1) }));
      // SQS accepts a batch per entry: the refused ones are sent again once; a second refusal throws, so the
      // scheduler's retry runs the whole fan-out again (a shard ticked twice only sends jobs the workers skip).
      for (let attempt = 0; entries.length > 0; attempt++) {
        const { Failed = [] } = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
        if (Failed.length > 0 && attempt >= 1) throw new Error(`SQS refused ${Failed.length} shard ticks: ${Failed[0]?.Message ?? ''}`);
        entries = entries.filter((e) => Failed.some((f) => f.Id === e.Id));
      }
    }
  }
}
