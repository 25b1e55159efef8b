/**
 * `sellerops dlq list|show|redrive` against the local stack: messages dead-lettered by the real consumers (with their
 * `reason`), read without being consumed, redriven through StartMessageMoveTask (the local SQS stand-in's), and the
 * replay policy of each queue honoured.
 */
import { GetQueueAttributesCommand, SendMessageCommand, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDlqCommand, type DlqContext } from '../../cli/commands/dlq.ts';
import { LocalDeadLetterQueues } from '../../local/dead-letter-queues.ts';
import { startApi, type Api } from '../support/local-stack.ts';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let api: Api;
let local: LocalDeadLetterQueues;

beforeAll(async () => {
  api = await startApi();
  local = new LocalDeadLetterQueues(api.stack.url);
});
afterAll(async () => {
  await api.stack.stop();
});

/** Runs `sellerops dlq …` as the command line would, with the clock at `now`. */
async function sellerops(args: readonly string[], now = new Date()): Promise<Run> {
  let stdout = '';
  let stderr = '';
  let code = 0;
  const context: DlqContext = {
    io: {
      readText: () => Promise.reject(new Error('not used')),
      writeText: () => Promise.reject(new Error('not used')),
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
    },
    now: () => now,
    exit: (c) => {
      code = c;
    },
  };
  const program = new Command('sellerops').exitOverride();
  registerDlqCommand(program, context);
  await program.parseAsync(['node', 'sellerops', 'dlq', ...args]);
  return { code, stdout, stderr };
}

/** A message its queue's real consumer cannot parse: it dead-letters it with its reason. */
async function poison(queue: string, body: string): Promise<void> {
  await api.stack.aws.sqs().send(new SendMessageCommand({ QueueUrl: api.stack.messaging.queueUrls[queue]!, MessageBody: body }));
}

async function deadLetters(queue: string) {
  return local.peek(queue, 100);
}

