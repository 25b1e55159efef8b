/**
 * `sellerops dlq list|show|redrive <queue>`: the runbook's commands for dead-letter queues (docs/runbook.md), against
 * AWS (queues found by name prefix in the region of the environment) or a local stack (`--local <url>`).
 *
 * - `list`: every DLQ with its depth and the age of its oldest message;
 * - `show <queue>`: its messages with the `reason` our consumers set, read without consuming them;
 * - `redrive <queue>`: back to the source queue through SQS's StartMessageMoveTask, only what the queue's replay
 *   policy allows (`redrive` next to each queue's name in `infra/wiring/`), with `--dry-run`.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Command } from 'commander';
import { queues, type QueueSpec } from '#infra/wiring.ts';
import { deployedNames, findQueuePairs, SqsDeadLetterQueues } from '#shared/adapters/sqs/dead-letter-queues.ts';
import { firstSentAt, formatMinutes, planRedrive, type DeadLetter, type DeadLetterQueues, type MoveTask } from '#shared/operations/index.ts';
import { LocalDeadLetterQueues } from '../../local/dead-letter-queues.ts';
import { processIo, type CliIo } from './reprice.ts';

/** How many messages `redrive` reads to check their ages (a deeper DLQ of a `younger-than` queue is refused). */
export const REDRIVE_READ_LIMIT = 10_000;

export interface DlqTargetOptions {
  /** A local stack's API URL (`npm start`), instead of AWS. Default: `SELLEROPS_LOCAL_URL`. */
  readonly local?: string;
  /** The deployed stage whose queues to use (AWS). Default: `SELLEROPS_STAGE`. */
  readonly stage?: string;
  /** Queue name prefix to list (AWS). */
  readonly prefix: string;
  readonly json?: boolean;
}

export interface DlqContext {
  readonly io: CliIo;
  readonly now: () => Date;
  /** The command's exit code (process.exitCode for the real command). */
  readonly exit: (code: number) => void;
  /** Builds the port for the target (tests pass their own). */
  readonly open?: (options: DlqTargetOptions) => Promise<DeadLetterQueues>;
}

export const processDlqContext: DlqContext = {
  io: processIo,
  now: () => new Date(),
  exit: (code) => {
    process.exitCode = code;
  },
};

/** A wrong command line (unknown queue, bad number): exit code 2. */
class UsageError extends Error {}
/** What the command refuses to do, with why: exit code 1. */
class Refusal extends Error {}

async function openQueues(options: DlqTargetOptions, io: CliIo): Promise<DeadLetterQueues> {
  if (options.local) return new LocalDeadLetterQueues(options.local);
  const sqs = new SQSClient({});
  const wired = Object.entries(queues).map(([queue, spec]) => ({ queue, name: spec.name }));
  const { pairs, missing } = await findQueuePairs(sqs, wired, { prefix: options.prefix, ...(options.stage ? { stage: options.stage } : {}) });
  const region = await sqs.config.region();
  if (pairs.length === 0) {
    throw new Refusal(`no queue of sellerops (name prefix "${options.prefix}"${options.stage ? `, stage ${options.stage}` : ''}) with its DLQ in ${region}: check AWS_REGION / AWS_PROFILE, --stage and --prefix`);
  }
  if (missing.length > 0) io.stderr(`sellerops dlq: not deployed in ${region} (skipped): ${missing.join(', ')}\n`);
  return new SqsDeadLetterQueues(sqs, pairs);
}

/** `<queue>`: a wiring id (`csmNotifier`), a queue name (`sellerops-csm-notifier`) or its DLQ's name. */
export function resolveQueue(argument: string, stage?: string): { id: string; spec: QueueSpec } {
  const name = argument.endsWith('-dlq') ? argument.slice(0, -'-dlq'.length) : argument;
  for (const [id, spec] of Object.entries(queues)) {
    if (id === name || deployedNames(spec.name, stage).includes(name) || spec.name === name) return { id, spec };
  }
  throw new UsageError(`no queue "${argument}"; the queues are: ${Object.entries(queues).map(([id, spec]) => `${id} (${spec.name})`).join(', ')}`);
}

