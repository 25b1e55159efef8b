/**
 * The one way to send many messages to a queue: ten per SendMessageBatch. SQS accepts or refuses each entry on its own;
 * the refused ones are sent again once, and a second refusal throws (`SQS refused <n> <what>: <SQS's message>`), so the
 * caller's own retry sends the whole lot again (every consumer of these queues is idempotent).
 */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

export async function sendMessageBatches(sqs: SQSClient, queueUrl: string, bodies: readonly string[], what: string): Promise<void> {
  for (let i = 0; i < bodies.length; i += 10) {
    let entries = bodies.slice(i, i + 10).map((body, k) => ({ Id: String(k), MessageBody: body }));
    for (let attempt = 0; entries.length > 0; attempt++) {
      const { Failed = [] } = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      if (Failed.length > 0 && attempt >= 1) throw new Error(`SQS refused ${Failed.length} ${what}: ${Failed[0]?.Message ?? ''}`);
      entries = entries.filter((e) => Failed.some((f) => f.Id === e.Id));
    }
  }
}
