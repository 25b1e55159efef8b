/**
 * `--data` survives a SIGKILL: the stack runs in its own process, is killed without warning, and started again
 * on the same directory. What it had accepted must all be there: uploaded reports, queued messages, one-time
 * schedules, DLQ contents (with their reason) and the clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { call, credentials, eventually, killAll, kill, start, token } from '../support/stack-process-control.ts';
import { exampleSignup } from '../support/local-stack.ts';
import { ledger } from '../lost-and-found/helpers.ts';

afterEach(killAll);

describe('local stack with --data, killed with SIGKILL', () => {
  it('keeps uploaded reports, queued messages, schedules, DLQ contents and the clock', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sellerops-durability-'));
    try {
      // 1. No consumers: the sign-up's events stay queued. A report is uploaded, the clock moved on.
      let stack = await start(dataDir, false);
      let customer = await token(stack, { role: 'customer', tenant: 'durable-lf' });
      expect((await call(stack, 'POST', '/signups', { token: customer, body: exampleSignup({ product: 'lost-and-found', companyName: 'Durable GmbH' }) })).status).toBe(201);
      const repricer = await token(stack, { role: 'customer', tenant: 'durable-rp' });
      expect((await call(stack, 'POST', '/signups', { token: repricer, body: exampleSignup({ companyName: 'Trial GmbH' }) })).status).toBe(201);
      const upload = await call(stack, 'POST', '/lost-and-found/uploads', { token: customer, body: { fileName: 'ledger.tsv' } });
      expect(upload.status).toBe(201);
      const report = ledger([{ date: '2025-05-20', event: 'Adjustments', ref: 'R1', quantity: -2, reason: 'M' }]);
      expect((await fetch(upload.body.uploadUrl, { method: 'PUT', body: report })).status).toBe(200);
      // The URL is good for that object only: the same signature on another tenant's key is refused.
      expect((await fetch(upload.body.uploadUrl.replace('durable-lf', 'someone-else'), { method: 'PUT', body: report })).status).toBe(403);
      const advanced = (await call(stack, 'POST', '/_local/clock/advance', { body: { days: 2 } })).body.now as string;
      await kill(stack);

      // 2. Consumers on: the queued events are handled after the restart (a push, a trial schedule).
      stack = await start(dataDir, true);
      expect(Date.parse((await call(stack, 'GET', '/_local/clock')).body.now)).toBeGreaterThanOrEqual(Date.parse(advanced));
      const lead = await token(stack, { role: 'csm', staff: 'csm-anna' });
      await eventually(
        async () => ((await call(stack, 'GET', '/csm/notifications?limit=50', { token: lead })).body.items as { customerId: string; pushedAt: string | null }[]).filter((n) => n.pushedAt),
        (items) => items.some((n) => n.customerId === 'durable-lf') && items.some((n) => n.customerId === 'durable-rp'),
      );
      const schedules = await eventually(
        async () => (await call(stack, 'GET', '/_local/schedules')).body.oneTime as { name: string }[],
        (items) => items.length > 0,
      );
      const sqs = new SQSClient({ region: 'eu-central-1', endpoint: stack.sqs, credentials });
      await sqs.send(new SendMessageCommand({ QueueUrl: stack.queueUrls.csmNotifier!, MessageBody: '{"eventType":"customer.signed-up","version":1}' }));
      sqs.destroy();
      await eventually(async () => (await call(stack, 'GET', '/_local/dlq')).body.items as unknown[], (items) => items.length === 1);
      await kill(stack);

      // 3. Everything is still there: the schedule, the DLQ message with its reason, the report for the audit.
      stack = await start(dataDir, true);
      expect((await call(stack, 'GET', '/_local/schedules')).body.oneTime).toEqual(schedules);
      const dead = (await call(stack, 'GET', '/_local/dlq')).body.items as { message: { messageAttributes: { reason: { StringValue: string } } } }[];
      expect(dead).toHaveLength(1);
      expect(dead[0]!.message.messageAttributes.reason.StringValue).toMatch(/does not match its contract/);
      customer = await token(stack, { role: 'customer', tenant: 'durable-lf' });
      const audit = await call(stack, 'POST', '/lost-and-found/audits', { token: customer, body: { asOf: '2025-06-30' } });
      expect(audit.status).toBe(202);
      const job = await eventually(
        async () => (await call(stack, 'GET', `/lost-and-found/audits/${audit.body.auditId}`, { token: customer })).body,
        (j) => j.status === 'done' || j.status === 'failed',
      );
      expect(job.status).toBe('done');
      expect(job.summary.files.map((f: { file: string }) => f.file)).toEqual(['ledger.tsv']);
      await kill(stack);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
