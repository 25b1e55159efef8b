/** The scheduled tick's fan-out: one shard tick (contract shardTickV1) per `due` shard, in one SendMessageBatch. */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { ShardTickV1 } from '#shared/contracts/repricer-messages.ts';
import type { ShardTick, ShardTickSender } from '#shared/repricer/ports.ts';
import { sendMessageBatches } from './send-batches.ts';

export class SqsShardTickSender implements ShardTickSender {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(ticks: readonly ShardTick[]): Promise<void> {
    // A second refusal throws, so the scheduler's retry runs the whole fan-out again (a shard ticked twice only sends
    // jobs the workers skip).
    await sendMessageBatches(this.sqs, this.queueUrl, ticks.map((t) => JSON.stringify({ version: 1, ...t } satisfies ShardTickV1)), 'shard ticks');
  }
}
