/**
 * The operator's view of the dead-letter queues (`sellerops dlq …`): one port, an SQS adapter for AWS
 * (`shared/adapters/sqs/dead-letter-queues.ts`) and the local stack's (`local/dead-letter-queues-client.ts`).
 * Queues are named by their wiring id (`csmNotifier`); each has one DLQ (`<name>-dlq`).
 */

/** Depth and age of one DLQ. */
export interface DeadLetterQueueStatus {
  /** Wiring id of the source queue. */
  readonly queue: string;
  /** Physical names: the source queue and its DLQ. */
  readonly sourceName: string;
  readonly deadLetterName: string;
  /** Messages waiting in the DLQ (visible), and those someone holds right now (in flight). */
  readonly depth: number;
  readonly inFlight: number;
  /** When the oldest message was put into the DLQ (null: empty). */
  readonly oldestSentAt: Date | null;
}

/** One message in a DLQ, as the consumer that dead-lettered it described it. */
export interface DeadLetter {
  readonly messageId: string;
  readonly body: string;
  /** When it was put into the DLQ. */
  readonly sentAt: Date;
  /** Times the DLQ itself handed it out (peeks by operators included). */
  readonly dlqReceiveCount: number;
  /** Message attributes the consumer set: `reason`, `sourceQueue`, `sourceMessageId`, `sourceSentTimestamp`, `sourceReceiveCount`, `previousReason`. */
  readonly attributes: Readonly<Record<string, string>>;
}

export type MoveTaskStatus = 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';

/** One SQS message move task (StartMessageMoveTask) from a DLQ back to its source queue. */
export interface MoveTask {
  readonly taskHandle: string | null;
  readonly status: MoveTaskStatus;
  readonly moved: number;
  readonly toMove: number | null;
  readonly startedAt: Date;
  readonly failureReason: string | null;
}

export interface DeadLetterQueues {
  /** Every wired queue's DLQ. */
  statuses(): Promise<DeadLetterQueueStatus[]>;
  /**
   * Up to `max` messages of the queue's DLQ, read without consuming them: each is handed back (visibility 0) as
   * soon as it has been read, and comes back by itself after a minute should the reader die.
   */
  peek(queue: string, max: number): Promise<DeadLetter[]>;
  /** Deletes these messages from the queue's DLQ (those that may never be replayed); returns how many went. */
  discard(queue: string, messageIds: readonly string[]): Promise<number>;
  /** Starts moving every message of the DLQ back to its source queue (SQS StartMessageMoveTask). */
  startMove(queue: string): Promise<MoveTask>;
  /** The most recent move tasks of the queue's DLQ, newest first. */
  moves(queue: string): Promise<MoveTask[]>;
}
