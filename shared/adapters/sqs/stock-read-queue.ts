/** The hourly stock plan's fan-out: one stock reading (contract stockReadV1) per tenant × marketplace, 10 a SendMessageBatch. */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { StockReadV1 } from '#shared/contracts/repricer-messages.ts';
import type { StockReadQueue, StockReadRequest } from '#shared/repricer/ports.ts';

export class SqsStockReadQueue implements StockReadQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(requests: readonly StockReadRequest[]): Promise<void> {
    for (let i = 0; i < requests.length; i += 10) {
      let entries = requests.slice(i, i + 10).map((r, k) => ({ Id: String(k), MessageBody: JSON.stringify({ version: 1, ...r } satisfies StockReadV1) }));
      // Entries SQS refused are sent again once; a second refusal throws (the plan reports the tenant as failed and
      // the next hour reads it: a reading sent twice only writes what changed).
      for (let attempt = 0; entries.length > 0; attempt++) {
        const { Failed = [] } = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
        if (Failed.length > 0 && attempt >= 1) throw new Error(`SQS refused ${Failed.length} stock readings: ${Failed[0]?.Message ?? ''}`);
        entries = entries.filter((e) => Failed.some((f) => f.Id === e.Id));
      }
    }
  }
}
