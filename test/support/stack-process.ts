/**
 * The local stack in its own OS process, so a test can SIGKILL it and start it again on the same data
 * directory. Options come from the environment (STACK_DATA, STACK_POLLERS=false); it prints one JSON line
 * with its URL and queue URLs once it is up.
 */
import '../../local/quiet-sdk.ts';
import { startLocalStack } from '../../local/stack.ts';

const stack = await startLocalStack({
  port: 0,
  dataDir: process.env.STACK_DATA!,
  pollers: process.env.STACK_POLLERS !== 'false',
  visibilityTimeoutSeconds: 2,
});
process.stdout.write(`${JSON.stringify({ url: stack.url, sqs: stack.messaging.endpoint, queueUrls: stack.messaging.queueUrls })}\n`);
