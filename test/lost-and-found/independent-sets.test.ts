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
  // Not one of the key's types: see TIER_DISAGREEMENT.
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

/**
 * Points of the key this comparison does not accept, each with its reason (reported to the key's author):
 * - it-partial-ledger-utf16, disposed_unauthorised 58099439611: the key dates the D/G adjustment 2026-09-14, but the
 *   set's ledger starts 2026-09-21 (`ledgerCoversLastDays: 45`) and holds no row with that reference: the generator's
 *   `disposedClaimable` case, unlike `lostClaimable`, does not check `ledgerCovers`. By the key's own POLICY.md ("ledger
 *   starting after the event → not provable") this case is not provable; it is removed from the claimable cases (and a
 *   claim for it would count as false).
 */
const EXCLUDED_KEY_CASES: ReadonlyArray<{ set: string; type: string; id: string }> = [
  { set: 'it-partial-ledger-utf16', type: 'disposed_unauthorised', id: '58099439611' },
];

/**
 * Where the key and Amazon's size-tier table disagree (reported to the key's author; the rule is not tuned to the
 * key): the European sets label every product, 24.5 × 16.0 × 8.2 cm and 0.62 kg, "Standard Parcel", which Amazon's
 * table (Amazon.nl help G2CD5P9TSDYZA2XG: small parcel up to 35 × 25 × 12 cm and 3.9 kg) puts in small parcel. The
 * audit asks for a re-measurement (`size_tier_overcharge`, `likely`, value unknown) of each such SKU charged in the
 * last 90 days; the key, which has no size-tier type, calls them clean. Such claims are counted here as the
 * disagreement, not as false claims, only when their evidence names exactly this label and tier; any other
 * `size_tier_overcharge` claim is false. The US set's labels ("Large Standard-Size", 9.65 × 6.30 × 3.23 in,
 * 1.37 lb) agree with the US table, so it must have none.
 */
const TIER_DISAGREEMENT = /at the fee preview's tier "Standard Parcel"; its dimensions and weight fall in small_parcel$/;

function isTierDisagreement(claim: FoundClaim): boolean {
  return claim.type === 'size_tier_overcharge' && claim.evidence.length > 0 && claim.evidence.every((e) => TIER_DISAGREEMENT.test(e.detail));
}

function caseId(c: KeyCase): string {
  return c.referenceId ?? c.orderId ?? c.shipmentId ?? c.removalOrderId ?? '';
}

/** A claim answers a case when type, product and the case's own id (reference, order, shipment, removal order) agree. */
function answers(claim: FoundClaim, c: KeyCase): boolean {
  if (KEY_TYPE[claim.type] !== c.type) return false;
  if (claim.fnsku !== c.fnsku && claim.msku !== c.msku) return false;
  const id = caseId(c);
  return claim.ref === id || claim.evidence.some((e) => e.id === id);
}

interface Comparison {
  set: string;
  claimable: number;
  claimed: number;
  missed: string[];
  wrongUnits: string[];
  falseClaims: string[];
  onAbsentReport: string[];
  tierDisagreements: number;
}

function compare(key: AnswerKey, result: AuditResult): Comparison {
  const claimable = key.claimable.filter((c) => !EXCLUDED_KEY_CASES.some((x) => x.set === key.scenario && x.type === c.type && x.id === caseId(c)));
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
    .filter((c) => !matchedClaims.has(c) && !isTierDisagreement(c))
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
  const tierDisagreements = result.claims.filter(isTierDisagreement).length;
  return { set: key.scenario, claimable: claimable.length, claimed: claimable.length - missed.length, missed, wrongUnits, falseClaims, onAbsentReport, tierDisagreements };
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
      if (key.marketplace === 'US') expect(comparison.tierDisagreements, 'US labels agree with the US size-tier table').toBe(0);
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
    // The documented disagreement shows up where the key's labels are European (not tuned away, not hidden).
    expect(comparisons.filter((c) => c.set !== 'us-complete-utf8').reduce((s, c) => s + c.tierDisagreements, 0)).toBeGreaterThan(0);
  });
});
