import type { AuditFacts } from '../audit-facts.ts';
import type { ReimbursementRecord } from '../model.ts';
import { parseDayString } from '../tsv.ts';
import { SOURCES, type ClaimTypeRule } from './catalogue.ts';

/** A unit found this long before the original reimbursement, or after the reversal, belongs to another event. */
const FOUND_BEFORE_REIMBURSEMENT_DAYS = 30;
const FOUND_AFTER_REVERSAL_DAYS = 14;

export interface UnrecoveredReversal {
  reversal: ReimbursementRecord;
  reversalIndex: number;
  original: ReimbursementRecord | undefined;
  originalIndex: number;
  units: number;
}

/**
 * Amazon reverses a reimbursement when it finds the unit again (or says it paid in error). A reversal of a lost or
 * damaged reimbursement with no found (F) adjustment of the FNSKU around it took money back for a unit that never
 * came back: that is the seller's loss again. Found units are used once, oldest reversal first.
 */
export function unrecoveredReversals(facts: AuditFacts): { list: UnrecoveredReversal[]; keptOriginals: Set<string> } {
  const byId = new Map<string, number>();
  for (const [index, r] of facts.reimbursements.entries()) if (r.category !== 'reversal') byId.set(r.reimbursementId, index);
  const foundLeft = new Map<string, Array<{ day: number; units: number }>>();
  const list: UnrecoveredReversal[] = [];
  const reversals = [...facts.reimbursements.entries()]
    .filter(([, r]) => r.category === 'reversal' && r.originalReimbursementId !== '')
    .sort((a, b) => a[1].approvalDate.localeCompare(b[1].approvalDate));
  for (const [reversalIndex, reversal] of reversals) {
    const originalIndex = byId.get(reversal.originalReimbursementId) ?? -1;
    const original = originalIndex >= 0 ? facts.reimbursements[originalIndex] : undefined;
    // Only losses the ledger can speak to: lost or damaged in the warehouse.
    if (original !== undefined && original.category !== 'warehouse_lost' && original.category !== 'warehouse_damaged') continue;
    const fnsku = reversal.fnsku || original?.fnsku || '';
    let found = foundLeft.get(fnsku);
    if (found === undefined) {
      found = (facts.fnskus.get(fnsku)?.found ?? []).map((e) => ({ day: e.day, units: e.units }));
      foundLeft.set(fnsku, found);
    }
    const reversalDay = parseDayString(reversal.approvalDate);
    const fromDay = (original !== undefined ? parseDayString(original.approvalDate) : reversalDay) - FOUND_BEFORE_REIMBURSEMENT_DAYS;
    let units = Math.abs(reversal.quantityTotal);
    for (const f of found) {
      if (units === 0) break;
      if (f.day < fromDay || f.day > reversalDay + FOUND_AFTER_REVERSAL_DAYS || f.units === 0) continue;
      const used = Math.min(f.units, units);
      f.units -= used;
      units -= used;
    }
    if (units > 0) list.push({ reversal, reversalIndex, original, originalIndex, units });
  }
  return { list, keptOriginals: new Set(list.map((u) => u.reversal.originalReimbursementId)) };
}

export const reversalWithoutRecovery: ClaimTypeRule = {
  type: 'reversal_without_recovery',
  title: 'reimbursement reversed, unit never found',
  needs: ['reimbursements', 'inventory_ledger'],
  window: 'reversal',
  cancelledBy: ['warehouse_lost', 'warehouse_damaged'],
  value: 'the amount Amazon took back (reversal amount per unit × units not recovered)',
  candidateNoun: 'reimbursement reversals',
  policy: [
    { rule: 'Amazon may reverse a reimbursement for lost inventory that is subsequently found; a reversal with no unit found is disputed with the ledger', source: SOURCES.lostDamagedPolicy, effective: 'current policy page' },
    { rule: 'reimbursement disputes within 60 days', source: SOURCES.windows2024, effective: '2024-09-05 (EU), 2024-10-23 (US)' },
  ],
  find(ctx) {
    const window = ctx.window(this.window);
    for (const u of unrecoveredReversals(ctx.facts).list) {
      const day = parseDayString(u.reversal.approvalDate);
      if (!ctx.claimable(day, window)) continue;
      const rows = ctx.facts.reimbursementRows;
      const evidence = [
        ctx.evidence('reimbursements', rows[u.reversalIndex]!, `reimbursement:${u.reversal.reimbursementId}|${u.reversal.fnsku}`, u.reversal.reimbursementId, day, u.reversal.quantityTotal, { code: 'reimbursement_reversal', params: { reason: u.reversal.reason, originalReimbursementId: u.reversal.originalReimbursementId } }),
      ];
      if (u.original !== undefined) {
        evidence.push(ctx.evidence('reimbursements', rows[u.originalIndex]!, `reimbursement:${u.original.reimbursementId}|${u.original.fnsku}`, u.original.reimbursementId, parseDayString(u.original.approvalDate), u.original.quantityTotal, { code: 'reimbursement_reversed', params: { reason: u.original.reason } }));
      }
      const perUnit = Math.abs(u.reversal.amountPerUnit.minor) || (u.original?.amountPerUnit.minor ?? 0);
      const msku = u.reversal.msku || u.original?.msku || '';
      ctx.propose(this, {
        identityKey: `reversal:${u.reversal.reimbursementId}|${u.reversal.fnsku}`,
        msku,
        fnsku: u.reversal.fnsku || u.original?.fnsku || '',
        asin: '',
        quantity: u.units,
        ref: u.reversal.originalReimbursementId,
        eventDay: day,
        evidence,
        value: { minor: perUnit * u.units, currency: u.reversal.amountPerUnit.currency, basis: 'reversed_amount' },
        confidence: 'likely',
        // The ledger must reach from the original reimbursement to the reversal: else a found unit may be outside it.
        covers: [{ report: 'inventory_ledger', fromDay: u.original !== undefined ? parseDayString(u.original.approvalDate) : day, toDay: day }],
      });
    }
  },
};
