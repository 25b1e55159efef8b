/**
 * Independent FBA report-set generator and answer key for the Lost & Found audit.
 *
 * Written from Amazon's published report formats and FBA reimbursement policy only (see POLICY.md); it shares no
 * code or data with the audit, so agreement between the two is evidence rather than construction.
 *
 *   npx tsx test/independent-fba/generate.ts                 # rewrite the committed sets under sets/
 *   npx tsx test/independent-fba/generate.ts --out DIR --scale 20   # a larger background, written elsewhere
 */
import { gzipSync } from 'node:zlib';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// ---------------------------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------------------------

export type Marketplace = 'DE' | 'FR' | 'GB' | 'US' | 'IT' | 'ES';
export type FileEncoding = 'utf-8' | 'utf-8-bom' | 'windows-1252' | 'utf-16le-bom';
export type ReportKind =
  | 'ledger'
  | 'reimbursements'
  | 'customerReturns'
  | 'replacements'
  | 'removalOrders'
  | 'removalShipments'
  | 'settlement'
  | 'feePreview'
  | 'inboundShipments';

export type ClaimType =
  | 'lost_warehouse'
  | 'damaged_warehouse'
  | 'disposed_unauthorised'
  | 'customer_refund_no_return'
  | 'return_not_restocked'
  | 'inbound_shortage'
  | 'removal_lost'
  | 'fee_overcharge'
  | 'reimbursed_below_value'
  | 'reversal_without_recovery'
  | 'refund_above_charge'
  | 'replacement_not_returned'
  | 'size_tier_overcharge';

export interface Money {
  minor: number;
  currency: string;
}

export interface ClaimableCase {
  type: ClaimType;
  fnsku: string;
  msku: string;
  orderId?: string;
  referenceId?: string;
  removalOrderId?: string;
  shipmentId?: string;
  units: number;
  eventDate: string;
  /** First day a manual claim may be filed (Amazon's own search/return period has passed). */
  claimOpens: string;
  deadline: string;
  value: Money | null;
  valueBasis: string;
  /** Set when the reports show a strong indication, not proof (a re-measurement request); absent: the reports prove it. */
  confidence?: 'likely';
  note?: string;
}

export interface TrapCase {
  description: string;
  type: ClaimType;
  fnsku: string;
  orderId?: string;
  referenceId?: string;
  removalOrderId?: string;
  shipmentId?: string;
  why: string;
}

export interface NotProvableCase {
  type: ClaimType;
  fnsku: string;
  orderId?: string;
  removalOrderId?: string;
  why: string;
  missingReport: ReportKind;
  /** Set when the report is present but does not cover the period the evidence lies in. */
  missingPeriod?: { before: string };
}

export interface ReportFile {
  kind: ReportKind;
  reportType: string;
  fileName: string;
  encoding: FileEncoding;
  gzip: boolean;
  rows: number;
  /** First and last day the report covers (inclusive, YYYY-MM-DD). */
  covers: { from: string; to: string };
}

export interface AnswerKey {
  generator: string;
  scenario: string;
  description: string;
  seed: number;
  asOf: string;
  sellerId: string;
  marketplace: Marketplace;
  marketplaceName: string;
  currency: string;
  locale: { decimalSeparator: ',' | '.'; settlementDateFormat: string; otherReportsDateFormat: string };
  reportsPresent: ReportKind[];
  files: ReportFile[];
  claimable: ClaimableCase[];
  traps: TrapCase[];
  notProvable: NotProvableCase[];
}

