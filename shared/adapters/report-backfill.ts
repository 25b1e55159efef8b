/**
 * The report back-fill of a newly authorised seller, queued from the authorisation callback: one fetch chain per
 * report of the customer's live products (Lost & Found's reports, the repricer's All Listings report), each from as
 * far back as the report allows (`FETCHED_REPORTS[].backfillDays`). The same planning as the daily run
 * (`planCustomer`), so a chain already under way today is left alone and a report stored up to today is not asked again.
 */
import type { AuthorisationFollowUp } from '#shared/amazon-access/ports.ts';
import type { CustomerRepository } from '#shared/customers/ports.ts';
import { liveFetchProducts, planCustomer, type PlanDeps } from '#shared/lost-and-found/report-fetch.ts';
import { logger } from './observability.ts';

export class ReportBackfillOnAuthorisation implements AuthorisationFollowUp {
  constructor(private readonly deps: Pick<PlanDeps, 'statuses' | 'queue' | 'clock'> & { readonly customers: Pick<CustomerRepository, 'get'> }) {}

  async sellerAuthorised(event: { tenantId: string; sellerId: string }): Promise<void> {
    const customer = await this.deps.customers.get(event.tenantId);
    if (!customer) return;
    const products = liveFetchProducts(customer.contracts);
    if (products.length === 0) return;
    const queued = await planCustomer(this.deps, { customerId: event.tenantId, sellerId: event.sellerId, marketplaces: customer.marketplaces }, products);
    logger.info('report back-fill queued at authorisation', { tenantId: event.tenantId, chains: queued });
  }
}
