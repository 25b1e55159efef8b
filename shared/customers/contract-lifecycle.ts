/** Cancellation, extension and change of a contract (R-N1): each one conditional write + one versioned event. */
import type { CustomerEvent, Plan, Product } from '#shared/contracts/customer-events.ts';
import { ConflictError, NotFoundError, ValidationError } from '#shared/kernel/errors.ts';
import type { MarketplaceCode } from '#shared/kernel/marketplaces.ts';
import { PLAN_OFFER_LIMITS, snapshotOf, type Contract, type CustomerRecord } from './customer.ts';
import { commitWithEvents, type CommitDeps } from './outbox.ts';

export interface ContractChangeRequest {
  readonly plan?: Plan;
  readonly offerLimit?: number;
  readonly marketplaces?: readonly MarketplaceCode[];
}

function liveContract(record: CustomerRecord | undefined, tenantId: string, product: Product): { record: CustomerRecord; contract: Contract } {
  const contract = record?.contracts[product];
  if (!record || !contract) throw new NotFoundError(`${product} contract of customer ${tenantId}`);
  if (contract.status === 'cancelled') {
    throw new ConflictError(`the ${product} contract of ${tenantId} is cancelled`, 'contract_cancelled');
  }
  return { record, contract };
}

function eventBase(record: CustomerRecord, contract: Contract, kind: string, occurredAt: string) {
  return {
    // Unique per contract state: the record version makes each change of one contract its own event.
    eventId: `${record.tenantId}#${kind}#${contract.product}#${contract.sequence}#v${record.version + 1}`,
    occurredAt,
    tenantId: record.tenantId,
    product: contract.product,
    customer: snapshotOf(record),
  };
}

export async function cancelContract(deps: CommitDeps, tenantId: string, product: Product, reason: string | null): Promise<CustomerRecord> {
  return commitWithEvents(deps, tenantId, (current) => {
    const { record, contract } = liveContract(current, tenantId, product);
    const now = deps.clock.now().toISOString();
    const event: CustomerEvent = {
      ...eventBase(record, contract, 'contract.cancelled', now),
      eventType: 'contract.cancelled',
      version: 1,
      reason,
      effectiveAt: now,
    };
    const cancelled: Contract = { ...contract, status: 'cancelled', cancelledAt: now };
    return { record: { ...record, contracts: { ...record.contracts, [product]: cancelled } }, events: [event] };
  });
}

export async function extendContract(deps: CommitDeps, tenantId: string, product: Product, months: number): Promise<CustomerRecord> {
  if (!Number.isInteger(months) || months < 1 || months > 60) throw new ValidationError('months: a whole number from 1 to 60', { field: 'months' });
  return commitWithEvents(deps, tenantId, (current) => {
    const { record, contract } = liveContract(current, tenantId, product);
    const now = deps.clock.now();
    const from = new Date(Math.max(now.getTime(), Date.parse(contract.endsAt ?? contract.trialEndsAt ?? now.toISOString())));
    const endsAt = addMonths(from, months).toISOString();
    const event: CustomerEvent = {
      ...eventBase(record, contract, 'contract.extended', now.toISOString()),
      eventType: 'contract.extended',
      version: 1,
      months,
      previousEndsAt: contract.endsAt,
      endsAt,
    };
    // Extending a trial converts it: the customer has committed to a paid term.
    const extended: Contract = { ...contract, status: 'active', endsAt };
    return { record: { ...record, contracts: { ...record.contracts, [product]: extended } }, events: [event] };
  });
}

/** The paid term a trial converted on the end-of-trial call starts with, unless the call agreed another. */
export const CONVERTED_TERM_MONTHS = 12;

/**
 * R-O4: the customer continues after the trial (recorded by a CSM manager on the end-of-trial call): the trial
 * becomes a paid term from the trial's end and `contract.converted` is published. A contract that is no longer a
 * trial is left as it is (the call's outcome retried, or the customer extended meanwhile): nothing is published.
 */
export async function convertTrial(
  deps: CommitDeps,
  tenantId: string,
  product: Product,
  conversion: { readonly termMonths: number; readonly convertedBy: string },
): Promise<{ record: CustomerRecord; converted: boolean }> {
  let converted = false;
  const record = await commitWithEvents(deps, tenantId, (current) => {
    const { record, contract } = liveContract(current, tenantId, product);
    converted = contract.status === 'trial';
    if (!converted) return { record, events: [] };
    const now = deps.clock.now();
    const from = new Date(Math.max(now.getTime(), Date.parse(contract.trialEndsAt ?? now.toISOString())));
    const endsAt = addMonths(from, conversion.termMonths).toISOString();
    const event: CustomerEvent = {
      ...eventBase(record, contract, 'contract.converted', now.toISOString()),
      eventType: 'contract.converted',
      version: 1,
      trialEndsAt: contract.trialEndsAt,
      termMonths: conversion.termMonths,
      endsAt,
      convertedBy: conversion.convertedBy,
    };
    return { record: { ...record, contracts: { ...record.contracts, [product]: { ...contract, status: 'active', endsAt } } }, events: [event] };
  });
  return { record, converted };
}

export async function changeContract(deps: CommitDeps, tenantId: string, product: Product, change: ContractChangeRequest): Promise<CustomerRecord> {
  return commitWithEvents(deps, tenantId, (current) => {
    const { record, contract } = liveContract(current, tenantId, product);
    const plan = change.plan ?? contract.plan;
    const offerLimit = change.offerLimit ?? (change.plan ? PLAN_OFFER_LIMITS[change.plan] : contract.offerLimit);
    const marketplaces = change.marketplaces ?? record.marketplaces;
    const changes: Extract<CustomerEvent, { eventType: 'contract.changed' }>['changes'] = {
      ...(plan !== contract.plan ? { plan: { from: contract.plan, to: plan } } : {}),
      ...(offerLimit !== contract.offerLimit ? { offerLimit: { from: contract.offerLimit, to: offerLimit } } : {}),
      ...(!sameSet(marketplaces, record.marketplaces) ? { marketplaces: { from: [...record.marketplaces], to: [...marketplaces] } } : {}),
    };
    if (Object.keys(changes).length === 0) throw new ValidationError('nothing to change: the contract already has these terms', {}, 'no_change');
    const changed: CustomerRecord = {
      ...record,
      marketplaces,
      contracts: { ...record.contracts, [product]: { ...contract, plan, offerLimit } },
    };
    const event: CustomerEvent = {
      ...eventBase(record, contract, 'contract.changed', deps.clock.now().toISOString()),
      customer: snapshotOf(changed),
      eventType: 'contract.changed',
      version: 1,
      changes,
    };
    return { record: changed, events: [event] };
  });
}

function sameSet<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function addMonths(date: Date, months: number): Date {
  const d = new Date(date);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d;
}