export interface ScenarioSpec {
  name: string;
  description: string;
  seed: number;
  sellerId: string;
  marketplace: Marketplace;
  asOf: string;
  /** Report kinds deliberately left out of the set. */
  absent: ReportKind[];
  /** Encoding per report; reports not named use `defaultEncoding`. */
  defaultEncoding: FileEncoding;
  encodings?: Partial<Record<ReportKind, FileEncoding>>;
  gzip: ReportKind[];
  /** When set, the ledger file starts this many days before asOf instead of covering the whole period. */
  ledgerCoversLastDays?: number;
  /** Multiplies the number of background products and orders. */
  scale: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Report layouts (column names as Amazon documents them; see POLICY.md "Report formats")
// ---------------------------------------------------------------------------------------------------------------

const REPORTS: Record<ReportKind, { reportType: string; fileName: string; columns: readonly string[] }> = {
  ledger: {
    reportType: 'GET_LEDGER_DETAIL_VIEW_DATA',
    fileName: 'inventory-ledger.tsv',
    columns: ['Date', 'FNSKU', 'ASIN', 'MSKU', 'Title', 'Event Type', 'Reference ID', 'Quantity', 'Fulfillment Center', 'Disposition', 'Reason', 'Country', 'Reconciled Quantity', 'Unreconciled Quantity', 'Date and Time'],
  },
  reimbursements: {
    reportType: 'GET_FBA_REIMBURSEMENTS_DATA',
    fileName: 'reimbursements.tsv',
    columns: ['approval-date', 'reimbursement-id', 'case-id', 'amazon-order-id', 'reason', 'sku', 'fnsku', 'asin', 'product-name', 'condition', 'currency-unit', 'amount-per-unit', 'amount-total', 'quantity-reimbursed-cash', 'quantity-reimbursed-inventory', 'quantity-reimbursed-total', 'original-reimbursement-id', 'original-reimbursement-type'],
  },
  customerReturns: {
    reportType: 'GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA',
    fileName: 'customer-returns.tsv',
    columns: ['return-date', 'order-id', 'sku', 'asin', 'fnsku', 'product-name', 'quantity', 'fulfillment-center-id', 'detailed-disposition', 'reason', 'status', 'license-plate-number', 'customer-comments'],
  },
  replacements: {
    reportType: 'GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA',
    fileName: 'replacements.tsv',
    columns: ['shipment-date', 'sku', 'asin', 'fulfillment-center-id', 'original-fulfillment-center-id', 'quantity', 'replacement-reason-code', 'replacement-amazon-order-id', 'original-amazon-order-id'],
  },
  removalOrders: {
    reportType: 'GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA',
    fileName: 'removal-order-detail.tsv',
    columns: ['request-date', 'order-id', 'order-type', 'service-speed', 'order-status', 'last-updated-date', 'sku', 'fnsku', 'disposition', 'requested-quantity', 'cancelled-quantity', 'disposed-quantity', 'shipped-quantity', 'in-process-quantity', 'removal-fee', 'currency'],
  },
  removalShipments: {
    reportType: 'GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA',
    fileName: 'removal-shipment-detail.tsv',
    columns: ['request-date', 'order-id', 'shipment-date', 'sku', 'fnsku', 'disposition', 'shipped-quantity', 'carrier', 'tracking-number', 'removal-order-type'],
  },
  settlement: {
    reportType: 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2',
    fileName: 'settlement.tsv',
    columns: ['settlement-id', 'settlement-start-date', 'settlement-end-date', 'deposit-date', 'total-amount', 'currency', 'transaction-type', 'order-id', 'merchant-order-id', 'adjustment-id', 'shipment-id', 'marketplace-name', 'amount-type', 'amount-description', 'amount', 'fulfillment-id', 'posted-date', 'posted-date-time', 'order-item-code', 'merchant-order-item-id', 'merchant-adjustment-item-id', 'sku', 'quantity-purchased', 'promotion-id'],
  },
  feePreview: {
    reportType: 'GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA',
    fileName: 'fee-preview.tsv',
    columns: ['sku', 'fnsku', 'asin', 'amazon-store', 'product-name', 'product-group', 'brand', 'fulfilled-by', 'your-price', 'sales-price', 'longest-side', 'median-side', 'shortest-side', 'length-and-girth', 'unit-of-dimension', 'item-package-weight', 'unit-of-weight', 'product-size-tier', 'currency', 'estimated-fee-total', 'estimated-referral-fee-per-unit', 'estimated-variable-closing-fee', 'estimated-order-handling-fee-per-order', 'estimated-pick-pack-fee-per-unit', 'estimated-weight-handling-fee-per-unit', 'expected-fulfillment-fee-per-unit'],
  },
  inboundShipments: {
    // No flat-file report type exists for shipment contents; this mirrors the Fulfillment Inbound API
    // (getShipments + getShipmentItems) fields that a connector would flatten. See POLICY.md.
    reportType: 'FBA_INBOUND_SHIPMENT_ITEMS (flattened Fulfillment Inbound API v0)',
    fileName: 'inbound-shipment-items.tsv',
    columns: ['ShipmentId', 'ShipmentName', 'DestinationFulfillmentCenterId', 'ShipmentStatus', 'DeliveredDate', 'SellerSKU', 'FulfillmentNetworkSKU', 'QuantityShipped', 'QuantityReceived', 'QuantityInCase'],
  },
};

export const REPORT_KINDS = Object.keys(REPORTS) as ReportKind[];
export const reportLayout = (kind: ReportKind): { reportType: string; fileName: string; columns: readonly string[] } => REPORTS[kind];

// ---------------------------------------------------------------------------------------------------------------
// Marketplace conventions
// ---------------------------------------------------------------------------------------------------------------

interface MarketplaceConventions {
  country: string;
  currency: string;
  marketplaceName: string;
  amazonStore: string;
  decimalComma: boolean;
  settlementDateFormat: 'yyyy-mm-dd' | 'dd.mm.yyyy' | 'dd/mm/yyyy';
  fulfilmentCenters: readonly string[];
  orderPrefixes: readonly string[];
  /** Customer return claim window (days after refund/replacement): EU announcement 45–105, US help page 60–120. */
  customerClaimOpensDays: number;
  customerClaimClosesDays: number;
  titles: readonly string[];
}

const EU_TITLES = [
  'Küchenwaage „Präzision“ – Edelstahl, 5 kg, mit Tara-Funktion',
  'Thermobecher à double paroi – 450 ml, acier inoxydable, café & thé',
  'Set di 3 padelle antiaderenti – Ø 20/24/28 cm, induzione',
  'Funda de teléfono con cordón – silicona, cámara protegida, rosa',
  'Gartenschlauch-Set 20 m – Brause mit 7 Strahlarten, frostfest',
  'Lampe de bureau LED – 3 températures, port USB, pliable',
];
const EN_TITLES = [
  'Stainless Steel Kitchen Scale – 5 kg, Tare Function, Backlit “Pro” Display',
  'Insulated Travel Mug 450 ml – Double Wall, Leak-proof Lid',
  'Non-stick Frying Pan Set (3 pcs) – 20/24/28 cm, Induction Ready',
  'Phone Case with Lanyard – Silicone, Camera Protection, Pink',
  'Garden Hose Set 20 m – 7-pattern Spray Nozzle, Frost Resistant',
  'LED Desk Lamp – 3 Colour Temperatures, USB Port, Foldable',
];

const MARKETPLACES: Record<Marketplace, MarketplaceConventions> = {
  DE: { country: 'DE', currency: 'EUR', marketplaceName: 'Amazon.de', amazonStore: 'DE', decimalComma: true, settlementDateFormat: 'dd.mm.yyyy', fulfilmentCenters: ['LEJ1', 'DTM2', 'FRA7', 'MUC3'], orderPrefixes: ['302', '303', '304', '305', '028'], customerClaimOpensDays: 45, customerClaimClosesDays: 105, titles: EU_TITLES },
  FR: { country: 'FR', currency: 'EUR', marketplaceName: 'Amazon.fr', amazonStore: 'FR', decimalComma: true, settlementDateFormat: 'dd.mm.yyyy', fulfilmentCenters: ['ORY1', 'MRS1', 'LYS1', 'BVA1'], orderPrefixes: ['402', '403', '404', '405', '171'], customerClaimOpensDays: 45, customerClaimClosesDays: 105, titles: EU_TITLES },
  GB: { country: 'GB', currency: 'GBP', marketplaceName: 'Amazon.co.uk', amazonStore: 'UK', decimalComma: false, settlementDateFormat: 'dd/mm/yyyy', fulfilmentCenters: ['LTN1', 'BHX4', 'MAN1', 'EDI4'], orderPrefixes: ['202', '203', '204', '205', '206'], customerClaimOpensDays: 45, customerClaimClosesDays: 105, titles: EN_TITLES },
  US: { country: 'US', currency: 'USD', marketplaceName: 'Amazon.com', amazonStore: 'US', decimalComma: false, settlementDateFormat: 'yyyy-mm-dd', fulfilmentCenters: ['PHX7', 'ONT8', 'BFI4', 'MDW2'], orderPrefixes: ['111', '112', '113', '114'], customerClaimOpensDays: 60, customerClaimClosesDays: 120, titles: EN_TITLES },
  IT: { country: 'IT', currency: 'EUR', marketplaceName: 'Amazon.it', amazonStore: 'IT', decimalComma: true, settlementDateFormat: 'dd.mm.yyyy', fulfilmentCenters: ['MXP5', 'FCO1', 'TRN1'], orderPrefixes: ['402', '403', '404', '405', '171'], customerClaimOpensDays: 45, customerClaimClosesDays: 105, titles: EU_TITLES },
  ES: { country: 'ES', currency: 'EUR', marketplaceName: 'Amazon.es', amazonStore: 'ES', decimalComma: true, settlementDateFormat: 'dd.mm.yyyy', fulfilmentCenters: ['MAD4', 'BCN1', 'SVQ1'], orderPrefixes: ['402', '403', '404', '405', '171'], customerClaimOpensDays: 45, customerClaimClosesDays: 105, titles: EU_TITLES },
};

// Claim windows (days) from POLICY.md; one constant per rule so the key and the document cannot drift apart.
export const WINDOWS = {
  warehouseAutomaticWaitDays: 30,
  warehouseClaimDays: 60,
  inboundOpensDays: 15,
  inboundClosesDays: 60,
  removalLostOpensDays: 15,
  removalLostClosesDays: 75,
  feeClaimDays: 90,
  reimbursementDisputeDays: 60,
  refundAboveChargeDays: 90,
  ledgerPeriodDays: 180,
} as const;

// ---------------------------------------------------------------------------------------------------------------
// Size tiers and fulfilment fees (POLICY.md "Size tiers")
// ---------------------------------------------------------------------------------------------------------------

/** A packaged unit as the fee preview describes it, in the marketplace's units (cm/kg in Europe, inches/pounds in the US). */
export interface PackagedUnit {
  longestSide: number;
  medianSide: number;
  shortestSide: number;
  unitWeight: number;
}

interface TierLimits {
  tier: string;
  longestSide: number;
  medianSide: number;
  shortestSide: number;
  /** Upper weight limit; compared with the unit weight or, where Amazon says so, the shipping weight. */
  maxWeight: number;
  weightBasis: 'unit' | 'shipping';
  lengthAndGirth?: number;
}

/**
 * Amazon's size-tier tables, smallest tier first. An item belongs to the first row none of whose limits it exceeds
 * (Amazon: "find the row … with measurements that do not exceed the weight or the dimensions of your item"), so a
 * side exactly at a limit is inside that tier. Only the tiers the sets use are listed; anything larger throws.
 * Europe: Amazon.nl help G2CD5P9TSDYZA2XG (the same table on every EU store and the UK). US: help 201105770,
 * table of size tiers from 5 February 2024.
 */
const SIZE_TIERS: Record<'EU' | 'US', readonly TierLimits[]> = {
  EU: [
    { tier: 'Small Envelope', longestSide: 20, medianSide: 15, shortestSide: 1, maxWeight: 0.08, weightBasis: 'unit' },
    { tier: 'Standard Envelope', longestSide: 33, medianSide: 23, shortestSide: 2.5, maxWeight: 0.46, weightBasis: 'unit' },
    { tier: 'Large Envelope', longestSide: 33, medianSide: 23, shortestSide: 4, maxWeight: 0.96, weightBasis: 'unit' },
    { tier: 'Extra Large Envelope', longestSide: 33, medianSide: 23, shortestSide: 6, maxWeight: 0.96, weightBasis: 'unit' },
    { tier: 'Small Parcel', longestSide: 35, medianSide: 25, shortestSide: 12, maxWeight: 3.9, weightBasis: 'unit' },
    { tier: 'Standard Parcel', longestSide: 45, medianSide: 34, shortestSide: 26, maxWeight: 11.9, weightBasis: 'unit' },
  ],
  US: [
    { tier: 'Small Standard-Size', longestSide: 15, medianSide: 12, shortestSide: 0.75, maxWeight: 1, weightBasis: 'unit' },
    { tier: 'Large Standard-Size', longestSide: 18, medianSide: 14, shortestSide: 8, maxWeight: 20, weightBasis: 'shipping' },
    { tier: 'Large Bulky', longestSide: 59, medianSide: 33, shortestSide: 33, maxWeight: 50, weightBasis: 'shipping', lengthAndGirth: 130 },
  ],
};

/** US dimensional weight: cubic inches / 139 (help 201105770). */
const US_DIMENSIONAL_DIVISOR = 139;

function regionOf(marketplace: Marketplace): 'EU' | 'US' {
  return marketplace === 'US' ? 'US' : 'EU';
}

export function lengthAndGirth(u: PackagedUnit): number {
  return u.longestSide + 2 * (u.medianSide + u.shortestSide);
}

/**
 * The weight a fee band is looked up with. US: unit weight for small standard, otherwise the greater of unit and
 * dimensional weight. Europe: the unit weight (dimensional weight is "N/A" for envelopes and parcels in Amazon's
 * table, and Amazon's EU fees use the unit weight for standard-size items since 15 October 2025).
 */
export function shippingWeight(marketplace: Marketplace, u: PackagedUnit, tier: string): number {
  if (regionOf(marketplace) === 'EU' || tier === 'Small Standard-Size') return u.unitWeight;
  return Math.max(u.unitWeight, (u.longestSide * u.medianSide * u.shortestSide) / US_DIMENSIONAL_DIVISOR);
}

/** The tier Amazon's table puts a packaged unit in. */
export function sizeTierOf(marketplace: Marketplace, u: PackagedUnit): string {
  const region = regionOf(marketplace);
  for (const limits of SIZE_TIERS[region]) {
    const weight = limits.weightBasis === 'unit' ? u.unitWeight : shippingWeight(marketplace, u, limits.tier);
    const fits = u.longestSide <= limits.longestSide && u.medianSide <= limits.medianSide && u.shortestSide <= limits.shortestSide && weight <= limits.maxWeight && lengthAndGirth(u) <= (limits.lengthAndGirth ?? Infinity);
    if (fits) return limits.tier;
  }
  throw new Error(`${JSON.stringify(u)} is larger than the tiers the generator models`);
}

/** Position of a tier in its table: a higher rank is a larger, dearer tier. */
export function sizeTierRank(marketplace: Marketplace, tier: string): number {
  const rank = SIZE_TIERS[regionOf(marketplace)].findIndex((t) => t.tier === tier);
  if (rank < 0) throw new Error(`unknown ${marketplace} size tier ${tier}`);
  return rank;
}

/**
 * Fulfilment fee per unit (minor units) by tier and weight band, [upper weight limit inclusive, fee]. Representative
 * amounts in the order and spacing of Amazon's rate cards (non-apparel, price above the low-price band), not a copy
 * of one rate card: nothing in the key depends on the amount itself, only on each tier and band having one fee and
 * a larger tier costing more (POLICY.md "Size tiers"). Only the bands the sets use are listed.
 */
const FULFILMENT_FEES: Record<Marketplace, Readonly<Record<string, ReadonlyArray<readonly [number, number]>>>> = {
  DE: { 'Small Parcel': [[1, 426]], 'Standard Parcel': [[1, 499]] },
  FR: { 'Small Parcel': [[1, 497]], 'Standard Parcel': [[1, 562]] },
  IT: { 'Small Parcel': [[1, 481]], 'Standard Parcel': [[1, 543]] },
  ES: { 'Small Parcel': [[1, 437]], 'Standard Parcel': [[1, 510]] },
  GB: { 'Small Parcel': [[1, 317]], 'Standard Parcel': [[1, 356]] },
  US: {
    'Small Standard-Size': [[0.125, 306], [0.25, 315], [0.375, 324], [0.5, 333], [0.625, 343], [0.75, 353], [0.875, 360], [1, 365]],
    'Large Standard-Size': [[0.25, 368], [0.5, 390], [0.75, 415], [1, 455], [1.25, 499], [1.5, 537]],
  },
};

export function fulfilmentFeeMinor(marketplace: Marketplace, tier: string, u: PackagedUnit): number {
  const weight = shippingWeight(marketplace, u, tier);
  const band = FULFILMENT_FEES[marketplace][tier]?.find(([upTo]) => weight <= upTo);
  if (band === undefined) throw new Error(`no ${marketplace} fee band for ${tier} at ${weight.toFixed(2)}`);
  return band[1];
}

/**
 * The packaged units the sets use. `catalogue` is every ordinary product; `atTierLimit` sits exactly on the limits of
 * the smallest tier it fits (dimensions, and for the US small standard also the 0.75 inch side); `overcharged` is an
 * item the fee preview puts one tier too high, together with the tier Amazon charges.
 */
const PACKAGED_UNITS: Record<'EU' | 'US', { catalogue: PackagedUnit; atTierLimit: PackagedUnit; overcharged: PackagedUnit; overchargedTier: string }> = {
  EU: {
    catalogue: { longestSide: 24.5, medianSide: 16.0, shortestSide: 8.2, unitWeight: 0.62 },
    atTierLimit: { longestSide: 35.0, medianSide: 25.0, shortestSide: 12.0, unitWeight: 0.95 },
    overcharged: { longestSide: 24.5, medianSide: 16.0, shortestSide: 8.2, unitWeight: 0.62 },
    overchargedTier: 'Standard Parcel',
  },
  US: {
    catalogue: { longestSide: 9.65, medianSide: 6.3, shortestSide: 3.23, unitWeight: 1.37 },
    atTierLimit: { longestSide: 15.0, medianSide: 12.0, shortestSide: 0.75, unitWeight: 0.96 },
    overcharged: { longestSide: 7.5, medianSide: 4.1, shortestSide: 0.6, unitWeight: 0.19 },
    overchargedTier: 'Large Standard-Size',
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Deterministic helpers
// ---------------------------------------------------------------------------------------------------------------

class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }
  /** mulberry32: small, fast and identical on every platform. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  chars(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i += 1) out += alphabet.charAt(Math.floor(this.next() * alphabet.length));
    return out;
  }
  digits(length: number): string {
    return this.chars('0123456789', length);
  }
}

const UPPER_ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';

const DAY_MS = 86_400_000;
/** Amazon pays out and closes a settlement about every two weeks. */
const SETTLEMENT_PERIOD_DAYS = 14;
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

// ---------------------------------------------------------------------------------------------------------------
// Products and formatting
// ---------------------------------------------------------------------------------------------------------------

interface Product {
  msku: string;
  fnsku: string;
  asin: string;
  title: string;
  priceMinor: number;
  /** Fulfilment fee per unit in the fee preview (the tier fee the product should be charged). */
  previewFeeMinor: number;
  referralMinor: number;
}

interface SettlementLine {
  p: Product;
  day: string;
  time: string;
  transactionType: 'Order' | 'Refund';
  orderId: string;
  shipmentId: string;
  adjustmentId: string;
  orderItemCode: string;
}

class SetBuilder {
  readonly rng: Random;
  readonly mp: MarketplaceConventions;
  readonly rows = new Map<ReportKind, string[][]>();
  readonly claimable: ClaimableCase[] = [];
  claim(c: Omit<ClaimableCase, 'claimOpens'>): void {
    const wait: Record<ClaimType, number> = {
      lost_warehouse: WINDOWS.warehouseAutomaticWaitDays,
      damaged_warehouse: WINDOWS.warehouseAutomaticWaitDays,
      disposed_unauthorised: 0,
      customer_refund_no_return: this.mp.customerClaimOpensDays,
      return_not_restocked: this.mp.customerClaimOpensDays,
      replacement_not_returned: this.mp.customerClaimOpensDays,
      inbound_shortage: WINDOWS.inboundOpensDays,
      removal_lost: WINDOWS.removalLostOpensDays,
      fee_overcharge: 0,
      reimbursed_below_value: 0,
      reversal_without_recovery: 0,
      refund_above_charge: 0,
      size_tier_overcharge: 0,
    };
    const claimOpens = addDays(c.eventDate, wait[c.type]);
    if (claimOpens > this.spec.asOf || c.deadline < this.spec.asOf) throw new Error(`${c.type} ${c.fnsku} is not fileable on ${this.spec.asOf}`);
    const { eventDate, deadline, ...rest } = c;
    this.claimable.push({ ...rest, eventDate, claimOpens, deadline });
  }
  readonly traps: TrapCase[] = [];
  readonly notProvable: NotProvableCase[] = [];
  readonly products: Product[] = [];
  readonly periodStart: string;
  readonly ledgerStart: string;
  private usedIds = new Set<string>();
  readonly settlementBaseId: number;
  private orderItemCodes = new Map<string, string>();
  /** Every FBAPerUnitFulfillmentFee charged, per FNSKU (day and amount), for the size-tier cases to count. */
  readonly fulfilmentCharges = new Map<string, { day: string; feeMinor: number }[]>();

  constructor(readonly spec: ScenarioSpec) {
    this.rng = new Random(spec.seed);
    this.mp = MARKETPLACES[spec.marketplace];
    for (const kind of REPORT_KINDS) this.rows.set(kind, []);
    this.periodStart = addDays(spec.asOf, -WINDOWS.ledgerPeriodDays);
    this.ledgerStart = spec.ledgerCoversLastDays === undefined ? this.periodStart : addDays(spec.asOf, -spec.ledgerCoversLastDays);
    this.settlementBaseId = 10_000_000_000 + this.rng.int(0, 899_999_999) * 10;
  }

  has(kind: ReportKind): boolean {
    return !this.spec.absent.includes(kind);
  }
  ledgerCovers(day: string): boolean {
    return day >= this.ledgerStart;
  }

  unique(make: () => string): string {
    for (;;) {
      const id = make();
      if (!this.usedIds.has(id)) {
        this.usedIds.add(id);
        return id;
      }
    }
  }
  orderId(): string {
    return this.unique(() => `${this.rng.pick(this.mp.orderPrefixes)}-${this.rng.digits(7)}-${this.rng.digits(7)}`);
  }
  fnsku(): string {
    return this.unique(() => `X00${this.rng.chars(UPPER_ALNUM, 7)}`);
  }
  asin(): string {
    return this.unique(() => `B0${this.rng.chars(UPPER_ALNUM, 8)}`);
  }
  msku(index: number): string {
    // Full-size 40-character seller SKUs, as long as Seller Central allows.
    const head = `${this.spec.sellerId.slice(0, 4)}-${String(index).padStart(4, '0')}-`;
    return this.unique(() => `${head}${this.rng.chars(UPPER_ALNUM, 40 - head.length - 4)}-${this.rng.chars('ABCDEFGHJK', 3)}`);
  }
  ledgerReference(): string {
    return this.unique(() => this.rng.digits(11));
  }
  customerShipmentId(): string {
    return this.unique(() => `D${this.rng.chars('abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789', 8)}`);
  }
  inboundShipmentId(): string {
    return this.unique(() => `FBA15${this.rng.chars(UPPER_ALNUM, 7)}`);
  }
  removalOrderId(): string {
    return this.unique(() => `RMV${this.rng.chars(UPPER_ALNUM, 9)}`);
  }
  reimbursementId(): string {
    return this.unique(() => this.rng.digits(10));
  }
  lpn(): string {
    return this.unique(() => `LPN${this.rng.chars(UPPER_ALNUM, 9)}`);
  }
  time(): string {
    return `${String(this.rng.int(6, 21)).padStart(2, '0')}:${String(this.rng.int(0, 59)).padStart(2, '0')}:${String(this.rng.int(0, 59)).padStart(2, '0')}`;
  }

  /** Reports other than the settlement use a locale-neutral decimal point. */
  plainMoney(minor: number): string {
    const sign = minor < 0 ? '-' : '';
    const abs = Math.abs(minor);
    return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  }
  settlementMoney(minor: number): string {
    const text = this.plainMoney(minor);
    return this.mp.decimalComma ? text.replace('.', ',') : text;
  }
  settlementDate(day: string): string {
    const [y, m, d] = day.split('-');
    if (this.mp.settlementDateFormat === 'dd.mm.yyyy') return `${d}.${m}.${y}`;
    if (this.mp.settlementDateFormat === 'dd/mm/yyyy') return `${d}/${m}/${y}`;
    return day;
  }
  ledgerDate(day: string): string {
    const [y, m, d] = day.split('-');
    return `${m}/${d}/${y}`;
  }
  isoDateTime(day: string): string {
    return `${day}T${this.time()}+00:00`;
  }

  push(kind: ReportKind, row: Record<string, string | number>): void {
    const columns = REPORTS[kind].columns;
    for (const key of Object.keys(row)) if (!columns.includes(key)) throw new Error(`${kind} has no column ${key}`);
    const target = this.rows.get(kind);
    if (target === undefined) throw new Error(`unknown report ${kind}`);
    target.push(columns.map((c) => String(row[c] ?? '')));
  }

  // -- report row helpers ---------------------------------------------------------------------------------------

  ledger(p: Product, day: string, eventType: string, quantity: number, opts: { reference?: string; disposition?: string; reason?: string; reconciled?: number; unreconciled?: number; fc?: string } = {}): string {
    const reference = opts.reference ?? this.ledgerReference();
    this.push('ledger', {
      Date: this.ledgerDate(day),
      FNSKU: p.fnsku,
      ASIN: p.asin,
      MSKU: p.msku,
      Title: p.title,
      'Event Type': eventType,
      'Reference ID': reference,
      Quantity: quantity,
      'Fulfillment Center': opts.fc ?? this.rng.pick(this.mp.fulfilmentCenters),
      Disposition: opts.disposition ?? 'SELLABLE',
      Reason: opts.reason ?? '',
      Country: this.mp.country,
      'Reconciled Quantity': opts.reconciled ?? (eventType === 'Adjustments' ? 0 : ''),
      'Unreconciled Quantity': opts.unreconciled ?? (eventType === 'Adjustments' ? 0 : ''),
      'Date and Time': this.isoDateTime(day),
    });
    return reference;
  }

  reimbursement(p: Product, day: string, reason: string, units: number, perUnitMinor: number, opts: { orderId?: string; inventory?: boolean; originalId?: string; originalType?: string; caseId?: string } = {}): string {
    const id = this.reimbursementId();
    const cash = opts.inventory === true ? 0 : units;
    const totalMinor = cash * perUnitMinor;
    this.push('reimbursements', {
      'approval-date': this.isoDateTime(day),
      'reimbursement-id': id,
      'case-id': opts.caseId ?? '',
      'amazon-order-id': opts.orderId ?? '',
      reason,
      sku: p.msku,
      fnsku: p.fnsku,
      asin: p.asin,
      'product-name': p.title,
      condition: 'New',
      'currency-unit': this.mp.currency,
      'amount-per-unit': this.plainMoney(perUnitMinor),
      'amount-total': this.plainMoney(totalMinor),
      'quantity-reimbursed-cash': cash,
      'quantity-reimbursed-inventory': units - cash,
      'quantity-reimbursed-total': units,
      'original-reimbursement-id': opts.originalId ?? '',
      'original-reimbursement-type': opts.originalType ?? '',
    });
    return id;
  }

  customerReturn(p: Product, day: string, orderId: string, disposition: string, status: string, reason = 'UNWANTED_ITEM'): void {
    this.push('customerReturns', {
      'return-date': this.isoDateTime(day),
      'order-id': orderId,
      sku: p.msku,
      asin: p.asin,
      fnsku: p.fnsku,
      'product-name': p.title,
      quantity: 1,
      'fulfillment-center-id': this.rng.pick(this.mp.fulfilmentCenters),
      'detailed-disposition': disposition,
      reason,
      status,
      'license-plate-number': this.lpn(),
      'customer-comments': '',
    });
  }

  settlementRow(line: SettlementLine, amountType: string, description: string, amountMinor: number): void {
    this.push('settlement', {
      'settlement-id': '', // set per settlement period when the files are written
      currency: '',
      'transaction-type': line.transactionType,
      'order-id': line.orderId,
      'merchant-order-id': '',
      'adjustment-id': line.adjustmentId,
      'shipment-id': line.shipmentId,
      'marketplace-name': this.mp.marketplaceName,
      'amount-type': amountType,
      'amount-description': description,
      amount: this.settlementMoney(amountMinor),
      'fulfillment-id': 'AFN',
      'posted-date': this.settlementDate(line.day),
      'posted-date-time': `${this.settlementDate(line.day)} ${line.time} UTC`,
      'order-item-code': line.orderItemCode,
      'merchant-order-item-id': '',
      'merchant-adjustment-item-id': '',
      sku: line.p.msku,
      'quantity-purchased': line.transactionType === 'Order' ? 1 : '',
      'promotion-id': '',
    });
  }

  /** A customer order: ledger shipment, settlement principal, referral fee and fulfilment fee. */
  order(p: Product, day: string, opts: { feeMinor?: number; priceMinor?: number } = {}): string {
    const orderId = this.orderId();
    const price = opts.priceMinor ?? p.priceMinor;
    const shipmentId = this.customerShipmentId();
    this.ledger(p, day, 'Shipments', -1, { reference: shipmentId });
    const line: SettlementLine = { p, day, time: this.time(), transactionType: 'Order', orderId, shipmentId, adjustmentId: '', orderItemCode: this.rng.digits(14) };
    this.settlementRow(line, 'ItemPrice', 'Principal', price);
    this.settlementRow(line, 'ItemFees', 'Commission', -referralOf(price));
    const feeMinor = opts.feeMinor ?? p.previewFeeMinor;
    this.settlementRow(line, 'ItemFees', 'FBAPerUnitFulfillmentFee', -feeMinor);
    this.fulfilmentCharges.set(p.fnsku, [...(this.fulfilmentCharges.get(p.fnsku) ?? []), { day, feeMinor }]);
    this.orderItemCodes.set(orderId, line.orderItemCode);
    return orderId;
  }

  /**
   * A customer refund of `refundMinor` principal: Amazon returns the referral fee but keeps the refund
   * administration fee. Returns the net amount the refund debited from the seller.
   */
  refund(p: Product, day: string, orderId: string, refundMinor: number): number {
    const referral = referralOf(refundMinor);
    const adminFee = refundAdministrationFee(referral);
    const line: SettlementLine = { p, day, time: this.time(), transactionType: 'Refund', orderId, shipmentId: '', adjustmentId: this.rng.digits(14), orderItemCode: this.orderItemCodes.get(orderId) ?? this.rng.digits(14) };
    this.settlementRow(line, 'ItemPrice', 'Principal', -refundMinor);
    this.settlementRow(line, 'ItemFees', 'Commission', referral);
    this.settlementRow(line, 'ItemFees', 'RefundCommission', -adminFee);
    return refundMinor - referral + adminFee;
  }

  removalOrder(p: Product, requestDay: string, orderType: 'Return' | 'Disposal', requested: number, shipped: number, disposed: number): string {
    const id = this.removalOrderId();
    this.push('removalOrders', {
      'request-date': this.isoDateTime(requestDay),
      'order-id': id,
      'order-type': orderType,
      'service-speed': 'Standard',
      'order-status': 'Completed',
      'last-updated-date': this.isoDateTime(addDays(requestDay, 5)),
      sku: p.msku,
      fnsku: p.fnsku,
      disposition: 'Sellable',
      'requested-quantity': requested,
      'cancelled-quantity': requested - shipped - disposed,
      'disposed-quantity': disposed,
      'shipped-quantity': shipped,
      'in-process-quantity': 0,
      'removal-fee': this.plainMoney((shipped + disposed) * 52),
      currency: this.mp.currency,
    });
    return id;
  }

  removalShipment(p: Product, requestDay: string, orderId: string, shipDay: string, units: number): void {
    this.push('removalShipments', {
      'request-date': this.isoDateTime(requestDay),
      'order-id': orderId,
      'shipment-date': this.isoDateTime(shipDay),
      sku: p.msku,
      fnsku: p.fnsku,
      disposition: 'Sellable',
      'shipped-quantity': units,
      carrier: this.mp.country === 'US' ? 'UPS' : 'DHL',
      'tracking-number': this.mp.country === 'US' ? `1Z${this.rng.chars(UPPER_ALNUM, 16)}` : this.rng.digits(20),
      'removal-order-type': 'Return',
    });
  }

  inbound(p: Product, shipmentId: string, deliveredDay: string, shipped: number, received: number): void {
    this.push('inboundShipments', {
      ShipmentId: shipmentId,
      ShipmentName: `FBA STA (${deliveredDay})-${this.rng.chars(UPPER_ALNUM, 4)}`,
      DestinationFulfillmentCenterId: this.rng.pick(this.mp.fulfilmentCenters),
      ShipmentStatus: 'CLOSED',
      DeliveredDate: deliveredDay,
      SellerSKU: p.msku,
      FulfillmentNetworkSKU: p.fnsku,
      QuantityShipped: shipped,
      QuantityReceived: received,
      QuantityInCase: 0,
    });
    if (received > 0) this.ledger(p, addDays(deliveredDay, 1), 'Receipts', received, { reference: shipmentId });
  }

  money(minor: number): Money {
    return { minor, currency: this.mp.currency };
  }
}

/** Referral fee: 15 % of the item price (the common category rate), rounded to the minor unit. */
function referralOf(priceMinor: number): number {
  return Math.round(priceMinor * 0.15);
}
/** Amazon keeps min(20 % of the refunded referral fee, 5.00) as the refund administration fee. */
function refundAdministrationFee(referralMinor: number): number {
  return Math.min(Math.round(referralMinor * 0.2), 500);
}

// ---------------------------------------------------------------------------------------------------------------
// Scenario assembly
// ---------------------------------------------------------------------------------------------------------------

const MANUFACTURING_COST_BASIS =
  'manufacturing cost (Amazon policy since 2025-03-10 for losses before a customer order); no Amazon report carries it, so the key gives no value';

/**
 * A product and its fee preview line. The preview states the packaged unit, the tier Amazon's table gives it and
 * that tier's fee, unless `chargedTier` names a different tier: then the line and every charge use that tier and its
 * fee (the size-tier overcharge case).
 */
function makeProduct(b: SetBuilder, index: number, unit: PackagedUnit = PACKAGED_UNITS[regionOf(b.spec.marketplace)].catalogue, chargedTier?: string): Product {
  const priceMinor = b.rng.int(12, 90) * 100 + b.rng.pick([99, 49, 95, 0]);
  const marketplace = b.spec.marketplace;
  const tier = chargedTier ?? sizeTierOf(marketplace, unit);
  const previewFeeMinor = fulfilmentFeeMinor(marketplace, tier, unit);
  const p: Product = {
    msku: b.msku(index),
    fnsku: b.fnsku(),
    asin: b.asin(),
    title: b.mp.titles[index % b.mp.titles.length] ?? 'Item',
    priceMinor,
    previewFeeMinor,
    referralMinor: referralOf(priceMinor),
  };
  const us = marketplace === 'US';
  const side = (n: number): string => n.toFixed(us ? 2 : 1);
  b.push('feePreview', {
    sku: p.msku, fnsku: p.fnsku, asin: p.asin, 'amazon-store': b.mp.amazonStore, 'product-name': p.title,
    'product-group': 'Home', brand: 'Nordwerk', 'fulfilled-by': 'AFN',
    'your-price': b.plainMoney(p.priceMinor), 'sales-price': b.plainMoney(p.priceMinor),
    'longest-side': side(unit.longestSide), 'median-side': side(unit.medianSide), 'shortest-side': side(unit.shortestSide),
    'length-and-girth': side(lengthAndGirth(unit)), 'unit-of-dimension': us ? 'inches' : 'cm',
    'item-package-weight': unit.unitWeight.toFixed(2), 'unit-of-weight': us ? 'pounds' : 'kg', 'product-size-tier': tier,
    currency: b.mp.currency,
    'estimated-fee-total': b.plainMoney(p.referralMinor + p.previewFeeMinor), 'estimated-referral-fee-per-unit': b.plainMoney(p.referralMinor),
    'estimated-variable-closing-fee': '0.00', 'estimated-order-handling-fee-per-order': '', 'estimated-pick-pack-fee-per-unit': '',
    'estimated-weight-handling-fee-per-unit': '', 'expected-fulfillment-fee-per-unit': b.plainMoney(p.previewFeeMinor),
  });
  b.products.push(p);
  return p;
}

function buildBackground(b: SetBuilder): void {
  const { asOf } = b.spec;
  for (const p of b.products) {
    // Stock arrives early in the period, fully received, from a closed inbound shipment.
    const delivered = addDays(b.periodStart, b.rng.int(1, 10));
    const qty = b.rng.int(8, 20) * 12;
    b.inbound(p, b.inboundShipmentId(), delivered, qty, qty);
    // Normal sales through the whole period, including the last weeks so every FNSKU appears in a partial ledger.
    const orders = b.rng.int(4, 8) * b.spec.scale;
    for (let i = 0; i < orders; i += 1) b.order(p, addDays(asOf, -b.rng.int(1, WINDOWS.ledgerPeriodDays - 15)));
    b.order(p, addDays(asOf, -b.rng.int(1, 10)));
    // A return that came back in time and was restocked: refund, return report row and ledger CustomerReturns.
    const returnedOrderDay = addDays(asOf, -b.rng.int(60, 150));
    const returned = b.order(p, returnedOrderDay);
    const refundDay = addDays(returnedOrderDay, b.rng.int(3, 12));
    b.refund(p, refundDay, returned, p.priceMinor);
    const backDay = addDays(refundDay, b.rng.int(5, 20));
    b.customerReturn(p, backDay, returned, 'SELLABLE', 'Unit returned to inventory');
    b.ledger(p, backDay, 'CustomerReturns', 1, { reference: returned });
    // An old loss Amazon reimbursed on its own (background, outside every claim window).
    const oldLoss = addDays(asOf, -b.rng.int(100, 170));
    b.ledger(p, oldLoss, 'Adjustments', -1, { reason: 'M', reconciled: 1, unreconciled: 0 });
    b.reimbursement(p, addDays(oldLoss, b.rng.int(3, 20)), 'Lost_Warehouse', 1, Math.round(p.priceMinor * 0.4));
  }
  // A few complete removals: order, shipment detail and ledger VendorReturns all agree.
  for (const p of b.products.slice(0, 2)) {
    const req = addDays(asOf, -b.rng.int(80, 150));
    const units = b.rng.int(2, 6);
    const id = b.removalOrder(p, req, 'Return', units, units, 0);
    const ship = addDays(req, b.rng.int(2, 6));
    b.removalShipment(p, req, id, ship, units);
    b.ledger(p, ship, 'VendorReturns', -units, { reference: id });
  }
}

type CaseBuilder = (b: SetBuilder, p: Product) => void;

/** Each builder writes the evidence for one case into the reports and records its outcome in the key. */
const CASES: Record<string, CaseBuilder> = {
  lostClaimable(b, p) {
    const day = addDays(b.spec.asOf, -b.rng.int(35, 55));
    const units = b.rng.int(1, 3);
    if (!b.ledgerCovers(day)) {
      b.ledger(p, day, 'Adjustments', -units, { reason: 'M', unreconciled: units });
      b.notProvable.push({ type: 'lost_warehouse', fnsku: p.fnsku, why: 'the misplaced (M) adjustment lies before the start of the ledger file', missingReport: 'ledger', missingPeriod: { before: b.ledgerStart } });
      return;
    }
    const ref = b.ledger(p, day, 'Adjustments', -units, { reason: 'M', unreconciled: units });
    b.claim({ type: 'lost_warehouse', fnsku: p.fnsku, msku: p.msku, referenceId: ref, units, eventDate: day, deadline: addDays(day, WINDOWS.warehouseClaimDays), value: null, valueBasis: MANUFACTURING_COST_BASIS });
  },
  lostClaimableDespiteOtherReason(b, p) {
    const day = addDays(b.spec.asOf, -b.rng.int(32, 40));
    const ref = b.ledger(p, day, 'Adjustments', -1, { reason: '5', unreconciled: 1 });
    // A customer-return reimbursement for the same FNSKU after the loss: a different reason, it must not cancel it.
    const orderId = b.order(p, addDays(day, -80));
    b.refund(p, addDays(day, -70), orderId, p.priceMinor);
    b.reimbursement(p, addDays(day, 5), 'CustomerReturn', 1, p.priceMinor - p.referralMinor, { orderId });
    b.claim({ type: 'lost_warehouse', fnsku: p.fnsku, msku: p.msku, referenceId: ref, units: 1, eventDate: day, deadline: addDays(day, WINDOWS.warehouseClaimDays), value: null, valueBasis: MANUFACTURING_COST_BASIS, note: `a CustomerReturn reimbursement for order ${orderId} on the same FNSKU is not a reimbursement of this loss` });
  },
  lostFoundLater(b, p) {
    const day = addDays(b.spec.asOf, -b.rng.int(35, 55));
    const ref = b.ledger(p, day, 'Adjustments', -2, { reason: 'M', reconciled: 2, unreconciled: 0 });
    b.ledger(p, addDays(day, b.rng.int(3, 12)), 'Adjustments', 2, { reason: 'F' });
    b.traps.push({ description: 'units misplaced then found', type: 'lost_warehouse', fnsku: p.fnsku, referenceId: ref, why: 'a later found (F) adjustment of the same quantity restores the units' });
  },
  lostAlreadyReimbursed(b, p) {
    const day = addDays(b.spec.asOf, -b.rng.int(35, 55));
    const ref = b.ledger(p, day, 'Adjustments', -1, { reason: 'M', reconciled: 1, unreconciled: 0 });
    b.reimbursement(p, addDays(day, b.rng.int(2, 10)), 'Lost_Warehouse', 1, Math.round(p.priceMinor * 0.45));
    b.traps.push({ description: 'loss reimbursed automatically by Amazon', type: 'lost_warehouse', fnsku: p.fnsku, referenceId: ref, why: 'a Lost_Warehouse reimbursement for the same FNSKU and quantity after the event' });
  },
  lostTooRecent(b, p) {
    const day = addDays(b.spec.asOf, -b.rng.int(3, 25));
    const ref = b.ledger(p, day, 'Adjustments', -1, { reason: 'M', unreconciled: 1 });
    b.traps.push({ description: 'recent misplaced unit', type: 'lost_warehouse', fnsku: p.fnsku, referenceId: ref, why: `inside Amazon's own ${WINDOWS.warehouseAutomaticWaitDays}-day search and automatic reimbursement period` });
  },
  lostExpired(b, p) {
    const day = addDays(b.spec.asOf, -b.rng.int(70, 90));
    if (!b.ledgerCovers(day)) return;
    const ref = b.ledger(p, day, 'Adjustments', -1, { reason: 'M', unreconciled: 1 });
    b.traps.push({ description: 'old misplaced unit', type: 'lost_warehouse', fnsku: p.fnsku, referenceId: ref, why: `the ${WINDOWS.warehouseClaimDays}-day claim window closed on ${addDays(day, WINDOWS.warehouseClaimDays)}` });
  },
  damagedClaimable(b, p) {
    const day = addDays(b.spec.asOf, -b.rng.int(33, 50));
    const code = b.rng.pick(['6', 'E']);
    const ref = b.ledger(p, day, 'Adjustments', -1, { reason: code, unreconciled: 1 });
    b.ledger(p, day, 'Adjustments', 1, { reason: 'P', disposition: 'WAREHOUSE_DAMAGED' });
    b.claim({ type: 'damaged_warehouse', fnsku: p.fnsku, msku: p.msku, referenceId: ref, units: 1, eventDate: day, deadline: addDays(day, WINDOWS.warehouseClaimDays), value: null, valueBasis: MANUFACTURING_COST_BASIS, note: `reason code ${code}` });
  },
  damagedReimbursed(b, p) {
    const day = addDays(b.spec.asOf, -b.rng.int(33, 50));
    const ref = b.ledger(p, day, 'Adjustments', -1, { reason: '6', reconciled: 1, unreconciled: 0 });
    b.ledger(p, day, 'Adjustments', 1, { reason: 'P', disposition: 'WAREHOUSE_DAMAGED' });
    b.reimbursement(p, addDays(day, 4), 'Damaged_Warehouse', 1, Math.round(p.priceMinor * 0.4));
    b.traps.push({ description: 'damage reimbursed automatically', type: 'damaged_warehouse', fnsku: p.fnsku, referenceId: ref, why: 'a Damaged_Warehouse reimbursement for the same FNSKU after the event' });
  },
  disposedClaimable(b, p) {
    const day = addDays(b.spec.asOf, -b.rng.int(35, 55));
    const code = b.rng.pick(['D', 'G']);
    if (!b.has('removalOrders')) {
      b.ledger(p, day, 'Adjustments', -2, { reason: code, disposition: 'SELLABLE' });
      b.notProvable.push({ type: 'disposed_unauthorised', fnsku: p.fnsku, why: 'without the removal order detail report nobody can show the seller did not order the disposal', missingReport: 'removalOrders' });
      return;
    }
    if (!b.ledgerCovers(day)) {
      b.ledger(p, day, 'Adjustments', -2, { reason: code, disposition: 'SELLABLE' });
      b.notProvable.push({ type: 'disposed_unauthorised', fnsku: p.fnsku, why: 'the disposal (D/G) adjustment lies before the start of the ledger file', missingReport: 'ledger', missingPeriod: { before: b.ledgerStart } });
      return;
    }
    const ref = b.ledger(p, day, 'Adjustments', -2, { reason: code, disposition: 'SELLABLE' });
    b.claim({ type: 'disposed_unauthorised', fnsku: p.fnsku, msku: p.msku, referenceId: ref, units: 2, eventDate: day, deadline: addDays(day, WINDOWS.warehouseClaimDays), value: null, valueBasis: MANUFACTURING_COST_BASIS, note: `${code === 'D' ? 'disposed' : 'donated'} with no removal order for this FNSKU` });
  },
  disposedBySellerOrder(b, p) {
    const req = addDays(b.spec.asOf, -b.rng.int(40, 60));
    const id = b.removalOrder(p, req, 'Disposal', 3, 0, 3);
    const ref = b.ledger(p, addDays(req, 3), 'Adjustments', -3, { reason: 'D', disposition: 'SELLABLE' });
    if (!b.has('removalOrders')) {
      b.notProvable.push({ type: 'disposed_unauthorised', fnsku: p.fnsku, removalOrderId: id, why: 'the seller did order this disposal, but the removal order detail that shows it is absent: neither claim nor clear it', missingReport: 'removalOrders' });
      return;
    }
    b.traps.push({ description: 'disposal the seller ordered', type: 'disposed_unauthorised', fnsku: p.fnsku, referenceId: ref, removalOrderId: id, why: 'a completed Disposal removal order for the same FNSKU and quantity precedes it' });
  },
  refundNoReturnClaimable(b, p) {
    const refundDay = addDays(b.spec.asOf, -b.rng.int(70, 100));
    const orderId = b.order(p, addDays(refundDay, -b.rng.int(4, 15)));
    const debited = b.refund(p, refundDay, orderId, p.priceMinor);
    if (!b.has('settlement')) {
      b.notProvable.push({ type: 'customer_refund_no_return', fnsku: p.fnsku, orderId, why: 'the refund and its date appear only in the settlement report', missingReport: 'settlement' });
      return;
    }
    b.claim({ type: 'customer_refund_no_return', fnsku: p.fnsku, msku: p.msku, orderId, units: 1, eventDate: refundDay, deadline: addDays(refundDay, b.mp.customerClaimClosesDays), value: b.money(debited), valueBasis: 'net amount the refund debited (settlement Refund rows of the order: Principal + Commission + RefundCommission)' });
  },
  refundReturnedInTime(b, p) {
    const refundDay = addDays(b.spec.asOf, -b.rng.int(70, 100));
    const orderId = b.order(p, addDays(refundDay, -5));
    b.refund(p, refundDay, orderId, p.priceMinor);
    const back = addDays(refundDay, b.rng.int(10, 30));
    b.customerReturn(p, back, orderId, 'SELLABLE', 'Unit returned to inventory');
    b.ledger(p, back, 'CustomerReturns', 1, { reference: orderId });
    b.traps.push({ description: 'refund followed by a timely sellable return', type: 'customer_refund_no_return', fnsku: p.fnsku, orderId, why: 'the item came back within the allowed days and was restocked' });
  },
  refundAlreadyReimbursed(b, p) {
    const refundDay = addDays(b.spec.asOf, -b.rng.int(70, 100));
    const orderId = b.order(p, addDays(refundDay, -5));
    b.refund(p, refundDay, orderId, p.priceMinor);
    b.reimbursement(p, addDays(refundDay, 62), 'CustomerReturn', 1, p.priceMinor, { orderId });
    b.traps.push({ description: 'refund without return, reimbursed by Amazon', type: 'customer_refund_no_return', fnsku: p.fnsku, orderId, why: 'a CustomerReturn reimbursement names the same order' });
  },
  refundTooRecent(b, p) {
    const refundDay = addDays(b.spec.asOf, -b.rng.int(10, 35));
    const orderId = b.order(p, addDays(refundDay, -5));
    b.refund(p, refundDay, orderId, p.priceMinor);
    b.traps.push({ description: 'recent refund, no return yet', type: 'customer_refund_no_return', fnsku: p.fnsku, orderId, why: `the customer still has time to return it (claims open ${b.mp.customerClaimOpensDays} days after the refund)` });
  },
  returnNotRestockedClaimable(b, p) {
    const refundDay = addDays(b.spec.asOf, -b.rng.int(70, 95));
    const orderId = b.order(p, addDays(refundDay, -6));
    const debited = b.refund(p, refundDay, orderId, p.priceMinor);
    const back = addDays(refundDay, b.rng.int(7, 20));
    b.customerReturn(p, back, orderId, 'SELLABLE', 'Unit returned to inventory');
    // No CustomerReturns row in the ledger and no reimbursement: the sellable unit never reached the seller's stock.
    if (!b.has('settlement')) {
      b.notProvable.push({ type: 'return_not_restocked', fnsku: p.fnsku, orderId, why: 'the refund date that opens the window and the refunded amount appear only in the settlement report', missingReport: 'settlement' });
      return;
    }
    if (!b.ledgerCovers(back)) {
      b.notProvable.push({ type: 'return_not_restocked', fnsku: p.fnsku, orderId, why: 'the ledger does not reach back to the return date, so the missing restock cannot be shown', missingReport: 'ledger', missingPeriod: { before: b.ledgerStart } });
      return;
    }
    b.claim({ type: 'return_not_restocked', fnsku: p.fnsku, msku: p.msku, orderId, units: 1, eventDate: refundDay, deadline: addDays(refundDay, b.mp.customerClaimClosesDays), value: b.money(debited), valueBasis: 'net amount the refund debited (settlement Refund rows of the order: Principal + Commission + RefundCommission)', note: `returned SELLABLE on ${back}, no CustomerReturns ledger event` });
  },
  returnCustomerDamaged(b, p) {
    const refundDay = addDays(b.spec.asOf, -b.rng.int(70, 95));
    const orderId = b.order(p, addDays(refundDay, -6));
    b.refund(p, refundDay, orderId, p.priceMinor);
    const back = addDays(refundDay, b.rng.int(7, 20));
    b.customerReturn(p, back, orderId, 'CUSTOMER_DAMAGED', 'Unit returned to inventory', 'DAMAGED_BY_CUSTOMER');
    b.ledger(p, back, 'CustomerReturns', 1, { reference: orderId, disposition: 'CUSTOMER_DAMAGED' });
    b.traps.push({ description: 'return graded customer damaged', type: 'return_not_restocked', fnsku: p.fnsku, orderId, why: 'customer-damaged returns are the seller’s risk under the customer returns policy' });
  },
  inboundShortageClaimable(b, p) {
    const delivered = addDays(b.spec.asOf, -b.rng.int(20, 50));
    const shipmentId = b.inboundShipmentId();
    const shipped = b.rng.int(4, 10) * 12;
    const short = b.rng.int(2, 6);
    b.inbound(p, shipmentId, delivered, shipped, shipped - short);
    b.claim({ type: 'inbound_shortage', fnsku: p.fnsku, msku: p.msku, shipmentId, units: short, eventDate: delivered, deadline: addDays(delivered, WINDOWS.inboundClosesDays), value: null, valueBasis: MANUFACTURING_COST_BASIS });
  },
  inboundShortageReimbursed(b, p) {
    const delivered = addDays(b.spec.asOf, -b.rng.int(20, 50));
    const shipmentId = b.inboundShipmentId();
    b.inbound(p, shipmentId, delivered, 48, 45);
    b.reimbursement(p, addDays(delivered, 12), 'Lost_Inbound', 3, Math.round(p.priceMinor * 0.4), { caseId: b.rng.digits(11) });
    b.traps.push({ description: 'inbound shortage already reimbursed', type: 'inbound_shortage', fnsku: p.fnsku, shipmentId, why: 'a Lost_Inbound reimbursement for the same FNSKU covers the 3 missing units' });
  },
  inboundShortageTooEarly(b, p) {
    const delivered = addDays(b.spec.asOf, -b.rng.int(2, 10));
    const shipmentId = b.inboundShipmentId();
    b.inbound(p, shipmentId, delivered, 36, 34);
    b.traps.push({ description: 'shortage on a shipment delivered days ago', type: 'inbound_shortage', fnsku: p.fnsku, shipmentId, why: `claims open ${WINDOWS.inboundOpensDays} days after delivery; receiving may still catch up` });
  },
  removalLostClaimable(b, p) {
    const req = addDays(b.spec.asOf, -b.rng.int(30, 60));
    const ship = addDays(req, 3);
    const ordered = b.rng.int(6, 12);
    const arrived = ordered - b.rng.int(2, 4);
    const id = b.removalOrder(p, req, 'Return', ordered, ordered, 0);
    b.ledger(p, ship, 'VendorReturns', -ordered, { reference: id });
    b.removalShipment(p, req, id, ship, arrived);
    if (!b.has('removalShipments')) {
      b.notProvable.push({ type: 'removal_lost', fnsku: p.fnsku, removalOrderId: id, why: 'only the removal shipment detail report shows how many units were handed to the carrier', missingReport: 'removalShipments' });
      return;
    }
    if (!b.has('removalOrders')) {
      b.notProvable.push({ type: 'removal_lost', fnsku: p.fnsku, removalOrderId: id, why: 'the shipped quantity Amazon booked for the order is in the removal order detail report', missingReport: 'removalOrders' });
      return;
    }
    b.claim({ type: 'removal_lost', fnsku: p.fnsku, msku: p.msku, removalOrderId: id, units: ordered - arrived, eventDate: ship, deadline: addDays(ship, WINDOWS.removalLostClosesDays), value: null, valueBasis: MANUFACTURING_COST_BASIS, note: `order detail says ${ordered} shipped, shipment detail accounts for ${arrived}` });
  },
  removalComplete(b, p) {
    const req = addDays(b.spec.asOf, -b.rng.int(30, 60));
    const units = b.rng.int(3, 8);
    const id = b.removalOrder(p, req, 'Return', units, units, 0);
    const ship = addDays(req, 2);
    b.ledger(p, ship, 'VendorReturns', -units, { reference: id });
    b.removalShipment(p, req, id, ship, units);
    if (!b.has('removalOrders')) return;
    if (!b.has('removalShipments')) {
      b.traps.push({ description: 'completed removal, shipment detail report absent', type: 'removal_lost', fnsku: p.fnsku, removalOrderId: id, why: 'without the removal shipment detail nothing shows a unit went missing; a complete order is not evidence of loss' });
      return;
    }
    b.traps.push({ description: 'removal fully shipped', type: 'removal_lost', fnsku: p.fnsku, removalOrderId: id, why: 'the shipment detail accounts for every unit of the order' });
  },
  feeOverchargeClaimable(b, p) {
    const day = addDays(b.spec.asOf, -b.rng.int(10, 80));
    const charged = p.previewFeeMinor + b.rng.pick([87, 142, 211]);
    const orderId = b.order(p, day, { feeMinor: charged });
    if (!b.has('settlement') || !b.has('feePreview')) {
      b.notProvable.push({ type: 'fee_overcharge', fnsku: p.fnsku, orderId, why: 'the charged fee is in the settlement and the tier fee in the fee preview; both are needed', missingReport: b.has('settlement') ? 'feePreview' : 'settlement' });
      return;
    }
    b.claim({ type: 'fee_overcharge', fnsku: p.fnsku, msku: p.msku, orderId, units: 1, eventDate: day, deadline: addDays(day, WINDOWS.feeClaimDays), value: b.money(charged - p.previewFeeMinor), valueBasis: 'charged FBAPerUnitFulfillmentFee minus the fee preview expected-fulfillment-fee-per-unit' });
  },
  feeOverchargeExpired(b, p) {
    const day = addDays(b.spec.asOf, -b.rng.int(100, 150));
    const orderId = b.order(p, day, { feeMinor: p.previewFeeMinor + 99 });
    b.traps.push({ description: 'fee overcharge older than the window', type: 'fee_overcharge', fnsku: p.fnsku, orderId, why: `fee claims must be filed within ${WINDOWS.feeClaimDays} days of the charge` });
  },
  reimbursedBelowValueClaimable(b, p) {
    const refundDay = addDays(b.spec.asOf, -b.rng.int(80, 100));
    const orderId = b.order(p, addDays(refundDay, -5));
    const debited = b.refund(p, refundDay, orderId, p.priceMinor);
    const approval = addDays(refundDay, b.rng.int(61, 70));
    const paid = Math.round(debited * 0.5);
    b.reimbursement(p, approval, 'CustomerReturn', 1, paid, { orderId });
    if (!b.has('settlement')) {
      b.notProvable.push({ type: 'reimbursed_below_value', fnsku: p.fnsku, orderId, why: 'the refunded amount to compare with is only in the settlement', missingReport: 'settlement' });
      return;
    }
    b.claim({ type: 'reimbursed_below_value', fnsku: p.fnsku, msku: p.msku, orderId, units: 1, eventDate: approval, deadline: addDays(approval, WINDOWS.reimbursementDisputeDays), value: b.money(debited - paid), valueBasis: 'net amount the refund debited (Principal + Commission + RefundCommission) minus the CustomerReturn reimbursement amount-total for the order' });
  },
  reversalClaimable(b, p) {
    const lossDay = addDays(b.spec.asOf, -b.rng.int(60, 80));
    b.ledger(p, lossDay, 'Adjustments', -1, { reason: 'M', reconciled: 1, unreconciled: 0 });
    const per = Math.round(p.priceMinor * 0.45);
    const original = b.reimbursement(p, addDays(lossDay, 5), 'Lost_Warehouse', 1, per);
    const reversalDay = addDays(b.spec.asOf, -b.rng.int(8, 30));
    b.reimbursement(p, reversalDay, 'Reimbursement_Reversal', 1, -per, { originalId: original, originalType: 'Lost_Warehouse' });
    if (!b.ledgerCovers(lossDay)) {
      b.notProvable.push({ type: 'reversal_without_recovery', fnsku: p.fnsku, why: 'the ledger starts after the loss, so it cannot show that no found (F) event preceded the reversal', missingReport: 'ledger', missingPeriod: { before: b.ledgerStart } });
      return;
    }
    b.claim({ type: 'reversal_without_recovery', fnsku: p.fnsku, msku: p.msku, referenceId: original, units: 1, eventDate: reversalDay, deadline: addDays(reversalDay, WINDOWS.reimbursementDisputeDays), value: b.money(per), valueBasis: 'amount of the reversed reimbursement; no found (F) event returned the unit' });
  },
  reversalAfterFound(b, p) {
    const lossDay = addDays(b.spec.asOf, -b.rng.int(60, 80));
    if (!b.ledgerCovers(lossDay)) return;
    b.ledger(p, lossDay, 'Adjustments', -1, { reason: 'M', reconciled: 1, unreconciled: 0 });
    const per = Math.round(p.priceMinor * 0.45);
    const original = b.reimbursement(p, addDays(lossDay, 5), 'Lost_Warehouse', 1, per);
    const found = addDays(b.spec.asOf, -b.rng.int(15, 35));
    b.ledger(p, found, 'Adjustments', 1, { reason: 'F' });
    b.reimbursement(p, addDays(found, 3), 'Reimbursement_Reversal', 1, -per, { originalId: original, originalType: 'Lost_Warehouse' });
    b.traps.push({ description: 'reversal after the unit was found', type: 'reversal_without_recovery', fnsku: p.fnsku, referenceId: original, why: 'a found (F) event put the unit back before the reversal' });
  },
  refundAboveChargeClaimable(b, p) {
    const orderDay = addDays(b.spec.asOf, -b.rng.int(20, 70));
    const orderId = b.order(p, orderDay);
    const extra = b.rng.pick([500, 1000, 250]);
    const refundDay = addDays(orderDay, 4);
    b.refund(p, refundDay, orderId, p.priceMinor + extra);
    b.customerReturn(p, addDays(refundDay, 6), orderId, 'SELLABLE', 'Unit returned to inventory');
    b.ledger(p, addDays(refundDay, 6), 'CustomerReturns', 1, { reference: orderId });
    if (!b.has('settlement')) {
      b.notProvable.push({ type: 'refund_above_charge', fnsku: p.fnsku, orderId, why: 'charge and refund amounts are only in the settlement', missingReport: 'settlement' });
      return;
    }
    b.claim({ type: 'refund_above_charge', fnsku: p.fnsku, msku: p.msku, orderId, units: 1, eventDate: refundDay, deadline: addDays(refundDay, WINDOWS.refundAboveChargeDays), value: b.money(extra), valueBasis: 'refunded principal minus charged principal of the order' });
  },
  partialRefund(b, p) {
    // Recent enough that no return-based claim can be open for it either (refund under 40 days old).
    const orderDay = addDays(b.spec.asOf, -b.rng.int(20, 40));
    const orderId = b.order(p, orderDay);
    b.refund(p, addDays(orderDay, 9), orderId, Math.round(p.priceMinor * 0.2));
    b.traps.push({ description: 'goodwill partial refund', type: 'refund_above_charge', fnsku: p.fnsku, orderId, why: 'the refund is below the charged price' });
  },
  replacementClaimable(b, p) {
    const originalOrder = b.order(p, addDays(b.spec.asOf, -b.rng.int(95, 110)));
    const replacementDay = addDays(b.spec.asOf, -b.rng.int(70, 90));
    const replacementOrder = b.orderId();
    b.ledger(p, replacementDay, 'Shipments', -1, { reference: b.customerShipmentId() });
    b.push('replacements', {
      'shipment-date': b.isoDateTime(replacementDay), sku: p.msku, asin: p.asin, 'fulfillment-center-id': b.rng.pick(b.mp.fulfilmentCenters),
      'original-fulfillment-center-id': b.rng.pick(b.mp.fulfilmentCenters), quantity: 1, 'replacement-reason-code': '1',
      'replacement-amazon-order-id': replacementOrder, 'original-amazon-order-id': originalOrder,
    });
    if (!b.has('replacements')) {
      b.notProvable.push({ type: 'replacement_not_returned', fnsku: p.fnsku, orderId: originalOrder, why: 'only the replacements report shows that a replacement was sent', missingReport: 'replacements' });
      return;
    }
    b.claim({ type: 'replacement_not_returned', fnsku: p.fnsku, msku: p.msku, orderId: originalOrder, units: 1, eventDate: replacementDay, deadline: addDays(replacementDay, b.mp.customerClaimClosesDays), value: b.has('settlement') ? b.money(p.priceMinor - referralOf(p.priceMinor) - p.previewFeeMinor) : null, valueBasis: b.has('settlement') ? 'sale price minus fees of the original order (settlement Order rows: Principal + Commission + FBAPerUnitFulfillmentFee)' : 'settlement absent: the sale price of the original order is unknown', note: `replacement order ${replacementOrder}; the original unit never came back` });
  },
  replacementReturned(b, p) {
    const originalOrder = b.order(p, addDays(b.spec.asOf, -b.rng.int(95, 110)));
    const replacementDay = addDays(b.spec.asOf, -b.rng.int(70, 90));
    b.ledger(p, replacementDay, 'Shipments', -1, { reference: b.customerShipmentId() });
    b.push('replacements', {
      'shipment-date': b.isoDateTime(replacementDay), sku: p.msku, asin: p.asin, 'fulfillment-center-id': b.rng.pick(b.mp.fulfilmentCenters),
      'original-fulfillment-center-id': b.rng.pick(b.mp.fulfilmentCenters), quantity: 1, 'replacement-reason-code': '1',
      'replacement-amazon-order-id': b.orderId(), 'original-amazon-order-id': originalOrder,
    });
    const back = addDays(replacementDay, b.rng.int(8, 25));
    b.customerReturn(p, back, originalOrder, 'DEFECTIVE', 'Unit returned to inventory', 'DEFECTIVE');
    b.ledger(p, back, 'CustomerReturns', 1, { reference: originalOrder, disposition: 'DEFECTIVE' });
    if (!b.has('replacements')) return;
    b.traps.push({ description: 'replacement with the original returned', type: 'replacement_not_returned', fnsku: p.fnsku, orderId: originalOrder, why: 'the original unit came back within the allowed days' });
  },
  sizeTierOverchargeClaimable(b, p) {
    // The fee preview puts the item one tier too high and every sale is charged that tier's fee. Besides the recent
    // catalogue sale, two more sales fall inside the 90-day fee-claim window and one before it.
    const { asOf, marketplace } = b.spec;
    b.order(p, addDays(asOf, -b.rng.int(100, 140)));
    b.order(p, addDays(asOf, -b.rng.int(20, 45)));
    b.order(p, addDays(asOf, -b.rng.int(50, 80)));
    const units = PACKAGED_UNITS[regionOf(marketplace)];
    const ownTier = sizeTierOf(marketplace, units.overcharged);
    const ownFee = fulfilmentFeeMinor(marketplace, ownTier, units.overcharged);
    const windowStart = addDays(asOf, -WINDOWS.feeClaimDays);
    const charges = (b.fulfilmentCharges.get(p.fnsku) ?? []).filter((c) => c.day >= windowStart).sort((x, y) => (x.day < y.day ? -1 : 1));
    const first = charges[0];
    if (first === undefined) throw new Error('size-tier case without a charge in the window');
    if (!b.has('settlement')) {
      b.notProvable.push({ type: 'size_tier_overcharge', fnsku: p.fnsku, why: 'the fee preview shows the wrong tier, but only the settlement shows fees charged at it within the 90-day fee-claim window', missingReport: 'settlement' });
      return;
    }
    b.claim({
      type: 'size_tier_overcharge', fnsku: p.fnsku, msku: p.msku, units: charges.length, eventDate: first.day, deadline: addDays(first.day, WINDOWS.feeClaimDays), value: null,
      valueBasis: 're-measurement request: the refund depends on the tier Amazon measures, so the key gives no value',
      confidence: 'likely',
      note: `fee preview "${units.overchargedTier}" at ${b.plainMoney(p.previewFeeMinor)}; its own ${describeUnit(marketplace, units.overcharged)} put it in "${ownTier}" (${b.plainMoney(ownFee)}); ${charges.length} units charged at the higher tier in the last ${WINDOWS.feeClaimDays} days, the deadline is that of the first`,
    });
  },
  sizeTierAtLimit(b, p) {
    const { asOf, marketplace } = b.spec;
    b.order(p, addDays(asOf, -b.rng.int(20, 60)));
    const unit = PACKAGED_UNITS[regionOf(marketplace)].atTierLimit;
    const tier = sizeTierOf(marketplace, unit);
    b.traps.push({ description: 'packaged unit exactly at the tier limits, charged at that tier', type: 'size_tier_overcharge', fnsku: p.fnsku, why: `${describeUnit(marketplace, unit)} does not exceed the ${tier} limits (a size equal to a limit is inside the tier), and the preview and every charge use ${tier}` });
  },
};

/** Case products whose packaged unit is not the catalogue's (the size-tier cases). */
const CASE_PRODUCTS: Readonly<Record<string, (region: 'EU' | 'US') => { unit: PackagedUnit; chargedTier?: string }>> = {
  sizeTierOverchargeClaimable: (region) => ({ unit: PACKAGED_UNITS[region].overcharged, chargedTier: PACKAGED_UNITS[region].overchargedTier }),
  sizeTierAtLimit: (region) => ({ unit: PACKAGED_UNITS[region].atTierLimit }),
};

function describeUnit(marketplace: Marketplace, u: PackagedUnit): string {
  const us = marketplace === 'US';
  const side = (n: number): string => n.toFixed(us ? 2 : 1);
  return `${side(u.longestSide)} × ${side(u.medianSide)} × ${side(u.shortestSide)} ${us ? 'in' : 'cm'}, ${u.unitWeight.toFixed(2)} ${us ? 'lb' : 'kg'}`;
}

export const CASE_NAMES = Object.keys(CASES);

function buildSet(spec: ScenarioSpec): { files: Map<string, Buffer>; key: AnswerKey } {
  const b = new SetBuilder(spec);
  const backgroundProducts = 4 * spec.scale;
  for (let i = 0; i < backgroundProducts; i += 1) makeProduct(b, i);
  buildBackground(b);
  // One fresh product per case keeps each case's evidence on its own FNSKU, so a key entry cannot be satisfied
  // by another case's rows; the background products add unrelated noise on the same report lines.
  let index = backgroundProducts;
  for (const name of CASE_NAMES) {
    const build = CASES[name];
    if (build === undefined) continue;
    const own = CASE_PRODUCTS[name]?.(regionOf(spec.marketplace));
    const p = makeProduct(b, index, own?.unit, own?.chargedTier);
    index += 1;
    // Every case product was received and sold like any other, so it is an ordinary part of the catalogue.
    b.inbound(p, b.inboundShipmentId(), addDays(b.periodStart, b.rng.int(1, 20)), 60, 60);
    b.order(p, addDays(spec.asOf, -b.rng.int(1, 12)));
    build(b, p);
  }
  return serialise(b);
}

// ---------------------------------------------------------------------------------------------------------------
// Serialisation: TSV, encodings, gzip
// ---------------------------------------------------------------------------------------------------------------

const CP1252_EXTRA: Record<string, number> = {
  '€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88, '‰': 0x89, 'Š': 0x8a, '‹': 0x8b, 'Œ': 0x8c,
  'Ž': 0x8e, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97, '˜': 0x98, '™': 0x99, 'š': 0x9a, '›': 0x9b,
  'œ': 0x9c, 'ž': 0x9e, 'Ÿ': 0x9f,
};

export function encodeText(text: string, encoding: FileEncoding): Buffer {
  if (encoding === 'utf-8') return Buffer.from(text, 'utf8');
  if (encoding === 'utf-8-bom') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
  if (encoding === 'utf-16le-bom') return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const out = Buffer.alloc(text.length);
  let n = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0x3f;
    const mapped = code < 0x80 || (code >= 0xa0 && code <= 0xff) ? code : CP1252_EXTRA[ch];
    if (mapped === undefined) throw new Error(`character ${ch} cannot be written in Windows-1252`);
    out[n] = mapped;
    n += 1;
  }
  return out.subarray(0, n);
}

export function decodeText(bytes: Buffer, encoding: FileEncoding): string {
  if (encoding === 'utf-8') return bytes.toString('utf8');
  if (encoding === 'utf-8-bom') return bytes.subarray(3).toString('utf8');
  if (encoding === 'utf-16le-bom') return bytes.subarray(2).toString('utf16le');
  const reverse = new Map(Object.entries(CP1252_EXTRA).map(([ch, code]) => [code, ch]));
  let out = '';
  for (const byte of bytes) out += reverse.get(byte) ?? String.fromCharCode(byte);
  return out;
}

function sortKey(kind: ReportKind, row: readonly string[]): string {
  // Amazon emits reports in date order; sort on an ISO form of the row's date column for a stable, realistic order.
  const columns = REPORTS[kind].columns;
  const dateColumn = { ledger: 'Date and Time', reimbursements: 'approval-date', customerReturns: 'return-date', replacements: 'shipment-date', removalOrders: 'request-date', removalShipments: 'shipment-date', settlement: 'posted-date-time', feePreview: 'sku', inboundShipments: 'DeliveredDate' }[kind];
  const value = row[columns.indexOf(dateColumn)] ?? '';
  if (kind === 'settlement') {
    const m = /^(\d{2})[./](\d{2})[./](\d{4})(.*)$/.exec(value);
    return m ? `${m[3]}-${m[2]}-${m[1]}${m[4]}` : value;
  }
  return value;
}

function serialise(b: SetBuilder): { files: Map<string, Buffer>; key: AnswerKey } {
  const { spec } = b;
  const files = new Map<string, Buffer>();
  const fileList: ReportFile[] = [];
  const present = REPORT_KINDS.filter((k) => b.has(k));
  for (const kind of present) {
    const layout = REPORTS[kind];
    let rows = [...(b.rows.get(kind) ?? [])];
    let from = b.periodStart;
    if (kind === 'ledger') {
      from = b.ledgerStart;
      const dayIndex = layout.columns.indexOf('Date and Time');
      rows = rows.filter((r) => (r[dayIndex] ?? '').slice(0, 10) >= b.ledgerStart);
    }
    rows.sort((x, y) => (sortKey(kind, x) < sortKey(kind, y) ? -1 : sortKey(kind, x) > sortKey(kind, y) ? 1 : 0));
    const encoding = spec.encodings?.[kind] ?? spec.defaultEncoding;
    const gzip = spec.gzip.includes(kind);
    const write = (fileName: string, lines: string[], rowCount: number, covers: { from: string; to: string }): void => {
      const raw = encodeText(`${lines.join('\r\n')}\r\n`, encoding);
      const name = gzip ? `${fileName}.gz` : fileName;
      files.set(name, gzip ? gzipSync(raw, { level: 9 }) : raw);
      fileList.push({ kind, reportType: layout.reportType, fileName: name, encoding, gzip, rows: rowCount, covers });
    };
    if (kind !== 'settlement') {
      write(layout.fileName, [layout.columns.join('\t'), ...rows.map((r) => r.join('\t'))], rows.length, { from, to: spec.asOf });
      continue;
    }
    // Amazon closes a settlement about every 14 days and each settlement is its own report: one file per period,
    // whose first data line summarises the settlement (id, period, deposit date, total).
    const amountIndex = layout.columns.indexOf('amount');
    const periods = new Map<number, string[][]>();
    for (const r of rows) {
      const period = Math.floor(daysBetween(b.periodStart, sortKey('settlement', r).slice(0, 10)) / SETTLEMENT_PERIOD_DAYS);
      periods.set(period, [...(periods.get(period) ?? []), r]);
    }
    for (const [period, periodRows] of [...periods.entries()].sort((x, y) => x[0] - y[0])) {
      const start = addDays(b.periodStart, period * SETTLEMENT_PERIOD_DAYS);
      const end = addDays(start, SETTLEMENT_PERIOD_DAYS);
      const settlementId = String(b.settlementBaseId + period * 7919);
      const totalMinor = periodRows.reduce((sum, r) => sum + Math.round(Number((r[amountIndex] ?? '0').replace(',', '.')) * 100), 0);
      const summary = layout.columns.map((c) => {
        if (c === 'settlement-id') return settlementId;
        if (c === 'settlement-start-date') return `${b.settlementDate(start)} 00:00:00 UTC`;
        if (c === 'settlement-end-date') return `${b.settlementDate(end)} 00:00:00 UTC`;
        if (c === 'deposit-date') return `${b.settlementDate(addDays(end, 2))} 00:00:00 UTC`;
        if (c === 'total-amount') return b.settlementMoney(totalMinor);
        if (c === 'currency') return b.mp.currency;
        return '';
      });
      const body = periodRows.map((r) => [settlementId, ...r.slice(1)].join('\t'));
      write(`settlement-${settlementId}.tsv`, [layout.columns.join('\t'), summary.join('\t'), ...body], periodRows.length, { from: start, to: addDays(end, -1) });
    }
  }
  const byTypeAndFnsku = <T extends { type: string; fnsku: string }>(list: T[]): T[] => [...list].sort((x, y) => (x.type + x.fnsku < y.type + y.fnsku ? -1 : 1));
  const key: AnswerKey = {
    generator: 'test/independent-fba/generate.ts',
    scenario: spec.name,
    description: spec.description,
    seed: spec.seed,
    asOf: spec.asOf,
    sellerId: spec.sellerId,
    marketplace: spec.marketplace,
    marketplaceName: b.mp.marketplaceName,
    currency: b.mp.currency,
    locale: {
      decimalSeparator: b.mp.decimalComma ? ',' : '.',
      settlementDateFormat: `${b.mp.settlementDateFormat} (posted-date); "${b.mp.settlementDateFormat} HH:MM:SS UTC" (date-times)`,
      otherReportsDateFormat: 'ledger Date MM/DD/YYYY; every other date ISO 8601 with offset',
    },
    reportsPresent: present,
    files: fileList,
    claimable: byTypeAndFnsku(b.claimable),
    traps: byTypeAndFnsku(b.traps),
    notProvable: byTypeAndFnsku(b.notProvable),
  };
  files.set('answer-key.json', Buffer.from(`${JSON.stringify(key, null, 2)}\n`, 'utf8'));
  return { files, key };
}

// ---------------------------------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------------------------------

export const SCENARIOS: readonly ScenarioSpec[] = [
  {
    name: 'de-complete-utf8bom', description: 'DE seller, every report, UTF-8 with BOM (Seller Central download), ledger and settlement gzipped; decimal comma and dd.mm.yyyy in the settlement',
    seed: 1601, sellerId: 'A1DEKUECHE7Q2M', marketplace: 'DE', asOf: '2026-11-15', absent: [], defaultEncoding: 'utf-8-bom', gzip: ['ledger', 'settlement'], scale: 1,
  },
  {
    name: 'us-complete-utf8', description: 'US seller, every report, plain UTF-8 as SP-API delivers it, fee preview gzipped; the US customer-return window (60–120 days)',
    seed: 1602, sellerId: 'A2USHOMEGOODS9', marketplace: 'US', asOf: '2026-11-20', absent: [], defaultEncoding: 'utf-8', gzip: ['feePreview'], scale: 1,
  },
  {
    name: 'gb-cp1252-no-removal-shipments', description: 'UK seller, Windows-1252 files (Excel re-save), no removal shipment detail: removal losses cannot be proven',
    seed: 1603, sellerId: 'A3UKTRADERS4XP', marketplace: 'GB', asOf: '2026-11-10', absent: ['removalShipments'], defaultEncoding: 'windows-1252', gzip: [], scale: 1,
  },
  {
    name: 'fr-no-settlement', description: 'FR seller without the settlement report: refund, fee and value cases cannot be proven; reimbursements gzipped',
    seed: 1604, sellerId: 'A4FRMAISON8KD2', marketplace: 'FR', asOf: '2026-11-25', absent: ['settlement'], defaultEncoding: 'utf-8', gzip: ['reimbursements'], scale: 1,
  },
  {
    name: 'it-partial-ledger-utf16', description: 'IT seller, ledger only for the last 45 days, UTF-16 LE with BOM: older losses and returns fall outside the ledger',
    seed: 1605, sellerId: 'A5ITCUCINA3LW9', marketplace: 'IT', asOf: '2026-11-05', absent: [], defaultEncoding: 'utf-16le-bom', gzip: ['ledger'], ledgerCoversLastDays: 45, scale: 1,
  },
  {
    name: 'es-mixed-encodings', description: 'ES seller, each report in a different encoding, no removal order detail (disposals unprovable) and no replacements report',
    seed: 1606, sellerId: 'A6ESHOGAR5TN1', marketplace: 'ES', asOf: '2026-11-18', absent: ['removalOrders', 'replacements'], defaultEncoding: 'utf-8',
    encodings: { ledger: 'utf-8-bom', reimbursements: 'windows-1252', customerReturns: 'utf-16le-bom', settlement: 'windows-1252' }, gzip: ['customerReturns'], scale: 1,
  },
];

/** Builds one set in memory: file name → bytes (including answer-key.json). Pure and deterministic. */
export function generateSet(spec: ScenarioSpec): { files: Map<string, Buffer>; key: AnswerKey } {
  return buildSet(spec);
}

export function writeSet(dir: string, spec: ScenarioSpec): AnswerKey {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const { files, key } = generateSet(spec);
  for (const [name, bytes] of files) writeFileSync(join(dir, name), bytes);
  return key;
}

function main(argv: readonly string[]): void {
  const here = dirname(fileURLToPath(import.meta.url));
  const outIndex = argv.indexOf('--out');
  const scaleIndex = argv.indexOf('--scale');
  const out = outIndex >= 0 ? argv[outIndex + 1] : undefined;
  const scale = scaleIndex >= 0 ? Number(argv[scaleIndex + 1]) : 1;
  if (!Number.isInteger(scale) || scale < 1) throw new Error('--scale takes a positive integer');
  const root = out ?? join(here, 'sets');
  for (const spec of SCENARIOS) {
    const key = writeSet(join(root, spec.name), { ...spec, scale });
    process.stdout.write(`${spec.name}: ${key.claimable.length} claimable, ${key.traps.length} traps, ${key.notProvable.length} not provable\n`);
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
