/**
 * The audit against report sets it was not written for: `test/independent-fba/` holds sets and answer keys built by
 * an engineer who never read the audit, from Amazon's report formats and policy alone (POLICY.md there). For every
 * set: ≥ 99 % of the claimable cases claimed (over all sets), not one false claim, and no claim of a type whose
 * evidence report is absent from the set.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { directorySources } from '../../cli/lost-and-found-sources.ts';
import { runAudit, type AuditResult } from '#shared/lost-and-found/audit.ts';
import { CLAIM_CATALOGUE } from '#shared/lost-and-found/claim-types/index.ts';
import type { ClaimType, FoundClaim } from '#shared/lost-and-found/model.ts';
import type { ReportType } from '#shared/lost-and-found/report-types.ts';

const SETS = join(import.meta.dirname, '..', 'independent-fba', 'sets');

interface KeyCase {
  type: string;
  fnsku: string;
  msku?: string;
  orderId?: string;
  referenceId?: string;
  removalOrderId?: string;
  shipmentId?: string;
  units?: number;
  missingReport?: string;
}

interface AnswerKey {
  scenario: string;
  marketplace: string;
  asOf: string;
  reportsPresent: string[];
  claimable: KeyCase[];
  traps: KeyCase[];
  notProvable: KeyCase[];
}

/** The key's names for two types this project named first (same policy, same evidence). */
const KEY_TYPE: Readonly<Record<ClaimType, string>> = {
  lost_warehouse: 'lost_warehouse',
  damaged_warehouse: 'damaged_warehouse',
  disposed_unauthorised: 'disposed_unauthorised',
  refund_not_returned: 'customer_refund_no_return',
  return_not_restocked: 'return_not_restocked',
  // Not one of the key's types (its returns are sellable, defective or customer-damaged): any such claim is false.
  return_unsellable: 'return_unsellable',
  inbound_shortage: 'inbound_shortage',
  removal_lost: 'removal_lost',
  fee_overcharge: 'fee_overcharge',
  size_tier_overcharge: 'size_tier_overcharge',
  underpaid_reimbursement: 'reimbursed_below_value',
  reversal_without_recovery: 'reversal_without_recovery',
  refund_above_charge: 'refund_above_charge',
  replacement_not_returned: 'replacement_not_returned',
};

const REPORT_OF_KIND: Readonly<Record<string, ReportType>> = {
  ledger: 'inventory_ledger',
  reimbursements: 'reimbursements',
  customerReturns: 'customer_returns',
  replacements: 'replacements',
  removalOrders: 'removal_order_detail',
  removalShipments: 'removal_shipment_detail',
  settlement: 'settlement',
  feePreview: 'fee_preview',
  inboundShipments: 'inbound_shipment_items',
};

function caseId(c: KeyCase): string {
  return c.referenceId ?? c.orderId ?? c.shipmentId ?? c.removalOrderId ?? '';
}

/**
 * A claim answers a case when type, product and the case's own id (reference, order, shipment, removal order) agree;
 * a case with no id of its own is one per product (a size-tier re-measurement), answered by type and product.
 */
function answers(claim: FoundClaim, c: KeyCase): boolean {
  if (KEY_TYPE[claim.type] !== c.type) return false;
  if (claim.fnsku !== c.fnsku && claim.msku !== c.msku) return false;
  const id = caseId(c);
  return id === '' || claim.ref === id || claim.evidence.some((e) => e.id === id);
}

interface Comparison {
  set: string;
  claimable: number;
  claimed: number;
  missed: string[];
  wrongUnits: string[];
  falseClaims: string[];
  onAbsentReport: string[];
}

function compare(key: AnswerKey, result: AuditResult): Comparison {
  const claimable = key.claimable;
  const present = new Set(key.reportsPresent.map((kind) => REPORT_OF_KIND[kind]));
  const matchedClaims = new Set<FoundClaim>();
  const missed: string[] = [];
  const wrongUnits: string[] = [];
  const unitsPerClaim = new Map<FoundClaim, number>();
  for (const c of claimable) {
    const claim = result.claims.find((x) => answers(x, c));
    if (claim === undefined) {
      missed.push(`${c.type} ${caseId(c)} (${c.fnsku})`);
      continue;
    }
    matchedClaims.add(claim);
    unitsPerClaim.set(claim, (unitsPerClaim.get(claim) ?? 0) + (c.units ?? 0));
  }
  // Fee overcharges are claimed per SKU and settlement: one claim answers each overcharged order in it.
  for (const [claim, units] of unitsPerClaim) if (claim.quantity !== units) wrongUnits.push(`${claim.type} ${claim.ref}: ${claim.quantity} units, key ${units}`);
  const falseClaims = result.claims
    .filter((c) => !matchedClaims.has(c))
    .map((c) => {
      const trap = [...key.traps, ...key.notProvable].find((t) => answers(c, t));
      return `${c.type} ${c.ref} ${c.fnsku} ×${c.quantity}${trap ? ` (the key: ${'why' in trap ? String((trap as { why?: string }).why) : ''})` : ''}`;
    });
  const onAbsentReport = result.claims
    .filter((c) => {
      const rule = CLAIM_CATALOGUE.find((r) => r.type === c.type)!;
      return rule.needs.some((r) => !present.has(r)) || c.evidence.some((e) => !present.has(e.report));
    })
    .map((c) => `${c.type} ${c.ref}`);
  return { set: key.scenario, claimable: claimable.length, claimed: claimable.length - missed.length, missed, wrongUnits, falseClaims, onAbsentReport };
}

const sets = readdirSync(SETS, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

describe('independent FBA report sets (test/independent-fba, built without reading the audit)', () => {
  const comparisons: Comparison[] = [];

  for (const set of sets) {
    it(`${set}: no false claim, no claim on an absent report, units as in the key`, async () => {
      const dir = join(SETS, set);
      const key = JSON.parse(readFileSync(join(dir, 'answer-key.json'), 'utf8')) as AnswerKey;
      const sources = directorySources(dir).filter((s) => s.name !== 'answer-key.json');
      const result = await runAudit(sources, { asOf: key.asOf });
      const comparison = compare(key, result);
      comparisons.push(comparison);
      expect(comparison.falseClaims, 'false claims').toEqual([]);
      expect(comparison.onAbsentReport, 'claims resting on an absent report').toEqual([]);
      expect(comparison.wrongUnits, 'units').toEqual([]);
      for (const c of result.claims.filter((x) => x.type === 'size_tier_overcharge')) expect(c).toMatchObject({ confidence: 'likely', valueUnknown: true });
      // Every claim carries a positive value or says why it has none.
      for (const c of result.claims) expect(c.amount.minor > 0 || (c.valueUnknown === true && (c.valueUnknownReason ?? '') !== ''), `${c.type} ${c.ref}`).toBe(true);
    });
  }

  it('claims ≥ 99 % of the claimable cases over all sets', () => {
    expect(comparisons).toHaveLength(sets.length);
    const claimable = comparisons.reduce((s, c) => s + c.claimable, 0);
    const claimed = comparisons.reduce((s, c) => s + c.claimed, 0);
    const missed = comparisons.flatMap((c) => c.missed.map((m) => `${c.set}: ${m}`));
    expect(claimable).toBeGreaterThan(50);
    expect(claimed / claimable, `missed:\n${missed.join('\n')}`).toBeGreaterThanOrEqual(0.99);
  });
});
