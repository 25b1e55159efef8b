import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { exampleSignup, startApi, type Api, type ResponseBody } from '../support/local-stack.ts';

let api: Api;
beforeAll(async () => {
  // No pollers yet. Unacknowledged messages come back after the visibility timeout: long enough that the batch
  // is still in flight when the test looks, even on a loaded machine; short enough to keep the test quick.
  api = await startApi({ pollers: false, visibilityTimeoutSeconds: 10 });
});
// eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- `api` is unset when beforeAll failed
afterAll(async () => api?.stack.stop());

const SIGNUPS = 30;
/** The consumer stops after this many records, in the middle of its first batch (batches are up to 10). */
const HANDLED_BEFORE_KILL = 4;

describe('a consumer killed in the middle of a batch', () => {
  it('loses nothing and duplicates nothing once a consumer runs again', async () => {
    const deliveriesBefore = api.stack.pushDeliveries.count;
    for (let i = 0; i < SIGNUPS; i++) {
      const token = await api.token('customer', `crash-${i}`);
      expect((await api.call('POST', '/signups', { token, body: exampleSignup({ product: 'lost-and-found', companyName: `Crash ${i} GmbH` }) })).status).toBe(201);
    }

    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', 'support', 'consumer-process.ts')], {
      env: { ...process.env, ...api.stack.env, TEST_QUEUE_URLS: JSON.stringify(api.stack.messaging.queueUrls), STOP_AFTER: String(HANDLED_BEFORE_KILL) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let handled = 0;
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => {
        reject(new Error(`the consumer exited (${code}) after handling ${handled} records`));
      });
      child.stdout.on('data', (chunk: Buffer) => {
        handled += (chunk.toString().match(/^handled /gm) ?? []).length;
        if (handled >= HANDLED_BEFORE_KILL) resolve();
      });
    });
    const inflight = api.stack.messaging.server.inspectQueue('sellerops-csm-notifier')!.messages.inflight.length;
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const pushedBeforeCrash = new Set(api.stack.pushes.map((p) => p.attributes.notificationId));
    expect(handled).toBe(HANDLED_BEFORE_KILL);
    expect(inflight).toBeGreaterThan(0); // the kill landed while a batch was received and not yet acknowledged

    api.stack.startPollers();
    const feed = async () =>
      (await api.call('GET', '/csm/notifications?limit=100', { token: await api.token('csm', 'csm-anna') })).body.items as ResponseBody[];
    const items = await api.eventually(feed, (all) => all.filter((n) => n.customerId.startsWith('crash-') && n.pushedAt).length === SIGNUPS);
    await api.stack.pollers!.idle(120_000);

    const crashItems = items.filter((n) => n.customerId.startsWith('crash-'));
    expect(crashItems).toHaveLength(SIGNUPS);
    expect(new Set(crashItems.map((n) => n.customerId)).size).toBe(SIGNUPS);
    const pushes = api.stack.pushes.filter((p) => p.attributes.customerId?.startsWith('crash-'));
    expect(pushes).toHaveLength(SIGNUPS);
    expect(new Set(pushes.map((p) => p.attributes.notificationId)).size).toBe(SIGNUPS);
    // SNS itself may have carried one repeat: the record whose push was accepted just before the kill and
    // whose pushedAt was never written. Every push carries notificationId, and the console drops the repeat.
    expect(api.stack.pushDeliveries.count - deliveriesBefore).toBeLessThanOrEqual(SIGNUPS + 1);
    expect(pushedBeforeCrash.size).toBeGreaterThan(0);
    expect((await api.call('GET', '/_local/dlq')).body.items).toEqual([]);
  });
});
