/**
 * The claim-type catalogue: one module per kind of loss, each saying which reports prove it, when Amazon
 * accepts it (window and deadline), which reimbursements cancel it and how its value is derived, with the
 * policy rule each of these rests on (source and date: docs/lost-and-found.md#policy). The audit engine
 * (`../audit.ts`) streams the reports into facts (`../audit-facts.ts`) and hands them to these rules; a rule
 * proposes claims, and the engine keeps only those whose evidence reports were all present and cover the days
 * the claim needs. What it withholds is listed in the audit summary with the report to upload.
 */
import type { Currency } from '#shared/kernel/money.ts';
import type { AuditFacts, RefundLine, RowAt } from '../audit-facts.ts';
import type { ClaimConfidence, ClaimType, Evidence, ReimbursementCategory, ValueBasis } from '../model.ts';
import type { ReportType } from '../report-types.ts';
import type { EvidenceDetail } from '../evidence-detail.ts';
import type { ClaimWindow, ClaimWindows } from '../rules.ts';
import type { ReimbursementBook } from './reimbursement-book.ts';

/** One rule of Amazon's policy a claim type rests on, with where it is written and since when. */
export interface PolicyRule {
  rule: string;
  source: string;
  /** When the rule took effect (or the source's date when it states no effective date). */
  effective: string;
}

/** A claim's value in minor units, and what it was derived from. */
export interface ClaimValue {
  minor: number;
  currency: Currency;
  basis: ValueBasis;
  /** Why no value could be derived (the claim is then marked `valueUnknown`). */
  unknownReason?: string;
}

/** A report a claim rests on and the days it must cover (inclusive). */
export interface CoverageNeed {
  report: ReportType;
  fromDay: number;
  toDay: number;
}

/** What a rule proposes; the engine turns it into a `FoundClaim` when its evidence is complete. */
export interface ClaimDraft {
  /** The key of the row that defines the loss: the claim id is derived from it (stable across downloads). */
  identityKey: string;
  msku: string;
  fnsku: string;
  asin: string;
  quantity: number;
  ref: string;
  eventDay: number;
  evidence: Evidence[];
  value: ClaimValue;
  confidence: ClaimConfidence;
  /** The window of this claim when it is not the rule's own (customer returns: by marketplace). */
  window?: ClaimWindow;
  /** Reports that must cover given days for this claim, beyond being present (`ClaimTypeRule.needs`). */
  covers?: readonly CoverageNeed[];
}

export interface RuleContext {
  readonly asOfDay: number;
  readonly facts: AuditFacts;
  readonly reimbursed: ReimbursementBook;
  window(name: keyof ClaimWindows): ClaimWindow;
  /** Inclusive at both ends: claimable on the day the window opens and on the deadline itself. */
  claimable(eventDay: number, window: ClaimWindow): boolean;
  /** Days covered by the rows of a report type (first to last row date), undefined when absent or without dated rows. */
  coverage(report: ReportType): { from: number; to: number } | undefined;
  evidence(report: ReportType, at: RowAt, key: string, id: string, day: number, quantity: number, detail: EvidenceDetail): Evidence;
  /** A unit lost before a customer order: its manufacturing cost (seller cost sheet), else Amazon's earlier payments for it. */
  unitValueBeforeOrder(msku: string, fallbackCurrency: Currency | undefined): ClaimValue;
  /** After a refund: what it debited the seller per unit (principal − referral fee returned + administration fee). */
  unitValueAfterOrder(refund: RefundLine): ClaimValue;
  /** A unit lost after a customer order (a replacement's original): the fee preview's price minus its fees. */
  unitSaleValue(msku: string, fallbackCurrency: Currency | undefined): ClaimValue;
  propose(rule: ClaimTypeRule, draft: ClaimDraft): void;
  /** A possible claim the rule found its evidence report does not cover (listed in the summary with that report). */
  withhold(rule: ClaimTypeRule, need: CoverageNeed): void;
}

export interface ClaimTypeRule {
  readonly type: ClaimType;
  /** What the seller lost, in a few words (summary, docs). */
  readonly title: string;
  /** Reports without which no claim of this type can be proven: absent, the engine withholds every claim. */
  readonly needs: readonly ReportType[];
  readonly window: keyof ClaimWindows;
  /** Reimbursement reasons (grouped) that pay this loss and nothing else. */
  readonly cancelledBy: readonly ReimbursementCategory[];
  /** How the value is derived, for the docs and the case text. */
  readonly value: string;
  /** What a withheld candidate is, counted in the summary ("12 removal orders"). */
  readonly candidateNoun: string;
  readonly policy: readonly PolicyRule[];
  find(ctx: RuleContext): void;
}

/** Values multiplied by units, keeping basis and reason. */
export function times(value: ClaimValue, units: number): ClaimValue {
  return { ...value, minor: value.minor * units };
}

export function byDayThenRef(a: { day: number; ref: string }, b: { day: number; ref: string }): number {
  return a.day - b.day || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0);
}

export const MAX_EVIDENCE_PER_CLAIM = 25;

/** Sources cited by the rules (full list with dates: docs/lost-and-found.md#policy). */
export const SOURCES = {
  windowsEu2024:
    'Amazon Europe, "Update on eligibility window to file reimbursement claims" (2024; reposted https://seller-forum.com/t/update-on-eligibility-window-to-file-reimbursement-claims/7594)',
  windows2024:
    'Amazon Seller Forums, "Update on reimbursement claim window eligibility on FBA" (announced 2024; https://sellercentral.amazon.ae/seller-forums/discussions/t/96a05f4a-537a-49d2-a918-703c47716bc0)',
  proactive2024:
    'Amazon Seller Central news, "Changes to FBA inventory reimbursement policy" (2024-07-24; https://sellercentral.amazon.com/seller-forums/discussions/t/6605eede-df8e-4498-803f-cb612d95d7ce)',
  customerReturnClaims:
    'Amazon Seller Central help G9N934L7Y4SFWPJ4, "FBA inventory reimbursement policy: Customer return claims" (https://sellercentral.amazon.com/gp/help/external/G9N934L7Y4SFWPJ4)',
  lostDamagedPolicy:
    'Amazon, "FBA lost and damaged inventory reimbursement policy" (reimbursement value, reversal of reimbursements for found items)',
  manufacturingCost2025:
    'Amazon, "Update to the FBA lost and damaged inventory reimbursement policy" (effective 2025-03-10; Amazon Japan repost https://seller-forum.com/t/update-to-the-fba-lost-and-damage-inventory-reimbursement-policy/7337; https://carbon6.io/blog/amazon-cost-based-reimbursement-update, 2025-01-07)',
  sizeTiers:
    'Amazon Seller Central help 201105770, "Product size tiers" (2024 tiers from 2024-02-05; https://sellercentral.amazon.com/gp/help/external/201105770)',
  sizeTiersEurope:
    'Amazon.nl Seller Central help G2CD5P9TSDYZA2XG, "Product size tier" (https://sellercentral.amazon.nl/gp/help/external/G2CD5P9TSDYZA2XG)',
  feeReimbursement:
    'Amazon Seller Central help GL7U4JFSDXUTQAJ, "FBA fees reimbursement policy: Weight and dimensions" (https://sellercentral.amazon.fr/gp/help/external/help.html?itemID=GL7U4JFSDXUTQAJ)',
  feeChanges:
    'Amazon fee announcements: US 2024 (2024-02-05) and 2026 (2026-01-15) fee changes, Europe 2026 fee changes (2025-12-15, 2026-02-01); holiday peak fees 15 Oct – 14 Jan (third-party summaries; list in claim-types/size-tiers.ts)',
} as const;
