/**
 * A queue consumer in its own OS process, so a test can SIGKILL it in the middle of a batch. It polls the
 * wired queue exactly as the local stack does; the environment (endpoints, resource names) comes from the
 * parent. Records of a batch are handled one after another with a pause, to make "mid-batch" a wide target.
 */
import '../../local/quiet-sdk.ts';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { interceptLocalhostDns } from 'fauxqs';
import { startSqsPollers } from '../../local/sqs-pollers.ts';
import { loadHandlers, type AnyHandler } from '../../local/lambda-runtime.ts';
import type { QueueId } from '../../infra/wiring.ts';

// Queue URLs name sqs.<region>.localhost, as in the parent stack: resolve it to loopback here too.
interceptLocalhostDns();
const handlers = await loadHandlers();
const real = handlers.csmNotifier as unknown as (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
const slow: AnyHandler = (async (event: SQSEvent, context: Context) => {
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const response = await real({ Records: [record] }, context);
    failures.push(...response.batchItemFailures);
    process.stdout.write(`handled ${record.messageId}\n`);
    await new Promise((r) => setTimeout(r, 60));
  }
  return { batchItemFailures: failures };
}) as AnyHandler;

startSqsPollers({
  handlers: { ...handlers, csmNotifier: slow },
  queueUrls: JSON.parse(process.env.TEST_QUEUE_URLS!) as Record<QueueId, string>,
  only: ['csmNotifier'],
});
process.stdout.write('consumer ready\n');
