/**
 * Lambda's SQS event source, locally: long-polls each wired queue, hands the handler real SQS event records,
 * deletes what succeeded and leaves what `batchItemFailures` names (or the whole batch, if the handler threw)
 * to come back after its visibility timeout, so the queue's redrive policy moves repeated failures to the DLQ.
 */
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { functions, must, queues, type FunctionId, type FunctionSpec, type QueueId } from '#infra/wiring.ts';
import { LOCAL_REGION } from './aws-env.ts';
import { invoke, type AnyHandler } from './lambda-runtime.ts';

export interface PollerStats {
  batches: number;
  succeeded: number;
  failed: number;
}

export interface SqsPollers {
  readonly stats: Record<string, PollerStats>;
  /** Resolves once every queue was seen empty with nothing in flight (for tests and the CLI). */
  idle(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export function startSqsPollers(options: {
  handlers: Record<FunctionId, AnyHandler>;
  queueUrls: Record<QueueId, string>;
  waitTimeSeconds?: number;
  only?: readonly FunctionId[];
}): SqsPollers {
  const client = new SQSClient({ region: LOCAL_REGION, endpoint: process.env.AWS_ENDPOINT_URL_SQS });
  const controller = new AbortController();
  const stats: Record<string, PollerStats> = {};
  const emptyAt = new Map<string, number>();
  let inFlight = 0;
  const loops: Promise<void>[] = [];

  for (const [functionId, spec] of Object.entries<FunctionSpec>(functions)) {
    if (options.only && !options.only.includes(functionId)) continue;
    for (const trigger of spec.triggers) {
      if (trigger.kind !== 'sqs') continue;
      const key = `${functionId}<-${trigger.queue}`;
      stats[key] = { batches: 0, succeeded: 0, failed: 0 };
      loops.push(poll(key, functionId, trigger.queue, trigger.batchSize));
    }
  }

  async function poll(key: string, functionId: FunctionId, queue: QueueId, batchSize: number): Promise<void> {
    const queueUrl = must(options.queueUrls, queue, 'queue URL');
    const queueArn = `arn:aws:sqs:${LOCAL_REGION}:000000000000:${must(queues, queue, 'queue').name}`;
    while (!controller.signal.aborted) {
      let messages: Message[];
      try {
        const received = await client.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: Math.min(batchSize, 10),
            WaitTimeSeconds: options.waitTimeSeconds ?? 1,
            MessageAttributeNames: ['All'],
            MessageSystemAttributeNames: ['All'],
          }),
          { abortSignal: controller.signal },
        );
        messages = received.Messages ?? [];
      } catch (error) {
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- stop() aborts while the receive awaits
        if (controller.signal.aborted) return;
        process.stderr.write(`poller ${key}: ${(error as Error).message}\n`);
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      if (messages.length === 0) {
        if (!emptyAt.has(key)) emptyAt.set(key, Date.now());
        continue;
      }
      emptyAt.delete(key);
      inFlight++;
      try {
        const event: SQSEvent = { Records: messages.map((m) => toRecord(m, queueArn)) };
        let failedIds: Set<string>;
        try {
          const response = await invoke<SQSBatchResponse | undefined>(options.handlers, functionId, event);
          failedIds = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        } catch (error) {
          process.stderr.write(`${functionId} threw; the whole batch will be retried: ${(error as Error).message}\n`);
          failedIds = new Set(messages.map((m) => m.MessageId!));
        }
        const done = messages.filter((m) => !failedIds.has(m.MessageId!));
        stats[key]!.batches++;
        stats[key]!.succeeded += done.length;
        stats[key]!.failed += failedIds.size;
        if (done.length > 0) {
          await client.send(
            new DeleteMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
            }),
          );
        }
      } finally {
        inFlight--;
      }
    }
  }

  return {
    stats,
    async idle(timeoutMs = 10_000) {
      const started = Date.now();
      const quietMs = ((options.waitTimeSeconds ?? 1) * 1000) + 100;
      for (;;) {
        const now = Date.now();
        const allQuiet = [...Object.keys(stats)].every((k) => {
          const since = emptyAt.get(k);
          return since !== undefined && now - since >= quietMs;
        });
        if (allQuiet && inFlight === 0) return;
        if (now - started > timeoutMs) {
          const busy = Object.keys(stats).filter((k) => !emptyAt.has(k));
          throw new Error(`queues did not drain within ${timeoutMs} ms: still receiving from ${busy.join(', ') || 'none'}; ${inFlight} batch(es) in flight`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      controller.abort();
      await Promise.allSettled(loops);
      client.destroy();
    },
  };
}

function toRecord(message: Message, queueArn: string): SQSRecord {
  const system = message.Attributes ?? {};
  const messageAttributes: SQSRecord['messageAttributes'] = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      dataType: value.DataType ?? 'String',
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      stringListValues: [],
      binaryListValues: [],
    };
  }
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: system.ApproximateReceiveCount ?? '1',
      SentTimestamp: system.SentTimestamp ?? String(Date.now()),
      SenderId: system.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: system.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: LOCAL_REGION,
  };
}