async function run(context: DlqContext, options: DlqTargetOptions, body: (queues: DeadLetterQueues) => Promise<number>): Promise<void> {
  try {
    const target = { ...options, ...(options.local === undefined && process.env.SELLEROPS_LOCAL_URL ? { local: process.env.SELLEROPS_LOCAL_URL } : {}) };
    const port = await (context.open ?? ((o) => openQueues(o, context.io)))(target);
    context.exit(await body(port));
  } catch (error) {
    if (error instanceof UsageError) {
      context.io.stderr(`sellerops dlq: ${error.message}\n`);
      context.exit(2);
      return;
    }
    context.io.stderr(`sellerops dlq: ${(error as Error).message}\n`);
    context.exit(1);
  }
}

export async function listDeadLetterQueues(port: DeadLetterQueues, context: DlqContext, json: boolean): Promise<number> {
  const now = context.now();
  const statuses = await port.statuses();
  const rows = statuses.map((s) => ({
    queue: s.queue,
    deadLetterQueue: s.deadLetterName,
    depth: s.depth,
    inFlight: s.inFlight,
    oldestSentAt: s.oldestSentAt?.toISOString() ?? null,
    oldestAgeSeconds: s.oldestSentAt ? Math.max(0, Math.round((now.getTime() - s.oldestSentAt.getTime()) / 1000)) : null,
  }));
  if (json) {
    context.io.stdout(`${JSON.stringify({ queues: rows }, null, 2)}\n`);
    return 0;
  }
  context.io.stdout(
    table(
      ['queue', 'dead-letter queue', 'depth', 'in flight', 'oldest'],
      rows.map((r) => [r.queue, r.deadLetterQueue, String(r.depth), String(r.inFlight), r.oldestAgeSeconds === null ? '-' : `${formatMinutes(r.oldestAgeSeconds / 60)} (${r.oldestSentAt})`]),
    ),
  );
  const waiting = rows.filter((r) => r.depth > 0);
  context.io.stdout(waiting.length === 0 ? 'every dead-letter queue is empty\n' : `${waiting.length} dead-letter queue(s) hold messages: sellerops dlq show <queue>\n`);
  return 0;
}

export async function showDeadLetters(port: DeadLetterQueues, context: DlqContext, queue: string, max: number, json: boolean): Promise<number> {
  const { id, spec } = resolveQueue(queue);
  const messages = await port.peek(id, max);
  const now = context.now();
  const described = messages.map((m) => describe(m, now));
  if (json) {
    context.io.stdout(`${JSON.stringify({ queue: id, deadLetterQueue: `${spec.name}-dlq`, messages: described }, null, 2)}\n`);
    return 0;
  }
  context.io.stdout(`${id} (${spec.name}-dlq): ${messages.length === 0 ? 'no message' : `${messages.length} message(s)${messages.length === max ? ` (the first ${max}: --max to see more)` : ''}`}; read without consuming them\n`);
  context.io.stdout(`replay policy: ${policyText(spec)}\n`);
  described.forEach((m, i) => {
    context.io.stdout(
      [
        '',
        `#${i + 1} ${m.messageId}, dead-lettered ${m.sentAt} (${formatMinutes(m.ageSeconds / 60)} ago)`,
        `  reason: ${m.reason ?? '(none: not dead-lettered by a sellerops consumer)'}`,
        ...(m.previousReason ? [`  previous reason: ${m.previousReason}`] : []),
        `  source: ${m.sourceQueue ?? '?'} message ${m.sourceMessageId ?? '?'}, first sent ${m.sourceSentAt ?? '?'}, received ${m.sourceReceiveCount ?? '?'} time(s) there`,
        `  received from the DLQ: ${m.dlqReceiveCount} time(s)`,
        `  body: ${m.summary}`,
      ].join('\n') + '\n',
    );
  });
  return 0;
}

export interface RedriveOptions {
  readonly dryRun: boolean;
  readonly dropStale: boolean;
  /** Seconds to wait for the move task to finish. */
  readonly waitSeconds: number;
}

