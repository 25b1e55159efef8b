import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DynamoImportedListingStore } from '#shared/adapters/dynamodb/imported-listing-store.ts';
import { DynamoRepricerStore } from '#shared/adapters/dynamodb/repricer-store.ts';
import { IMPORTED_LISTING_HINT, importListingsReport, listImportedListings } from '#shared/repricer/imported-listings.ts';
import { upsertRules } from '#shared/repricer/offer-management.ts';
import { toOfferRules } from '#shared/repricer/rules.ts';
import { tables } from '#infra/wiring.ts';
import { dynamoTargets, useDynamoTarget } from '../support/dynamodb-targets.ts';

const report = readFileSync(new URL('../fixtures/amazon/reports/GET_MERCHANT_LISTINGS_ALL_DATA.tsv', import.meta.url), 'utf-8');
const US = 'ATVPDKIKX0DER';
const LONG_SKU = 'FBA-CAFE-CREME-TASSEN-6ER-SET-PORZ-WEISS';

describe.each(dynamoTargets())('imported listings in the repricer table on $name', (target) => {
  const dynamo = useDynamoTarget(target);

  it('imports the report, shows listings as imported until a range is set, is idempotent, and deactivates gone listings', async () => {
    const deps = { listings: new DynamoImportedListingStore(dynamo(), tables.repricer!.name), offers: new DynamoRepricerStore(dynamo(), tables.repricer!.name) };
    const tenantId = 'listings-tenant';
    const input = { tenantId, marketplaceId: US, currency: 'USD' as const, report, day: '2026-11-29' };

    const first = await importListingsReport(deps, input);
    expect(first).toMatchObject({ reported: 4, written: 4, deactivated: 0, alreadyConfigured: 0 });
    expect(first.rejected).toHaveLength(2);
    const view = await listImportedListings(deps, tenantId);
    expect(view.map((l) => l.sku)).toEqual(['DRAFT-1', LONG_SKU, 'KM-EDEL-40G', 'RK-70x140']);
    expect(view.find((l) => l.sku === LONG_SKU)).toEqual({
      sku: LONG_SKU,
      asin: 'B0C1234567',
      marketplaceId: US,
      title: 'Café Crème Tassen (6er-Set) · Porzellan — 日本製',
      price: '39.50',
      currency: 'USD',
      quantity: null,
      fulfillmentChannel: 'AMAZON_NA',
      listingStatus: 'active',
      repricing: 'imported',
      hint: IMPORTED_LISTING_HINT,
      lastSeenDay: '2026-11-29',
    });
    // Imported listings are not offers: nothing is repriced until the customer sets a range.
    expect(await deps.offers.listOffers(tenantId)).toEqual([]);

    // The same report again the same day writes nothing.
    expect((await importListingsReport(deps, input)).written).toBe(0);

    // The customer sets a range through the rules use case: the offer is created as usual and the listing shows configured.
    const rules = toOfferRules({ sku: 'KM-EDEL-40G', asin: 'B07XJ8C8F5', marketplaceId: US, audience: 'B2C', strategy: 'buybox', currency: 'USD', min: '20.00', max: '30.00' }, 'offers[0]');
    expect(await upsertRules(deps.offers, tenantId, 'A1LISTINGSELLER', [rules], Date.parse('2026-11-29T12:00:00Z'))).toEqual({ created: 1, updated: 0 });
    const configured = (await listImportedListings(deps, tenantId)).find((l) => l.sku === 'KM-EDEL-40G');
    expect(configured).toMatchObject({ repricing: 'configured', hint: null });

    // Next day: the configured SKU is left alone, the long SKU is gone from the report and goes inactive.
    const nextDay = report.split('\r\n').filter((line) => !line.includes(LONG_SKU)).join('\r\n');
    const second = await importListingsReport(deps, { ...input, report: nextDay, day: '2026-11-30' });
    expect(second).toMatchObject({ reported: 3, alreadyConfigured: 1, deactivated: 1 });
    const after = await listImportedListings(deps, tenantId);
    expect(after.find((l) => l.sku === LONG_SKU)).toMatchObject({ listingStatus: 'inactive', lastSeenDay: '2026-11-29' });
    expect(after.find((l) => l.sku === 'RK-70x140')).toMatchObject({ listingStatus: 'inactive', lastSeenDay: '2026-11-30' });
    expect((await deps.offers.listOffers(tenantId)).map((o) => o.rules.sku)).toEqual(['KM-EDEL-40G']);
  });
});
