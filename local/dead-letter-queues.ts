/**
 * The local stack's dead-letter queues for `sellerops dlq --local <url>`. The stack runs the SQS adapter
 * (`SqsDeadLetterQueues`) against its own fauxqs in-process, behind `/_local/dlq/*` routes, because its SQS endpoint
 * takes only requests signed with a secret that never leaves the process; `LocalDeadLetterQueues` is the port's
 * adapter on the CLI's side of those routes.
 */
import * as z from 'zod';
import { queues } from '#infra/wiring.ts';
import type { DeadLetter, DeadLetterQueueStatus, DeadLetterQueues, MoveTask } from '#shared/operations/index.ts';
import type { QueuePair } from '#shared/adapters/sqs/dead-letter-queues.ts';
import type { LocalRouteHandler } from './http-api.ts';
import type { LocalMessaging } from './messaging.ts';

/** Every wired queue of the local stack with its DLQ. */
export function localQueuePairs(messaging: LocalMessaging): QueuePair[] {
  return Object.entries(queues).map(([queue, spec]) => ({
    queue,
    sourceName: spec.name,
    sourceUrl: messaging.queueUrls[queue]!,
    deadLetterName: `${spec.name}-dlq`,
    deadLetterUrl: messaging.deadLetterQueueUrls[queue]!,
  }));
}

const queueName = z.string().refine((q) => q in queues, { error: 'not a wired queue id' });
const peekQuery = z.object({ queue: queueName, max: z.coerce.number().int().min(1).max(10_000) });
const discardBody = z.strictObject({ queue: queueName, messageIds: z.array(z.string().min(1)).max(10_000) });
const moveBody = z.strictObject({ queue: queueName });

/** The `/_local/dlq/*` routes over the stack's adapter. */
export function deadLetterRoutes(adapter: DeadLetterQueues): Record<string, LocalRouteHandler> {
  const invalid = (error: z.ZodError) => ({
    status: 400,
    body: { error: { code: 'validation_failed', message: error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') } },
  });
  return {
    'GET /_local/dlq/queues': async () => ({ status: 200, body: { items: await adapter.statuses() } }),
    'GET /_local/dlq/messages': async ({ query }) => {
      const parsed = peekQuery.safeParse(Object.fromEntries(query));
      if (!parsed.success) return invalid(parsed.error);
      return { status: 200, body: { items: await adapter.peek(parsed.data.queue, parsed.data.max) } };
    },
    'POST /_local/dlq/discard': async ({ body }) => {
      const parsed = discardBody.safeParse(body ?? {});
      if (!parsed.success) return invalid(parsed.error);
      return { status: 200, body: { deleted: await adapter.discard(parsed.data.queue, parsed.data.messageIds) } };
    },
    'POST /_local/dlq/moves': async ({ body }) => {
      const parsed = moveBody.safeParse(body ?? {});
      if (!parsed.success) return invalid(parsed.error);
      return { status: 200, body: { task: await adapter.startMove(parsed.data.queue) } };
    },
    'GET /_local/dlq/moves': async ({ query }) => {
      const parsed = z.object({ queue: queueName }).safeParse(Object.fromEntries(query));
      if (!parsed.success) return invalid(parsed.error);
      return { status: 200, body: { items: await adapter.moves(parsed.data.queue) } };
    },
  };
}

const date = z.iso.datetime().transform((s) => new Date(s));
const statusSchema = z.object({
  queue: z.string(),
  sourceName: z.string(),
  deadLetterName: z.string(),
  depth: z.number().int(),
  inFlight: z.number().int(),
  oldestSentAt: date.nullable(),
});
const letterSchema = z.object({
  messageId: z.string(),
  body: z.string(),
  sentAt: date,
  dlqReceiveCount: z.number().int(),
  attributes: z.record(z.string(), z.string()),
});
const taskSchema = z.object({
  taskHandle: z.string().nullable(),
  status: z.enum(['RUNNING', 'COMPLETED', 'CANCELLING', 'CANCELLED', 'FAILED']),
  moved: z.number().int(),
  toMove: z.number().int().nullable(),
  startedAt: date,
  failureReason: z.string().nullable(),
});

/** The port over a running local stack's `/_local/dlq/*` routes (`url`: the stack's API, e.g. http://localhost:4000). */
export class LocalDeadLetterQueues implements DeadLetterQueues {
  constructor(private readonly url: string) {}

  async statuses(): Promise<DeadLetterQueueStatus[]> {
    return (await this.call('GET', '/_local/dlq/queues', z.object({ items: z.array(statusSchema) }))).items;
  }

  async peek(queue: string, max: number): Promise<DeadLetter[]> {
    const query = new URLSearchParams({ queue, max: String(max) });
    return (await this.call('GET', `/_local/dlq/messages?${query.toString()}`, z.object({ items: z.array(letterSchema) }))).items;
  }

  async discard(queue: string, messageIds: readonly string[]): Promise<number> {
    return (await this.call('POST', '/_local/dlq/discard', z.object({ deleted: z.number().int() }), { queue, messageIds })).deleted;
  }

  async startMove(queue: string): Promise<MoveTask> {
    return (await this.call('POST', '/_local/dlq/moves', z.object({ task: taskSchema }), { queue })).task;
  }

  async moves(queue: string): Promise<MoveTask[]> {
    return (await this.call('GET', `/_local/dlq/moves?${new URLSearchParams({ queue }).toString()}`, z.object({ items: z.array(taskSchema) }))).items;
  }

  private async call<S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown): Promise<z.infer<S>> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.url), {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new Error(`the local stack at ${this.url} does not answer (${(error as Error).message}): is \`npm start\` running?`, { cause: error });
    }
    const text = await response.text();
    if (!response.ok) throw new Error(`the local stack answered ${method} ${path} with ${response.status}: ${text.slice(0, 500)}`);
    const parsed = schema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`the local stack's answer to ${method} ${path} is not what this CLI expects: ${parsed.error.message}`);
    return parsed.data;
  }
}
