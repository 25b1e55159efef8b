/** SQS + SNS in process (fauxqs) with the same queue/topic names, DLQs, redrive counts and filter policies as AWS. */
import { interceptLocalhostDns, type FauxqsServer } from 'fauxqs';
import { buckets, deadLetterQueueName, must, queues, subscriptions, topics, type QueueId, type QueueSpec, type TopicId } from '#infra/wiring.ts';
import { LOCAL_REGION, localCredentials } from './aws-env.ts';
import { startLocalFauxqs } from './fauxqs-server.ts';

export interface LocalMessaging {
  readonly endpoint: string;
  /** The host queue URLs carry (http://sqs.<region>.localhost:<port>); SQS clients use it so URL and endpoint agree. */
  readonly sqsEndpoint: string;
  readonly server: FauxqsServer;
  readonly queueUrls: Record<QueueId, string>;
  readonly deadLetterQueueUrls: Record<QueueId, string>;
  readonly topicArns: Record<TopicId, string>;
  /** Wired bucket id → local bucket name (fauxqs S3; pre-signed URLs point at it). */
  readonly bucketNames: Record<string, string>;
  /** Local stand-in for the staff's push endpoints: a queue subscribed to the CSM topic, read by the console feed. */
  readonly csmPushInboxUrl: string;
  stop(): Promise<void>;
}

export const CSM_PUSH_INBOX = 'sellerops-local-csm-push-inbox';

export async function startLocalMessaging(options: { visibilityTimeoutSeconds?: number; dataDir?: string; browserOrigins?: () => readonly string[] } = {}): Promise<LocalMessaging> {
  // fauxqs names queues http://sqs.<region>.localhost:<port>/…; resolve *.localhost to loopback in this process
  // (many resolvers do this anyway) so queue URLs work exactly as AWS ones do.
  const restoreDns = interceptLocalhostDns();
  const server = await startLocalFauxqs({ region: LOCAL_REGION, host: 'localhost', credentials: localCredentials, ...(options.dataDir ? { dataDir: options.dataDir } : {}), ...(options.browserOrigins ? { browserOrigins: options.browserOrigins } : {}) });
  const queueUrls = {} as Record<QueueId, string>;
  const deadLetterQueueUrls = {} as Record<QueueId, string>;
  for (const [id, spec] of Object.entries<QueueSpec>(queues)) {
    const dlq = server.createQueue(deadLetterQueueName(spec), {
      region: LOCAL_REGION,
      attributes: { MessageRetentionPeriod: String(14 * 86_400) },
    });
    const queue = server.createQueue(spec.name, {
      region: LOCAL_REGION,
      attributes: {
        VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? spec.visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: String(spec.maxReceiveCount) }),
      },
    });
    queueUrls[id] = queue.queueUrl;
    deadLetterQueueUrls[id] = dlq.queueUrl;
  }
  const topicArns = {} as Record<TopicId, string>;
  for (const [id, spec] of Object.entries(topics) as [TopicId, { name: string }][]) {
    topicArns[id] = server.createTopic(spec.name, { region: LOCAL_REGION }).topicArn;
  }
  for (const subscription of subscriptions) {
    server.subscribe({
      topic: must(topics, subscription.topic, 'topic').name,
      queue: must(queues, subscription.queue, 'queue').name,
      region: LOCAL_REGION,
      attributes: {
        RawMessageDelivery: 'true',
        ...(subscription.filterPolicy ? { FilterPolicy: JSON.stringify(subscription.filterPolicy) } : {}),
      },
    });
  }
  const bucketNames: Record<string, string> = {};
  for (const [id, spec] of Object.entries(buckets)) bucketNames[id] = server.createBucket(spec.name).bucketName;
  const inbox = server.createQueue(CSM_PUSH_INBOX, { region: LOCAL_REGION });
  server.subscribe({ topic: must(topics, 'csmNotifications', 'topic').name, queue: CSM_PUSH_INBOX, region: LOCAL_REGION, attributes: { RawMessageDelivery: 'true' } });
  // What a previous run accepted (objects, messages, DLQs, console queues and subscriptions), over the wiring.
  server.restore();
  return {
    endpoint: server.address,
    sqsEndpoint: `http://sqs.${LOCAL_REGION}.localhost:${server.port}`,
    server,
    queueUrls,
    deadLetterQueueUrls,
    topicArns,
    bucketNames,
    csmPushInboxUrl: inbox.queueUrl,
    stop: async () => {
      await server.stop();
      restoreDns();
    },
  };
}