export async function redriveDeadLetters(port: DeadLetterQueues, context: DlqContext, queue: string, options: RedriveOptions): Promise<number> {
  const { id, spec } = resolveQueue(queue);
  const out = (line: string) => {
    context.io.stdout(`${line}\n`);
  };
  const prefix = options.dryRun ? 'dry run: ' : '';
  const running = (await port.moves(id)).find((t) => t.status === 'RUNNING' || t.status === 'CANCELLING');
  if (running) throw new Refusal(`a move task of ${spec.name}-dlq is still ${running.status.toLowerCase()} (${running.moved} of ${running.toMove ?? '?'} moved): wait for it (sellerops dlq list)`);
  const messages = spec.redrive.replay === 'never' ? [] : await port.peek(id, REDRIVE_READ_LIMIT);
  const plan = planRedrive({
    queue: id,
    policy: spec.redrive,
    messages,
    complete: messages.length < REDRIVE_READ_LIMIT,
    now: context.now(),
    dropStale: options.dropStale,
  });
  if (plan.kind === 'refused') {
    for (const s of plan.stale.slice(0, 20)) out(`  too old: ${s.message.messageId} (${s.ageMinutes === null ? 'age unknown' : formatMinutes(s.ageMinutes)}): ${s.message.attributes.reason ?? ''}`);
    throw new Refusal(`${prefix}refused: ${plan.reason}`);
  }
  if (plan.kind === 'empty') {
    out(`${prefix}${spec.name}-dlq is empty: nothing to redrive`);
    return 0;
  }
  out(`${prefix}replay policy of ${id}: ${policyText(spec)}`);
  if (plan.discard.length > 0) {
    out(`${prefix}${options.dryRun ? 'would delete' : 'deleting'} ${plan.discard.length} message(s) too old to replay:`);
    for (const s of plan.discard) out(`  ${s.message.messageId} (${s.ageMinutes === null ? 'age unknown' : formatMinutes(s.ageMinutes)}): ${s.message.attributes.reason ?? ''}`);
  }
  out(`${prefix}${options.dryRun ? 'would move' : 'moving'} ${plan.replay.length} message(s) from ${spec.name}-dlq to ${spec.name}:`);
  for (const m of plan.replay) out(`  ${m.messageId}: ${m.attributes.reason ?? '(no reason)'}`);
  if (options.dryRun) {
    out('dry run: nothing was changed');
    return 0;
  }
  if (plan.discard.length > 0) {
    const deleted = await port.discard(id, plan.discard.map((s) => s.message.messageId));
    out(`deleted ${deleted} of ${plan.discard.length}`);
  }
  if (plan.replay.length === 0) return 0;
  // StartMessageMoveTask moves the whole DLQ: a message dead-lettered since the check above goes along (it is
  // at most seconds old, so within any age limit).
  let task = await port.startMove(id);
  out(`move task started (StartMessageMoveTask): ${task.status.toLowerCase()}`);
  const deadline = Date.now() + options.waitSeconds * 1000;
  while (task.status === 'RUNNING' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1000));
    task = (await port.moves(id))[0] ?? task;
  }
  out(moveSummary(task, spec));
  return task.status === 'COMPLETED' || task.status === 'RUNNING' ? 0 : 1;
}

function moveSummary(task: MoveTask, spec: QueueSpec): string {
  const counts = `${task.moved} of ${task.toMove ?? '?'} message(s) moved to ${spec.name}`;
  if (task.status === 'RUNNING') return `still running: ${counts} so far (sellerops dlq list shows what is left)`;
  if (task.status === 'FAILED') return `the move task failed: ${task.failureReason ?? 'no reason given'} (${counts})`;
  return `${task.status.toLowerCase()}: ${counts}`;
}

function policyText(spec: QueueSpec): string {
  const policy = spec.redrive;
  if (policy.replay === 'any') return `replay any message (${policy.why})`;
  if (policy.replay === 'never') return `never replayed (${policy.why})`;
  return `replay messages younger than ${policy.maxAgeMinutes} minutes since first sent (${policy.why})`;
}

/** One DLQ message as `show` prints it. */
function describe(message: DeadLetter, now: Date) {
  const attributes = message.attributes;
  const first = firstSentAt(message);
  return {
    messageId: message.messageId,
    sentAt: message.sentAt.toISOString(),
    ageSeconds: Math.max(0, Math.round((now.getTime() - message.sentAt.getTime()) / 1000)),
    reason: attributes.reason ?? null,
    previousReason: attributes.previousReason ?? null,
    sourceQueue: attributes.sourceQueue ?? null,
    sourceMessageId: attributes.sourceMessageId ?? null,
    sourceSentAt: first?.toISOString() ?? null,
    sourceReceiveCount: attributes.sourceReceiveCount === undefined ? null : Number(attributes.sourceReceiveCount),
    dlqReceiveCount: message.dlqReceiveCount,
    summary: summarise(message.body),
    body: message.body,
  };
}

