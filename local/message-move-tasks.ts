/**
 * SQS's message move tasks (StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask), which fauxqs lacks,
 * for the local stack's SQS stand-in: `sellerops dlq redrive` runs the same SQS adapter against it as against AWS.
 *
 * As in SQS, the source must be a queue some queue's RedrivePolicy names as its DLQ, and one task at a time runs per
 * source. The move itself is done at once: every visible message of the source (its body and attributes) goes to
 * the destination, so a task is COMPLETED when it is listed. A destination is required here: SQS would otherwise
 * send each message back to the queue SQS dead-lettered it from, and our consumers dead-letter by SendMessage, so no
 * message of ours has such a queue.
 */
import { randomUUID } from 'node:crypto';

/** The parts of fauxqs's SQS store (its queue objects and their message lists) a move touches. */
export interface MovableQueue {
  readonly arn: string;
  readonly attributes: Record<string, string>;
  messages: { body: string; messageAttributes?: unknown }[];
  enqueue(message: unknown): void;
}
export interface MovableStore {
  queuesByName: Map<string, MovableQueue>;
  getQueueByArn(arn: string): MovableQueue | undefined;
}
/** fauxqs's own message factory (SqsStore.createMessage), so a moved message is exactly what SendMessage makes. */
export type CreateMessage = (body: string, messageAttributes: unknown) => unknown;

interface Task {
  readonly TaskHandle: string;
  Status: 'RUNNING' | 'COMPLETED' | 'CANCELLED' | 'FAILED';
  readonly SourceArn: string;
  readonly DestinationArn: string;
  ApproximateNumberOfMessagesMoved: number;
  readonly ApproximateNumberOfMessagesToMove: number;
  readonly StartedTimestamp: number;
}

export interface SqsJsonAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

const ACTIONS = ['AmazonSQS.StartMessageMoveTask', 'AmazonSQS.ListMessageMoveTasks', 'AmazonSQS.CancelMessageMoveTask'] as const;

export class MessageMoveTasks {
  private readonly tasks = new Map<string, Task[]>();

  constructor(
    private readonly store: MovableStore,
    private readonly createMessage: CreateMessage,
  ) {}

  /** True for the SQS JSON actions (`X-Amz-Target`) this class answers. */
  handles(target: unknown): target is (typeof ACTIONS)[number] {
    return ACTIONS.some((action) => action === target);
  }

  answer(target: (typeof ACTIONS)[number], input: unknown): SqsJsonAnswer {
    const body = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
    if (target === 'AmazonSQS.StartMessageMoveTask') return this.start(body);
    if (target === 'AmazonSQS.ListMessageMoveTasks') return this.list(body);
    return this.cancel(body);
  }

  private start(body: Record<string, unknown>): SqsJsonAnswer {
    const sourceArn = typeof body.SourceArn === 'string' ? body.SourceArn : '';
    const destinationArn = typeof body.DestinationArn === 'string' ? body.DestinationArn : '';
    const source = this.store.getQueueByArn(sourceArn);
    if (!source) return error('ResourceNotFoundException', `The resource ${sourceArn || '(no SourceArn)'} does not exist.`);
    const isDeadLetterQueue = [...this.store.queuesByName.values()].some((q) => redriveTarget(q) === sourceArn);
    if (!isDeadLetterQueue) return error('UnsupportedOperation', 'Source queue must be configured as a Dead Letter Queue.');
    if (!destinationArn) return error('InvalidParameterValue', 'DestinationArn is required by the local stack: its messages were dead-lettered by their consumers, not by SQS.');
    const destination = this.store.getQueueByArn(destinationArn);
    if (!destination) return error('ResourceNotFoundException', `The resource ${destinationArn} does not exist.`);
    if ((this.tasks.get(sourceArn) ?? []).some((t) => t.Status === 'RUNNING')) {
      return error('InvalidParameterValue', 'There is already a task running. Only one active task is allowed for a source queue arn at a given time.');
    }
    const moving = source.messages.splice(0, source.messages.length);
    const task: Task = {
      TaskHandle: Buffer.from(JSON.stringify({ taskId: randomUUID(), sourceArn })).toString('base64'),
      Status: 'RUNNING',
      SourceArn: sourceArn,
      DestinationArn: destinationArn,
      ApproximateNumberOfMessagesMoved: 0,
      ApproximateNumberOfMessagesToMove: moving.length,
      StartedTimestamp: Date.now(),
    };
    for (const message of moving) {
      destination.enqueue(this.createMessage(message.body, message.messageAttributes ?? {}));
      task.ApproximateNumberOfMessagesMoved++;
    }
    task.Status = 'COMPLETED';
    this.tasks.set(sourceArn, [task, ...(this.tasks.get(sourceArn) ?? [])]);
    return { status: 200, body: { TaskHandle: task.TaskHandle } };
  }

  private list(body: Record<string, unknown>): SqsJsonAnswer {
    const sourceArn = typeof body.SourceArn === 'string' ? body.SourceArn : '';
    if (!this.store.getQueueByArn(sourceArn)) return error('ResourceNotFoundException', `The resource ${sourceArn || '(no SourceArn)'} does not exist.`);
    const max = typeof body.MaxResults === 'number' ? body.MaxResults : 1;
    if (max < 1 || max > 10) return error('InvalidParameterValue', 'Value for parameter MaxResults is invalid. Reason: Must be between 1 and 10.');
    // As in SQS, a task's handle is shown only while it runs.
    const results = (this.tasks.get(sourceArn) ?? []).slice(0, max).map(({ TaskHandle, ...task }) => (task.Status === 'RUNNING' ? { TaskHandle, ...task } : task));
    return { status: 200, body: { Results: results } };
  }

  private cancel(body: Record<string, unknown>): SqsJsonAnswer {
    const handle = typeof body.TaskHandle === 'string' ? body.TaskHandle : '';
    const task = [...this.tasks.values()].flat().find((t) => t.TaskHandle === handle);
    if (!task) return error('ResourceNotFoundException', 'The task handle does not exist.');
    if (task.Status !== 'RUNNING') return error('InvalidParameterValue', `Task is in ${task.Status} status and cannot be cancelled.`);
    task.Status = 'CANCELLED';
    return { status: 200, body: { ApproximateNumberOfMessagesMoved: task.ApproximateNumberOfMessagesMoved } };
  }
}

function redriveTarget(queue: MovableQueue): string | undefined {
  const policy = queue.attributes.RedrivePolicy;
  if (!policy) return undefined;
  try {
    const parsed = JSON.parse(policy) as { deadLetterTargetArn?: unknown };
    return typeof parsed.deadLetterTargetArn === 'string' ? parsed.deadLetterTargetArn : undefined;
  } catch {
    return undefined;
  }
}

function error(code: string, message: string): SqsJsonAnswer {
  return { status: 400, body: { __type: `com.amazonaws.sqs#${code}`, message } };
}
