/**
 * A queue consumer in its own OS process, so a test can SIGKILL it in the middle of a batch. It polls the
 * wired queue exactly as the local stack does; the CSM notifier is built through its composition root from
 * the parent's environment (endpoints and the stack's resource names, which the parent adds to it). Records of a
 * batch are handled one after another; after STOP_AFTER records the consumer stops where it is, its batch received
 * and not acknowledged, so the parent's kill lands mid-batch by construction (not by timing).
 */
import '../../local/quiet-sdk.ts';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { interceptLocalhostDns } from 'fauxqs';
import { startSqsPollers } from '../../local/sqs-pollers.ts';
import type { AnyHandler } from '../../local/lambda-runtime.ts';
import type { QueueId } from '#infra/wiring.ts';
import { createDeps, createHandler } from '../../functions/csm-notifier/handler.ts';

// Queue URLs name sqs.<region>.localhost, as in the parent stack: resolve it to loopback here too.
interceptLocalhostDns();
// The sign-ups of the test start no trial, so nothing is scheduled: the local scheduler lives in the parent.
const real = createHandler(
  createDeps(process.env, {
    scheduler: {
      scheduleOnce: () => Promise.reject(new Error('the consumer process has no scheduler')),
    },
  }),
);
const stopAfter = Number(process.env.STOP_AFTER ?? Number.POSITIVE_INFINITY);
let handled = 0;
const slow: AnyHandler = (async (event: SQSEvent, context: Context) => {
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const response = await real({ Records: [record] }, context);
    failures.push(...response.batchItemFailures);
    process.stdout.write(`handled ${record.messageId}\n`);
    if (++handled >= stopAfter) await new Promise<never>(() => undefined); // hold the batch until killed
  }
  return { batchItemFailures: failures };
});

startSqsPollers({
  handlers: { csmNotifier: slow },
  queueUrls: JSON.parse(process.env.TEST_QUEUE_URLS!) as Record<QueueId, string>,
  only: ['csmNotifier'],
});
process.stdout.write('consumer ready\n');