describe('sellerops dlq on the local stack', () => {
  it('lists every DLQ, shows a dead-lettered message with its reason without consuming it, and redrives it to its queue', async () => {
    await poison('csmNotifier', 'not json at all');
    const [dead] = await api.eventually(() => deadLetters('csmNotifier'), (m) => m.length === 1);
    expect(dead!.attributes.reason).toBe('message body is not JSON');

    const list = await sellerops(['list', '--local', api.stack.url, '--json']);
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.stdout).queues;
    expect(rows.map((r: { queue: string }) => r.queue).sort()).toEqual(Object.keys((await import('#infra/wiring.ts')).queues).sort());
    const row = rows.find((r: { queue: string }) => r.queue === 'csmNotifier');
    expect(row).toMatchObject({ deadLetterQueue: 'sellerops-csm-notifier-dlq', depth: 1, inFlight: 0 });
    expect(row.oldestAgeSeconds).toBeGreaterThanOrEqual(0);
    expect(row.oldestSentAt).toBe(dead!.sentAt.toISOString());
    const table = await sellerops(['list', '--local', api.stack.url]);
    expect(table.stdout).toMatch(/csmNotifier\s+sellerops-csm-notifier-dlq\s+1\s+0\s+\d+ s/);

    const show = await sellerops(['show', 'csmNotifier', '--local', api.stack.url, '--json']);
    expect(show.code).toBe(0);
    const [shown] = JSON.parse(show.stdout).messages;
    expect(shown).toMatchObject({ reason: 'message body is not JSON', sourceQueue: 'csmNotifier', sourceReceiveCount: 1, body: 'not json at all' });
    expect(Date.parse(shown.sourceSentAt)).toBeLessThanOrEqual(dead!.sentAt.getTime());
    const text = await sellerops(['show', 'sellerops-csm-notifier-dlq', '--local', api.stack.url]);
    expect(text.stdout).toContain('reason: message body is not JSON');
    // Shown twice, still there: nothing consumed it.
    expect(await deadLetters('csmNotifier')).toHaveLength(1);

    const dry = await sellerops(['redrive', 'csmNotifier', '--dry-run', '--local', api.stack.url]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('dry run: would move 1 message(s) from sellerops-csm-notifier-dlq to sellerops-csm-notifier');
    expect(await local.moves('csmNotifier')).toEqual([]);
    expect(await deadLetters('csmNotifier')).toHaveLength(1);

    const redrive = await sellerops(['redrive', 'csmNotifier', '--local', api.stack.url]);
    expect(redrive.stderr).toBe('');
    expect(redrive.code).toBe(0);
    expect(redrive.stdout).toContain('completed: 1 of 1 message(s) moved to sellerops-csm-notifier');
    // Back in its queue, the consumer meets the same poison again: it returns to the DLQ remembering both trips.
    const [again] = await api.eventually(() => deadLetters('csmNotifier'), (m) => m.length === 1 && m[0]!.attributes.previousReason !== undefined);
    expect(again!.attributes).toMatchObject({ reason: 'message body is not JSON', previousReason: 'message body is not JSON', sourceSentTimestamp: dead!.attributes.sourceSentTimestamp });
    expect(again!.messageId).not.toBe(dead!.messageId);
  });

  it('refuses to replay a queue whose policy is never, and leaves its messages', async () => {
    await poison('repricerRuleImports', '{"version": 1}');
    await api.eventually(() => deadLetters('repricerRuleImports'), (m) => m.length === 1);
    for (const args of [['--dry-run'], []]) {
      const refused = await sellerops(['redrive', 'repricerRuleImports', ...args, '--local', api.stack.url]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('repricerRuleImports is never replayed: a chunk writes the rules of an upload');
    }
    expect(await deadLetters('repricerRuleImports')).toHaveLength(1);
    expect(await local.moves('repricerRuleImports')).toEqual([]);
  });

  it('replays repricer jobs only while they are young: older ones are refused, or dropped with --drop-stale', async () => {
    await poison('repricerJobs', '{"version": 2}');
    const [dead] = await api.eventually(() => deadLetters('repricerJobs'), (m) => m.length === 1);
    const later = new Date(Number(dead!.attributes.sourceSentTimestamp) + 11 * 60_000);

    const refused = await sellerops(['redrive', 'repricerJobs', '--local', api.stack.url], later);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('repricerJobs replays only messages younger than 10 minutes');
    expect(refused.stderr).toContain('1 of 1 are older, the oldest 11 min');
    expect(refused.stderr).toContain('--drop-stale deletes them');
    expect(await deadLetters('repricerJobs')).toHaveLength(1);

    const dry = await sellerops(['redrive', 'repricerJobs', '--drop-stale', '--dry-run', '--local', api.stack.url], later);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('dry run: would delete 1 message(s) too old to replay');
    expect(await deadLetters('repricerJobs')).toHaveLength(1);

    const dropped = await sellerops(['redrive', 'repricerJobs', '--drop-stale', '--local', api.stack.url], later);
    expect(dropped.code).toBe(0);
    expect(dropped.stdout).toContain('deleted 1 of 1');
    expect(await deadLetters('repricerJobs')).toHaveLength(0);
    expect(await local.moves('repricerJobs')).toEqual([]);
  });

  it('moves only out of a dead-letter queue, as SQS does', async () => {
    const sqs = api.stack.aws.sqs();
    const arn = async (url: string) => (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    const source = await arn(api.stack.messaging.queueUrls.csmNotifier!);
    const dlq = await arn(api.stack.messaging.deadLetterQueueUrls.csmNotifier!);
    await expect(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: source, DestinationArn: dlq }))).rejects.toMatchObject({ name: 'UnsupportedOperation' });
  });

  it('names the queues it knows when given one it does not (exit 2)', async () => {
    const unknown = await sellerops(['show', 'nope', '--local', api.stack.url]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no queue "nope"; the queues are: ');
    expect(unknown.stderr).toContain('csmNotifier (sellerops-csm-notifier)');
  });
});
