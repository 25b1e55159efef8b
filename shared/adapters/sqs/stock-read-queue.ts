/**
 * The hourly stock plan's fan-out: one stock reading (contract stockReadV1) per tenant × marketplace. A second refusal
 * throws: the plan reports the tenant as failed and the next hour reads it (a reading sent twice only writes what changed).
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { StockReadV1 } from '#shared/contracts/repricer-messages.ts';
import type { StockReadQueue, StockReadRequest } from '#shared/repricer/ports.ts';
import { sendMessageBatches } from './send-batches.ts';

export class SqsStockReadQueue implements StockReadQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(requests: readonly StockReadRequest[]): Promise<void> {
    await sendMessageBatches(this.sqs, this.queueUrl, requests.map((r) => JSON.stringify({ version: 1, ...r } satisfies StockReadV1)), 'stock readings');
  }
}
