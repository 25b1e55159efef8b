/**
 * What the audit engine keeps from the reports while it streams them: the facts the claim-type rules
 * (`claim-types/`) read. Each record keeps its file and line (`RowAt`) so that evidence is built only for the
 * rows that end up in a claim.
 */
import type { Currency } from '#shared/kernel/money.ts';
import type { SizeTier } from './claim-types/size-tiers.ts';
import type { ReimbursementRecord } from './model.ts';

/**
 * Where a row was read. Evidence (keys, dates, a detail line: several strings per row) is built from it only for
 * the few rows that end up in a claim; building it for every row read was most of the audit's heap.
 */
export interface RowAt {
  /** Index of the file among the audit's sources. */
  file: number;
  line: number;
}

export interface LedgerEvent extends RowAt {
  day: number;
  ref: string;
  units: number;
  code: string;
}

export interface FnskuState {
  fnsku: string;
  msku: string;
  asin: string;
  currency: Currency | undefined;
  misplaced: LedgerEvent[];
  foundUnits: number;
  /** Found (F) adjustments, for reversals: a reversal with a unit found around it took nothing from the seller. */
  found: LedgerEvent[];
  damaged: LedgerEvent[];
  disposed: LedgerEvent[];
}

export interface InboundItem {
  shipmentId: string;
  msku: string;
  fnsku: string;
  asin: string;
  status: string;
  lastUpdatedDay: number;
  shipped: number;
  received: number;
  ledgerReceived: number;
  at: RowAt;
}

export interface RemovalShipmentRow extends RowAt {
  day: number;
  shipped: number;
  tracking: string;
}

export interface RemovalLine {
  orderId: string;
  /** As written in the report; compared lower-cased. */
  orderType: string;
  status: string;
  requestDay: number;
  lastUpdatedDay: number;
  msku: string;
  fnsku: string;
  requested: number;
  detailShipped: number;
  ledgerRemoved: number;
  shipmentDetailShipped: number;
  at: RowAt;
  /** The first removal shipment rows (evidence), up to what one claim lists. */
  shipments: RemovalShipmentRow[];
}

export interface ReturnRow extends RowAt {
  day: number;
  quantity: number;
  lpn: string;
  disposition: string;
}

export interface ReturnLine {
  orderId: string;
  msku: string;
  fnsku: string;
  asin: string;
  quantity: number;
  returnDay: number;
  /** A status on one of the rows says Amazon reimbursed the return. */
  statusSaysReimbursed: boolean;
  restocked: boolean;
  rows: ReturnRow[];
}

export interface RefundLine {
  /** Hash of the order id and SKU bytes: the key of the order line's charge in `AuditFacts.orderCharges`. */
  chargeKey: number;
  orderId: string;
  msku: string;
  settlementId: string;
  postedDay: number;
  currency: Currency;
  principal: number;
  referralRefunded: number;
  administrationFee: number;
  hasAdministrationFee: boolean;
  quantity: number;
  /** The refunded principal rows (evidence), up to what one claim lists. */
  principalRows: RefundPrincipalRow[];
  at: RowAt;
}

export interface RefundPrincipalRow extends RowAt {
  day: number;
  quantity: number;
  amount: number;
}

export interface FeeOvercharge {
  msku: string;
  settlementId: string;
  currency: Currency;
  units: number;
  overchargeMinor: number;
  firstDay: number;
  orders: number;
  /** The overcharged orders (evidence), up to what one claim lists. */
  rows: FeeOverchargeRow[];
}

export interface FeeOverchargeRow extends RowAt {
  orderId: string;
  day: number;
  quantity: number;
  charged: number;
  expected: number;
}

export interface ReimbursementRow extends RowAt {
  perUnitText: string;
}

export interface CatalogEntry {
  msku: string;
  fnsku: string;
  asin: string;
}

export interface FeePreviewLine {
  currency: Currency;
  price: number;
  feeTotal: number;
  fulfilmentFee: number;
  fnsku: string;
  asin: string;
  /** The day the preview was made (a date in its file name, else the audit's day): the newest per SKU is kept. */
  day: number;
  /** First day of the fee schedule the preview belongs to (NaN unknown): it proves charges from here to `day`. */
  coversFrom: number;
  /** Amazon's `product-size-tier` as written. */
  tierLabel: string;
  /** The tier Amazon states above the one the preview's own dimensions and weight fall into (claim-types/size-tiers.ts). */
  tierAboveMeasured: boolean;
  /** The tier those dimensions and weight fall into, when the region's table could be applied. */
  measuredTier: SizeTier | undefined;
}

/** FBA fees charged for a SKU whose preview states a tier above its measurements, in the fee window and covered by the preview. */
export interface FeeTierCharges {
  msku: string;
  currency: Currency;
  units: number;
  chargedMinor: number;
  firstDay: number;
  /** The charges (evidence), up to what one claim lists. */
  rows: FeeOverchargeRow[];
}

/** FBA fees charged in the fee window outside the days the SKU's fee preview proves (per SKU and settlement). */
export interface UncoveredFeeCharges {
  msku: string;
  settlementId: string;
  firstDay: number;
  lastDay: number;
  /** The SKU's preview states a tier above its measurements (a possible size_tier_overcharge). */
  tierAboveMeasured: boolean;
}


/** A replacement Amazon shipped for an order (FBA replacements report), keyed by the original order and SKU. */
export interface ReplacementLine {
  originalOrderId: string;
  replacementOrderId: string;
  msku: string;
  asin: string;
  quantity: number;
  day: number;
  at: RowAt;
}

/** Everything the claim-type rules may read, filled by the audit engine while it streams the reports. */
export interface AuditFacts {
  readonly catalogBySku: ReadonlyMap<string, CatalogEntry>;
  readonly costs: ReadonlyMap<string, { currency: Currency; minor: number }>;
  readonly feePreview: ReadonlyMap<string, FeePreviewLine>;
  readonly inbound: ReadonlyMap<string, InboundItem>;
  readonly removals: ReadonlyMap<string, RemovalLine>;
  /** Keyed `order|sku`, like `refunds`. */
  readonly returns: ReadonlyMap<string, ReturnLine>;
  readonly refunds: ReadonlyMap<string, RefundLine>;
  readonly feeOvercharges: ReadonlyMap<string, FeeOvercharge>;
  /** Keyed by SKU. */
  readonly feeTierCharges: ReadonlyMap<string, FeeTierCharges>;
  /** Keyed `sku|settlement`, like `feeOvercharges`. */
  readonly uncoveredFeeCharges: ReadonlyMap<string, UncoveredFeeCharges>;
  /** Charged principal by order line key (`RefundLine.chargeKey`). */
  readonly orderCharges: { get(key: number): number | undefined };
  /** Keyed `original order|sku`. */
  readonly replacements: ReadonlyMap<string, ReplacementLine>;
  readonly reimbursements: readonly ReimbursementRecord[];
  /** Where each of `reimbursements` was read, index for index. */
  readonly reimbursementRows: readonly ReimbursementRow[];
  readonly fnskus: ReadonlyMap<string, FnskuState>;
}
