import { auditRequestedV1 } from '../../shared/contracts/lost-and-found-messages.ts';
import { queueConsumer } from '../../shared/adapters/sqs/queue-consumer.ts';
import { lostAndFoundAdapters } from '../../shared/adapters/lost-and-found-factories.ts';
import { runtime } from '../../shared/adapters/runtime.ts';
import { runAuditJob } from '../../shared/lost-and-found/jobs.ts';

const claims = lostAndFoundAdapters.claims();
const store = lostAndFoundAdapters.store();
const reports = lostAndFoundAdapters.reports();

export const handler = queueConsumer({
  queue: 'lostFoundAudits',
  message: auditRequestedV1,
  handle: (message) => runAuditJob({ claims, store, reports, clock: runtime.clock() }, message),
});
