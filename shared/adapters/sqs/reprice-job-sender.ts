/** The repricer tick's fan-out: reprice jobs onto the jobs queue, ten per SendMessageBatch. */
import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { RepriceJobV1 } from '#shared/contracts/repricer-messages.ts';
import type { JobSender } from '#shared/repricer/ports.ts';
import type { RepriceJob } from '#shared/repricer/model.ts';

export class SqsRepriceJobSender implements JobSender {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(jobs: readonly RepriceJob[]): Promise<void> {
    const bodies = jobs.map((job) => JSON.stringify({ version: 1, ...job } satisfies Omit<RepriceJobV1, 'offers'> & { offers: unknown }));
    for (let i = 0; i < bodies.length; i += 10) {
      const entries = bodies.slice(i, i + 10).map((body, k) => ({ Id: String(k), MessageBody: body }));
      const { Failed = [] } = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
      // A batch succeeds per entry: the ones SQS refused are sent again one by one (a failure then throws).
      for (const failed of Failed) {
        const entry = entries[Number(failed.Id)];
        if (entry) await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: entry.MessageBody }));
      }
    }
  }
}
