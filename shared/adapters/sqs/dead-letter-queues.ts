/**
 * The operator's dead-letter queues on SQS (the `DeadLetterQueues` port of `sellerops dlq`): depth, messages read
 * without consuming them, and the way back to the source queue through SQS's own `StartMessageMoveTask`. The same
 * adapter serves AWS and the local stack (whose fauxqs stand-in implements the move task, `local/fauxqs-server.ts`).
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  StartMessageMoveTaskCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { DeadLetter, DeadLetterQueueStatus, DeadLetterQueues, MoveTask, MoveTaskStatus } from '#shared/operations/index.ts';

/** A wired queue and its DLQ, as found in the account (or the local stack). */
export interface QueuePair {
  /** Wiring id (`csmNotifier`). */
  readonly queue: string;
  readonly sourceName: string;
  readonly sourceUrl: string;
  readonly deadLetterName: string;
  readonly deadLetterUrl: string;
}

/** How long a peeked message stays hidden should the reader die before handing it back. */
export const PEEK_HOLD_SECONDS = 60;
/** Messages `statuses` reads per DLQ to find the oldest (a DLQ deeper than this shows the oldest of those read). */
export const STATUS_PEEK_LIMIT = 1_000;

export class SqsDeadLetterQueues implements DeadLetterQueues {
  private readonly arns = new Map<string, string>();

  constructor(
    private readonly sqs: SQSClient,
    private readonly pairs: readonly QueuePair[],
  ) {}

  async statuses(): Promise<DeadLetterQueueStatus[]> {
    return Promise.all(
      this.pairs.map(async (pair) => {
        const { depth, inFlight } = await this.depth(pair.deadLetterUrl);
        // SQS keeps no "oldest message" attribute (CloudWatch's metric lags minutes and is absent for idle
        // queues): read the messages, which nothing else consumes in a DLQ, and hand them straight back.
        const messages = depth > 0 ? await this.readAll(pair.deadLetterUrl, Math.min(depth, STATUS_PEEK_LIMIT), 'restore') : [];
        const oldest = messages.reduce<number | null>((min, m) => (min === null || m.sentAt.getTime() < min ? m.sentAt.getTime() : min), null);
        return { queue: pair.queue, sourceName: pair.sourceName, deadLetterName: pair.deadLetterName, depth, inFlight, oldestSentAt: oldest === null ? null : new Date(oldest) };
      }),
    );
  }

  async peek(queue: string, max: number): Promise<DeadLetter[]> {
    return this.readAll(this.pair(queue).deadLetterUrl, max, 'restore');
  }

  async discard(queue: string, messageIds: readonly string[]): Promise<number> {
    const wanted = new Set(messageIds);
    const url = this.pair(queue).deadLetterUrl;
    let deleted = 0;
    await this.readAll(url, Number.MAX_SAFE_INTEGER, async (received) => {
      const doomed = received.filter((m) => wanted.has(m.MessageId ?? ''));
      for (let i = 0; i < doomed.length; i += 10) {
        const batch = doomed.slice(i, i + 10);
        const result = await this.sqs.send(
          new DeleteMessageBatchCommand({ QueueUrl: url, Entries: batch.map((m, n) => ({ Id: String(n), ReceiptHandle: m.ReceiptHandle! })) }),
        );
        deleted += result.Successful?.length ?? 0;
      }
      return received.filter((m) => !wanted.has(m.MessageId ?? ''));
    });
    return deleted;
  }