/** The fields that say what a message is about, or the start of a body that is not a JSON object. */
export function summarise(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return oneLine(body, 200);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return oneLine(body, 200);
  const record = parsed as Record<string, unknown>;
  const keys = ['eventType', 'NotificationType', 'version', 'tenantId', 'customerId', 'sellerId', 'marketplaceId', 'auditId', 'jobId', 'reportType', 'chunk'];
  const shown = keys.flatMap((k) => (typeof record[k] === 'string' || typeof record[k] === 'number' ? [`${k}=${String(record[k])}`] : []));
  const others = Object.keys(record).filter((k) => !keys.includes(k));
  return `${shown.join(' ') || '{}'}${others.length > 0 ? ` (+ ${others.slice(0, 8).join(', ')}${others.length > 8 ? ', …' : ''})` : ''}; ${body.length} characters`;
}

function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > max ? `${line.slice(0, max)}… (${text.length} characters)` : line;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const numeric = new Set([2, 3]);
  const line = (cells: readonly string[]) => cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

function positiveInteger(name: string, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${name}: expected a whole number from 1 to ${max}, got "${value}"`);
    return n;
  };
}

function withTarget(command: Command): Command {
  return command
    .option('--local <url>', 'a local stack (npm start) instead of AWS, e.g. http://localhost:4000 (default: $SELLEROPS_LOCAL_URL)')
    .option('--stage <stage>', 'the deployed stage whose queues to use (AWS; default: $SELLEROPS_STAGE)', process.env.SELLEROPS_STAGE)
    .option('--prefix <prefix>', 'queue name prefix to look for (AWS)', 'sellerops-');
}

export function registerDlqCommand(program: Command, context: DlqContext = processDlqContext): void {
  const dlq = program.command('dlq').description('Dead-letter queues: list, show and redrive (docs/runbook.md)');
  withTarget(dlq.command('list'))
    .description('every dead-letter queue with its depth and the age of its oldest message')
    .option('--json', 'JSON: {"queues": [{"queue", "deadLetterQueue", "depth", "inFlight", "oldestSentAt", "oldestAgeSeconds"}]}')
    .action(async (options: DlqTargetOptions) => run(context, options, (port) => listDeadLetterQueues(port, context, options.json === true)));
  withTarget(dlq.command('show <queue>'))
    .description('the messages of a queue\'s DLQ (wiring id, queue or DLQ name) with their reason, read without consuming them')
    .option('--max <n>', 'messages to read (1–10000)', '20')
    .option('--json', 'JSON: {"queue", "deadLetterQueue", "messages": [{"messageId", "sentAt", "reason", "previousReason", "sourceQueue", "sourceMessageId", "sourceSentAt", "sourceReceiveCount", "dlqReceiveCount", "summary", "body", …}]}')
    .action(async (queue: string, options: DlqTargetOptions & { max: string }) =>
      run(context, options, (port) => showDeadLetters(port, context, queue, positiveInteger('--max', 10_000)(options.max), options.json === true)),
    );
  withTarget(dlq.command('redrive <queue>'))
    .description("moves a queue's DLQ back to the queue (SQS StartMessageMoveTask), as far as the queue's replay policy allows")
    .option('--dry-run', 'check the policy and print what would move (and what would be deleted), change nothing')
    .option('--drop-stale', 'for a queue that replays only young messages: delete the older ones, then move the rest')
    .option('--wait <seconds>', 'how long to wait for the move task to finish (1–900)', '60')
    .action(async (queue: string, options: DlqTargetOptions & { dryRun?: boolean; dropStale?: boolean; wait: string }) =>
      run(context, options, (port) =>
        redriveDeadLetters(port, context, queue, {
          dryRun: options.dryRun === true,
          dropStale: options.dropStale === true,
          waitSeconds: positiveInteger('--wait', 900)(options.wait),
        }),
      ),
    );
}
