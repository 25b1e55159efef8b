import { describe, expect, it } from 'vitest';
import { ManualClock } from '#shared/kernel/clock.ts';
import { ConflictError } from '#shared/kernel/errors.ts';
import { money } from '#shared/kernel/money.ts';
import { applyClaimAction, newClaim } from '#shared/lost-and-found/lifecycle.ts';
import { AssistedCaseFiling } from '#shared/adapters/case-filing/assisted-case-filing.ts';
import { SimulatedCaseFiling } from '#shared/adapters/simulated/seller-support-case-filing.ts';
import { InMemoryClaimRepository } from '../support/lost-and-found-memory.ts';
import { claimId, reimbursementCategory, type FoundClaim, type ReimbursementRecord } from '#shared/lost-and-found/model.ts';
import { caseText } from '#shared/lost-and-found/case-text.ts';
import { auditCustomerReports, expireOverdueClaims, fileClaim, reconcileReimbursements, recordAuditFindings, recordCaseFiled, transitionClaim } from '#shared/lost-and-found/use-cases.ts';
import { COSTS, ledger, memorySource, noReimbursements } from './helpers.ts';

const found = (over: Partial<FoundClaim> = {}): FoundClaim => ({
  id: claimId('lost_warehouse', ['ledger:R1|X1|M']),
  type: 'lost_warehouse',
  msku: 'SKU-1',
  fnsku: 'X1',
  asin: 'B1',
  quantity: 2,
  ref: 'R1',
  amount: money(2000, 'EUR'),
  valueBasis: 'seller_cost',
  eventDate: '2025-05-20',
  openFrom: '2025-06-19',
  deadline: '2025-07-19',
  evidence: [{ report: 'inventory_ledger', key: 'ledger:R1|X1|M', id: 'R1', date: '2025-05-20', quantity: -2, detail: 'Adjustments reason M', file: 'l.tsv', line: 2 }],
  ...over,
});

const reimbursement = (over: Partial<ReimbursementRecord> = {}): ReimbursementRecord => ({
  reimbursementId: 'RB1',
  caseId: '',
  amazonOrderId: '',
  reason: 'Lost_Warehouse',
  category: reimbursementCategory(over.reason ?? 'Lost_Warehouse'),
  msku: 'SKU-1',
  fnsku: 'X1',
  approvalDate: '2025-06-25',
  amountPerUnit: money(1000, 'EUR'),
  amountTotal: money(2000, 'EUR'),
  quantityCash: 2,
  quantityInventory: 0,
  quantityTotal: 2,
  originalReimbursementId: '',
  ...over,
});

const setup = async () => {
  const clock = new ManualClock(new Date('2025-06-20T09:00:00Z'));
  const ports = { claims: new InMemoryClaimRepository(), caseFiling: new SimulatedCaseFiling() };
  await recordAuditFindings(ports, clock, { customerId: 'c1', claims: [found()] });
  return { clock, ports, id: found().id };
};

describe('claims lifecycle', () => {
  it('moves found → filed → info requested → filed → paid', async () => {
    const { clock, ports, id } = await setup();
    const filed = await recordCaseFiled(ports, clock, { customerId: 'c1', claimId: id, caseId: 'CASE-1' });
    expect(filed).toMatchObject({ status: 'filed', caseId: 'CASE-1', version: 1 });
    await transitionClaim(ports, clock, { customerId: 'c1', claimId: id, action: { kind: 'request_info', note: 'send invoice' } });
    const answered = await transitionClaim(ports, clock, { customerId: 'c1', claimId: id, action: { kind: 'answer_info', note: 'invoice sent' } });
    expect(answered.status).toBe('filed');
    const paid = await transitionClaim(ports, clock, { customerId: 'c1', claimId: id, action: { kind: 'payment', reimbursementId: 'RB1', amount: money(2000, 'EUR'), units: 2 } });
    expect(paid).toMatchObject({ status: 'paid', recovered: { minor: 2000 } });
    expect(paid.history.map((h) => h.to)).toEqual(['filed', 'info_requested', 'filed', 'paid']);
  });

  it('refuses transitions the state does not allow with a ConflictError', async () => {
    const claim = newClaim(found(), 'c1', new Date());
    expect(() => applyClaimAction(claim, { kind: 'reject', reason: 'x' }, new Date())).toThrow(ConflictError);
    const expired = applyClaimAction(claim, { kind: 'expire' }, new Date());
    expect(() => applyClaimAction(expired, { kind: 'file', caseId: '1' }, new Date())).toThrow(ConflictError);
  });

  it('rejects a stale write by version', async () => {
    const { clock, ports, id } = await setup();
    const stale = (await ports.claims.get('c1', id))!;
    await recordCaseFiled(ports, clock, { customerId: 'c1', claimId: id, caseId: 'CASE-1' });
    await expect(ports.claims.save(applyClaimAction(stale, { kind: 'expire' }, clock.now()), stale.version)).rejects.toThrow(ConflictError);
  });

  it('files through the simulated Seller Support and records the case id', async () => {
    const { clock, ports, id } = await setup();
    const result = await fileClaim(ports, clock, { customerId: 'c1', claimId: id });
    expect(result.claim).toMatchObject({ status: 'filed', caseId: '10000000000' });
    expect(result.text).toContain('2 unit(s) of FNSKU X1');
    await expect(fileClaim(ports, clock, { customerId: 'c1', claimId: id })).rejects.toThrow(ConflictError);
  });

  it('hands back the case text when filing is assisted, leaving the claim found', async () => {
    const { clock, ports, id } = await setup();
    const result = await fileClaim({ ...ports, caseFiling: new AssistedCaseFiling() }, clock, { customerId: 'c1', claimId: id });
    expect(result.filing.kind).toBe('assisted');
    expect(result.claim.status).toBe('found');
  });

  it('writes case text per claim type with units, dates and evidence ids', () => {
    const text = caseText(found({ type: 'inbound_shortage', ref: 'FBA15X', evidence: [] }));
    expect(text).toContain('Inbound shipment FBA15X');
    expect(text).toContain('Claim deadline: 2025-07-19');
    expect(caseText(found())).toContain('inventory_ledger R1 (2025-05-20)');
  });

  it('expires unfiled claims after their deadline', async () => {
    const { clock, ports, id } = await setup();
    clock.advance(29 * 86_400_000);
    expect(await expireOverdueClaims(ports, clock, { customerId: 'c1' })).toEqual([]);
    clock.advance(1 * 86_400_000);
    expect(await expireOverdueClaims(ports, clock, { customerId: 'c1' })).toEqual([id]);
  });
});