  async startMove(queue: string): Promise<MoveTask> {
    const pair = this.pair(queue);
    const [source, destination] = await Promise.all([this.arn(pair.deadLetterUrl), this.arn(pair.sourceUrl)]);
    const started = await this.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: source, DestinationArn: destination }));
    const task = (await this.moves(queue)).find((t) => t.taskHandle === started.TaskHandle);
    return task ?? { taskHandle: started.TaskHandle ?? null, status: 'RUNNING', moved: 0, toMove: null, startedAt: new Date(), failureReason: null };
  }

  async moves(queue: string): Promise<MoveTask[]> {
    const result = await this.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: await this.arn(this.pair(queue).deadLetterUrl), MaxResults: 10 }));
    return (result.Results ?? []).map((r) => ({
      taskHandle: r.TaskHandle ?? null,
      status: moveStatus(r.Status),
      moved: r.ApproximateNumberOfMessagesMoved ?? 0,
      toMove: r.ApproximateNumberOfMessagesToMove ?? null,
      startedAt: new Date(r.StartedTimestamp ?? 0),
      failureReason: r.FailureReason ?? null,
    }));
  }

  private pair(queue: string): QueuePair {
    const pair = this.pairs.find((p) => p.queue === queue);
    if (!pair) throw new Error(`no queue "${queue}" here (known: ${this.pairs.map((p) => p.queue).join(', ')})`);
    return pair;
  }

  private async depth(url: string): Promise<{ depth: number; inFlight: number }> {
    const { Attributes = {} } = await this.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    return { depth: Number(Attributes.ApproximateNumberOfMessages ?? 0), inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) };
  }

  private async arn(url: string): Promise<string> {
    const known = this.arns.get(url);
    if (known) return known;
    const { Attributes = {} } = await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
    if (!Attributes.QueueArn) throw new Error(`${url} has no QueueArn`);
    this.arns.set(url, Attributes.QueueArn);
    return Attributes.QueueArn;
  }

  /**
   * Receives up to `max` messages, holding each for PEEK_HOLD_SECONDS, then hands back (visibility 0) what
   * `keep` returns (all of them with 'restore'). The hold is released in `finally`, so an error hands back too.
   */
  private async readAll(url: string, max: number, keep: 'restore' | ((received: Message[]) => Promise<Message[]>)): Promise<DeadLetter[]> {
    const received = new Map<string, Message>();
    try {
      while (received.size < max) {
        const { Messages = [] } = await this.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: url,
            MaxNumberOfMessages: Math.min(10, max - received.size),
            VisibilityTimeout: PEEK_HOLD_SECONDS,
            // Long polling asks every SQS server, so an empty answer means the visible messages are all read.
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
            MessageAttributeNames: ['All'],
          }),
        );
        if (Messages.length === 0) break;
        for (const m of Messages) if (m.MessageId) received.set(m.MessageId, m);
      }
    } finally {
      const all = [...received.values()];
      const handBack = keep === 'restore' ? all : await keep(all);
      await this.handBack(url, handBack);
    }
    return [...received.values()].map(toDeadLetter);
  }

  private async handBack(url: string, messages: readonly Message[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      const batch = messages.slice(i, i + 10);
      await this.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: url,
          Entries: batch.map((m, n) => ({ Id: String(n), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })),
        }),
      );
    }
  }
}

function toDeadLetter(message: Message): DeadLetter {
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) if (value.StringValue !== undefined) attributes[name] = value.StringValue;
  return {
    messageId: message.MessageId ?? '',
    body: message.Body ?? '',
    sentAt: new Date(Number(message.Attributes?.SentTimestamp ?? 0)),
    dlqReceiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
    attributes,
  };
}

const MOVE_STATUSES: readonly MoveTaskStatus[] = ['RUNNING', 'COMPLETED', 'CANCELLING', 'CANCELLED', 'FAILED'];

function moveStatus(value: string | undefined): MoveTaskStatus {
  const status = MOVE_STATUSES.find((s) => s === value);
  if (!status) throw new Error(`SQS answered an unknown move task status ${JSON.stringify(value)}`);
  return status;
}

/**
 * The wired queues as deployed: listed by name prefix, each wiring name found as deployed with or without a stage
 * (`sellerops-csm-notifier`, `sellerops-dev-csm-notifier`, `sellerops-csm-notifier-dev`), its DLQ `<name>-dlq`.
 * Returns the pairs found and the wiring ids not found.
 */
export async function findQueuePairs(
  sqs: SQSClient,
  wired: readonly { readonly queue: string; readonly name: string }[],
  options: { readonly prefix: string; readonly stage?: string },
): Promise<{ pairs: QueuePair[]; missing: string[] }> {
  const urls: string[] = [];
  let token: string | undefined;
  do {
    const page = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: options.prefix, MaxResults: 1000, ...(token ? { NextToken: token } : {}) }));
    urls.push(...(page.QueueUrls ?? []));
    token = page.NextToken;
  } while (token);
  const byName = new Map(urls.map((url) => [url.slice(url.lastIndexOf('/') + 1), url]));
  const pairs: QueuePair[] = [];
  const missing: string[] = [];
  for (const { queue, name } of wired) {
    const deployed = deployedNames(name, options.stage).find((candidate) => byName.has(candidate) && byName.has(`${candidate}-dlq`));
    if (deployed === undefined) {
      missing.push(queue);
      continue;
    }
    pairs.push({ queue, sourceName: deployed, sourceUrl: byName.get(deployed)!, deadLetterName: `${deployed}-dlq`, deadLetterUrl: byName.get(`${deployed}-dlq`)! });
  }
  return { pairs, missing };
}

/** The names a wired queue may carry when deployed for a stage (the wiring's own name first). */
export function deployedNames(name: string, stage?: string): string[] {
  if (!stage) return [name];
  const [product, ...rest] = name.split('-');
  return [`${product}-${stage}-${rest.join('-')}`, `${name}-${stage}`, name];
}
