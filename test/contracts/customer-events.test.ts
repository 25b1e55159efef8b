import { describe, expect, it } from 'vitest';
import { customerEventSchema } from '#shared/contracts/customer-events.ts';

/** Payloads exactly as earlier producers wrote them. They must keep parsing as long as any may sit in a queue. */
const recordedPayloads = {
  'customer.signed-up v1 (repricer)': {
    eventId: 't1#customer.signed-up#repricer#1',
    eventType: 'customer.signed-up',
    version: 1,
    occurredAt: '2026-11-23T10:00:00.000Z',
    tenantId: 't1',
    product: 'repricer',
    trialEndsAt: '2026-12-07T10:00:00.000Z',
    customer: {
      customerId: 't1',
      companyName: 'Example GmbH',
      language: 'de',
      marketplaces: ['DE', 'FR'],
      amazonSellerId: 'A2EXAMPLE12345',
      timeZone: 'Europe/Berlin',
    },
  },
  'customer.signed-up v1 (lost-and-found)': {
    eventId: 't2#customer.signed-up#lost-and-found#1',
    eventType: 'customer.signed-up',
    version: 1,
    occurredAt: '2026-11-23T10:00:00.000Z',
    tenantId: 't2',
    product: 'lost-and-found',
    trialEndsAt: null,
    customer: {
      customerId: 't2',
      companyName: 'Atelier Dupont SARL',
      language: 'fr',
      marketplaces: ['FR'],
      amazonSellerId: 'A2DUPONT000002',
      timeZone: 'Europe/Paris',
    },
  },
  'contract.converted v1 (end-of-trial call, issue 20)': {
    eventId: 't1#contract.converted#repricer#1#v7',
    eventType: 'contract.converted',
    version: 1,
    occurredAt: '2026-12-07T10:05:00.000Z',
    tenantId: 't1',
    product: 'repricer',
    trialEndsAt: '2026-12-07T10:00:00.000Z',
    termMonths: 12,
    endsAt: '2027-12-07T10:00:00.000Z',
    convertedBy: 'csm-anna',
    customer: {
      customerId: 't1',
      companyName: 'Example GmbH',
      language: 'de',
      marketplaces: ['DE', 'FR'],
      amazonSellerId: 'A2EXAMPLE12345',
      timeZone: 'Europe/Berlin',
    },
  },
};

describe('customer event contracts', () => {
  it.each(Object.entries(recordedPayloads))('still parses %s', (_name, payload) => {
    expect(customerEventSchema.safeParse(payload).success).toBe(true);
  });

  it('rejects an event of an unknown type or version, and one missing its customer', () => {
    const base = recordedPayloads['customer.signed-up v1 (repricer)'];
    expect(customerEventSchema.safeParse({ ...base, eventType: 'customer.vanished' }).success).toBe(false);
    expect(customerEventSchema.safeParse({ ...base, version: 99 }).success).toBe(false);
    const { customer: _customer, ...withoutCustomer } = base;
    expect(customerEventSchema.safeParse(withoutCustomer).success).toBe(false);
  });
});