describe('reconciliation', () => {
  it('marks a claim paid from a reimbursement carrying its case id, once', async () => {
    const { clock, ports, id } = await setup();
    await recordCaseFiled(ports, clock, { customerId: 'c1', claimId: id, caseId: 'CASE-1' });
    const rows = [reimbursement({ caseId: 'CASE-1', fnsku: 'OTHER', reason: 'Other' })];
    const first = await reconcileReimbursements(ports, clock, { customerId: 'c1', reimbursements: rows });
    expect(first.paid).toEqual([{ claimId: id, reimbursementId: 'RB1', matchedBy: 'case', status: 'paid' }]);
    const again = await reconcileReimbursements(ports, clock, { customerId: 'c1', reimbursements: rows });
    expect(again.paid).toEqual([]);
    expect((await ports.claims.get('c1', id))!.recovered.minor).toBe(2000);
  });

  it('marks a claim partially paid from a reimbursement matching its evidence', async () => {
    const { clock, ports, id } = await setup();
    const rows = [reimbursement({ quantityTotal: 1, quantityCash: 1, amountTotal: money(1000, 'EUR') })];
    const result = await reconcileReimbursements(ports, clock, { customerId: 'c1', reimbursements: rows });
    expect(result.paid[0]).toMatchObject({ claimId: id, matchedBy: 'evidence', status: 'partially_paid' });
  });

  it('does not treat a reimbursement older than the claim as its payment', async () => {
    const { clock, ports } = await setup();
    const result = await reconcileReimbursements(ports, clock, { customerId: 'c1', reimbursements: [reimbursement({ approvalDate: '2025-06-01' })] });
    expect(result.paid).toEqual([]);
  });

  it('reopens a paid claim when Amazon reverses the reimbursement', async () => {
    const { clock, ports, id } = await setup();
    await recordCaseFiled(ports, clock, { customerId: 'c1', claimId: id, caseId: 'CASE-1' });
    await reconcileReimbursements(ports, clock, { customerId: 'c1', reimbursements: [reimbursement({ caseId: 'CASE-1' })] });
    const reversal = reimbursement({ reimbursementId: 'RB2', reason: 'Reimbursement_Reversal', category: 'reversal', originalReimbursementId: 'RB1', amountTotal: money(-2000, 'EUR') });
    const result = await reconcileReimbursements(ports, clock, { customerId: 'c1', reimbursements: [reversal] });
    expect(result.reversed).toEqual([{ claimId: id, reimbursementId: 'RB1' }]);
    const claim = (await ports.claims.get('c1', id))!;
    expect(claim).toMatchObject({ status: 'reversed', recovered: { minor: 0 } });
    expect(applyClaimAction(claim, { kind: 'file', caseId: 'CASE-2' }, clock.now()).status).toBe('filed');
  });
});

describe('audit runs and the claim store', () => {
  it('running the audit twice creates no duplicate claims and keeps filed claims as they are', async () => {
    const clock = new ManualClock(new Date('2025-06-30T06:00:00Z'));
    const ports = { claims: new InMemoryClaimRepository() };
    const sources = [memorySource('c.tsv', COSTS), memorySource('l.tsv', ledger([{ date: '2025-05-20', event: 'Adjustments', ref: 'R1', quantity: -2, reason: 'M' }])), noReimbursements()];
    const first = await auditCustomerReports(ports, clock, { customerId: 'c1', sources });
    expect(first.upsert.created).toHaveLength(1);
    await recordCaseFiled(ports, clock, { customerId: 'c1', claimId: first.upsert.created[0]!, caseId: 'CASE-9' });
    const second = await auditCustomerReports(ports, clock, { customerId: 'c1', sources });
    expect(second.upsert).toEqual({ created: [], refreshed: [], untouched: first.upsert.created });
    expect(await ports.claims.list('c1')).toHaveLength(1);
  });
});
