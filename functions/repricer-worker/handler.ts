import { repriceJobV1 } from '../../shared/contracts/repricer-messages.ts';
import { repricerAdapters } from '../../shared/adapters/repricer-factories.ts';
import { queueConsumer } from '../../shared/adapters/sqs/queue-consumer.ts';
import type { StoredOffer } from '../../shared/repricer/model.ts';
import { repriceJob } from '../../shared/repricer/reprice-job.ts';

const deps = repricerAdapters.deps();

export const handler = queueConsumer({
  queue: 'repricerJobs',
  message: repriceJobV1,
  // The offers are the ones the tick read; their versions guard every write, so a redelivered job decides nothing twice.
  handle: (job) => repriceJob(deps, { ...job, offers: job.offers as unknown as StoredOffer[] }),
});
