import { stockReadV1 } from '#shared/contracts/repricer-messages.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { repricerAdapters } from '#shared/adapters/repricer-factories.ts';
import { queueConsumer } from '#shared/adapters/sqs/queue-consumer.ts';
import type { DeadLetterQueue } from '#shared/adapters/sqs/dead-letter-queue.ts';
import type { RetryLater } from '#shared/adapters/sqs/retry-later.ts';
import { logger } from '#shared/adapters/observability.ts';
import { readFbaStock, type FbaStockReadDeps } from '#shared/repricer/stock.ts';

/** Without Amazon (a deployment not connected to the SP-API) the plan queues nothing and there is nothing to read. */
export type Deps = Omit<FbaStockReadDeps, 'inventory'> & {
  readonly inventory: FbaStockReadDeps['inventory'] | undefined;
  readonly deadLetters: DeadLetterQueue;
  readonly retryLater: RetryLater;
};

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const adapters = repricerAdapters(env, overrides);
  return {
    inventory: adapters.fbaInventory(),
    store: adapters.stock(),
    clock: adapters.clock,
    deadLetters: adapters.deadLetterQueue('repricerStockReads'),
    retryLater: adapters.retryLater('repricerStockReads'),
  };
}

export function createHandler({ deadLetters, retryLater, inventory, ...rest }: Deps) {
  return queueConsumer({
    deadLetters,
    retryLater,
    message: stockReadV1,
    handle: async ({ version: _version, ...request }) => {
      if (!inventory) {
        logger.warn('stock reading ignored: not connected to the SP-API', { tenantId: request.tenantId, marketplace: request.marketplace });
        return { skipped: 'not connected to the SP-API' };
      }
      const result = await readFbaStock({ ...rest, inventory }, request);
      logger.info('stock read', { tenantId: request.tenantId, ...result });
      return result;
    },
  });
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
