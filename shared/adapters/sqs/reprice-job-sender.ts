/** The repricer tick's fan-out: reprice jobs (keys, contract V2) onto the jobs queue, batched within SQS's size limits. */
import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { RepriceJobV2 } from '#shared/contracts/repricer-messages.ts';
import type { JobSender } from '#shared/repricer/ports.ts';
import type { TickJob } from '#shared/repricer/model.ts';

/** SQS: one message ≤ 256 KiB, one SendMessageBatch ≤ 10 messages and ≤ 1 MiB in all (the sum of the bodies). */
export const SQS_LIMITS = { messageBytes: 256 * 1024, batchBytes: 1024 * 1024, batchEntries: 10 } as const;

export class SqsRepriceJobSender implements JobSender {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(jobs: readonly TickJob[]): Promise<void> {
    let batch: string[] = [];
    let batchBytes = 0;
    for (const job of jobs) {
      const body = JSON.stringify(repriceJobV2Of(job));
      const bytes = Buffer.byteLength(body, 'utf8');
      // Cannot happen with the contract's 500 keys; failing here names the job instead of SQS's bare refusal.
      if (bytes > SQS_LIMITS.messageBytes) throw new Error(`reprice job of ${job.keys.length} offers is ${bytes} bytes, above SQS's ${SQS_LIMITS.messageBytes}`);
      if (batch.length === SQS_LIMITS.batchEntries || batchBytes + bytes > SQS_LIMITS.batchBytes) {
        await this.sendBatch(batch);
        batch = [];
        batchBytes = 0;
      }
      batch.push(body);
      batchBytes += bytes;
    }
    if (batch.length > 0) await this.sendBatch(batch);
  }

  private async sendBatch(bodies: readonly string[]): Promise<void> {
    const entries = bodies.map((body, k) => ({ Id: String(k), MessageBody: body }));
    const { Failed = [] } = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
    // A batch succeeds per entry: the ones SQS refused are sent again one by one (a failure then throws).
    for (const failed of Failed) {
      const entry = entries[Number(failed.Id)];
      if (entry) await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: entry.MessageBody }));
    }
  }
}

function repriceJobV2Of(job: TickJob): RepriceJobV2 {
  return {
    version: 2,
    marketplaceId: job.marketplaceId,
    fetchBudget: job.fetchBudget,
    bulk: job.bulk,
    offers: job.keys.map((k) => ({ tenantId: k.tenantId, audience: k.audience, asin: k.asin, sku: k.sku })),
  };
}
