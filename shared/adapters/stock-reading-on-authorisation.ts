/**
 * The first FBA stock reading of a newly authorised seller, queued from the authorisation callback (issue 21 stock):
 * one per marketplace of a customer with a live repricer contract, so its stock is known minutes after it connects
 * instead of at the next hourly reading. The same requests as the hourly plan (`stockReadsOf`); a reading made twice
 * writes only what changed.
 */
import type { AuthorisationFollowUp } from '#shared/amazon-access/ports.ts';
import type { CustomerRepository } from '#shared/customers/ports.ts';
import { stockReadsOf } from '#shared/repricer/stock.ts';
import type { StockReadQueue } from '#shared/repricer/ports.ts';
import { logger } from './observability.ts';

export class StockReadingOnAuthorisation implements AuthorisationFollowUp {
  constructor(private readonly deps: { readonly customers: Pick<CustomerRepository, 'get'>; readonly queue: StockReadQueue }) {}

  async sellerAuthorised(event: { tenantId: string; sellerId: string }): Promise<void> {
    const customer = await this.deps.customers.get(event.tenantId);
    if (!customer) return;
    const requests = stockReadsOf(customer, event.sellerId);
    if (requests.length === 0) return;
    await this.deps.queue.send(requests);
    logger.info('stock reading queued at authorisation', { tenantId: event.tenantId, marketplaces: requests.length });
  }
}

/** Several follow-ups of an authorisation, one after the other (the first failure stops the rest: authorising again repeats them all). */
export class AuthorisationFollowUps implements AuthorisationFollowUp {
  constructor(private readonly all: readonly AuthorisationFollowUp[]) {}

  async sellerAuthorised(event: { tenantId: string; sellerId: string }): Promise<void> {
    for (const followUp of this.all) await followUp.sellerAuthorised(event);
  }
}
