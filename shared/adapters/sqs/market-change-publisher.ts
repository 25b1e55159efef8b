/** Market changes the repricer noticed (e.g. Amazon retail joined a listing), one message each onto their queue. */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { MarketChangedV1 } from '#shared/contracts/repricer-messages.ts';
import type { MarketChange } from '#shared/repricer/market-changes.ts';
import type { MarketChangeSink } from '#shared/repricer/ports.ts';

export class SqsMarketChangePublisher implements MarketChangeSink {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async publish(changes: readonly MarketChange[]): Promise<void> {
    for (const change of changes) {
      const message: MarketChangedV1 = { eventType: 'market.changed', version: 1, ...change };
      await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(message) }));
    }
  }
}
