import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ReportFetchStep } from '#shared/lost-and-found/report-fetch.ts';
import type { ReportFetchQueue } from '#shared/lost-and-found/ports.ts';

/** Steps of the daily report fetch (`reportFetchStepV1`); the delay is how a step waits for Amazon (SQS: ≤ 900 s). */
export class SqsReportFetchQueue implements ReportFetchQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(step: ReportFetchStep, delaySeconds: number): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify({ version: 1, ...step }),
        DelaySeconds: Math.max(0, Math.min(900, Math.round(delaySeconds))),
      }),
    );
  }
}
