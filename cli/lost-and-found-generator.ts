/**
 * Writes a realistic set of FBA reports (Amazon's exact TSV headers) for one seller, with seeded errors of
 * every claim type, decoys that must NOT be claimed, and the answer key. Streams the ledger day by day so a
 * million-row ledger needs little memory. Used by `npm run gen:fba`, the tests, the benchmark and to build
 * examples/fba-reports.
 */
import { appendFileSync, closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ClaimType } from '#shared/lost-and-found/model.ts';
import { refundAdministrationFeeMinor } from '#shared/lost-and-found/rules.ts';
import { daysFromCivil, isoDay } from '#shared/lost-and-found/tsv.ts';

export interface GeneratorOptions {
  rows: number;
  outDir: string;
  seed?: number;
  asOf?: string;
  /** Sample-directory flavour: accented titles, a Windows-1252 file, a BOM, an unknown report. */
  examples?: boolean;
}

export interface ExpectedClaim {
  type: ClaimType;
  msku: string;
  fnsku: string;
  ref: string;
  quantity: number;
  scenario: string;
}

export interface Decoy {
  kind: string;
  msku: string;
  fnsku: string;
  ref: string;
}

export interface AnswerKey {
  asOf: string;
  seed: number;
  ledgerRows: number;
  expected: ExpectedClaim[];
  decoys: Decoy[];
}

export interface GeneratorResult {
  answerKey: AnswerKey;
  files: string[];
  answerKeyPath: string;
}

const LEDGER_HEADER = [
  'Date', 'FNSKU', 'ASIN', 'MSKU', 'Title', 'Event Type', 'Reference ID', 'Quantity', 'Fulfillment Center',
  'Disposition', 'Reason', 'Country', 'Reconciled Quantity', 'Unreconciled Quantity', 'Date and Time',
];
const REIMBURSEMENT_HEADER = [
  'approval-date', 'reimbursement-id', 'case-id', 'amazon-order-id', 'reason', 'sku', 'fnsku', 'asin', 'product-name',
  'condition', 'currency-unit', 'amount-per-unit', 'amount-total', 'quantity-reimbursed-cash',
  'quantity-reimbursed-inventory', 'quantity-reimbursed-total', 'original-reimbursement-id', 'original-reimbursement-type',
];
const RETURNS_HEADER = [
  'return-date', 'order-id', 'sku', 'asin', 'fnsku', 'product-name', 'quantity', 'fulfillment-center-id',
  'detailed-disposition', 'reason', 'status', 'license-plate-number', 'customer-comments',
];
const REMOVAL_ORDER_HEADER = [
  'request-date', 'order-id', 'order-source', 'order-type', 'order-status', 'last-updated-date', 'sku', 'fnsku',
  'disposition', 'requested-quantity', 'cancelled-quantity', 'disposed-quantity', 'shipped-quantity',
  'in-process-quantity', 'removal-fee', 'currency',
];
const REMOVAL_SHIPMENT_HEADER = [
  'request-date', 'order-id', 'shipment-date', 'sku', 'fnsku', 'disposition', 'shipped-quantity', 'carrier',
  'tracking-number', 'removal-order-type',
];
const SETTLEMENT_HEADER = [
  'settlement-id', 'settlement-start-date', 'settlement-end-date', 'deposit-date', 'total-amount', 'currency',
  'transaction-type', 'order-id', 'merchant-order-id', 'adjustment-id', 'shipment-id', 'marketplace-name',
  'amount-type', 'amount-description', 'amount', 'fulfillment-id', 'posted-date', 'posted-date-time',
  'order-item-code', 'merchant-order-item-id', 'merchant-adjustment-item-id', 'sku', 'quantity-purchased', 'promotion-id',
];
const FEE_PREVIEW_HEADER = [
  'sku', 'fnsku', 'asin', 'product-name', 'product-group', 'brand', 'fulfilled-by', 'your-price', 'sales-price',
  'longest-side', 'median-side', 'shortest-side', 'length-and-girth', 'unit-of-dimension', 'item-package-weight',
  'unit-of-weight', 'product-size-tier', 'currency', 'estimated-fee-total', 'estimated-referral-fee-per-unit',
  'estimated-variable-closing-fee', 'estimated-order-handling-fee-per-order', 'estimated-pick-pack-fee-per-unit',
  'estimated-weight-handling-fee-per-unit', 'expected-fulfillment-fee-per-unit',
];
const INBOUND_HEADER = [
  'shipment-id', 'shipment-name', 'shipment-status', 'created-date', 'last-updated-date',
  'destination-fulfillment-center', 'sku', 'fnsku', 'asin', 'quantity-shipped', 'quantity-received', 'quantity-in-case',
];
const COSTS_HEADER = ['sku', 'unit-cost', 'currency'];

const TITLES = [
  'Bamboo Cutting Board Set 3-Piece', 'Stainless Steel Water Bottle 750ml', 'LED Desk Lamp Dimmable',
  'Yoga Mat Non-Slip 6mm', 'Silicone Baking Mat Set', 'Wireless Charger Pad 15W', 'Kids Puzzle 100 Pieces',
  'Cotton Tea Towels Pack of 4', 'Garden Hose Nozzle 8 Patterns', 'Travel Adapter Universal',
];
const EXAMPLE_TITLES = [
  'Küchenwaage Edelstahl 5 kg', 'Thermobecher für Kaffee 400 ml', 'Crème-Brûlée Förmchen 6er Set',
  'Fußmatte Kokos rutschfest', 'Gewürzregal Bambus drehbar',
];
const DAMAGE_CODES = ['6', '7', 'E', 'H', 'K', 'U'];
const FCS_DE = ['LEJ1', 'FRA3', 'DTM2', 'MUC3', 'STR1'];
const FCS_GB = ['LTN1', 'BHX4', 'MAN1', 'EDI4'];

interface Sku {
  msku: string;
  fnsku: string;
  asin: string;
  title: string;
  country: 'DE' | 'GB';
  currency: 'EUR' | 'GBP';
  price: number;
  referral: number;
  fbaFee: number;
  cost: number;
  /** Extra FBA fee charged per unit on orders between these days (a wrongly measured size tier). */
  overcharge?: { fromDay: number; toDay: number; extra: number };
}

/** Deterministic PRNG (mulberry32): the same seed writes the same reports. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function usDate(day: number): string {
  const iso = isoDay(day);
  return `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;
}

function euDate(day: number): string {
  const iso = isoDay(day);
  return `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
}

function amount(minor: number, decimalComma = false): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const text = `${sign}${Math.trunc(abs / 100)}.${pad(abs % 100, 2)}`;
  return decimalComma ? text.replace('.', ',') : text;
}

/** Buffered writer: one write syscall per ~1 MB. */
class TsvFile {
  private readonly fd: number;
  private buffer: string[] = [];
  private size = 0;
  rows = 0;
  constructor(readonly path: string, header: readonly string[], prefix = '') {
    this.fd = openSync(path, 'w');
    this.buffer.push(prefix + header.join('\t') + '\n');
  }
  row(cells: readonly (string | number)[]): void {
    const line = cells.join('\t') + '\n';
    this.buffer.push(line);
    this.size += line.length;
    this.rows++;
    if (this.size > 1 << 20) this.flush();
  }
  flush(): void {
    if (this.buffer.length > 0) writeSync(this.fd, this.buffer.join(''));
    this.buffer = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

interface LedgerEventRow {
  sku: Sku;
  event: 'Shipments' | 'Receipts' | 'CustomerReturns' | 'Adjustments' | 'VendorReturns' | 'WhseTransfers';
  ref: string;
  quantity: number;
  disposition: string;
  reason: string;
}

interface SettlementPeriod {
  id: string;
  startDay: number;
  endDay: number;
  country: 'DE' | 'GB';
  rows: string[][];
  total: number;
}

export function generateFbaReports(options: GeneratorOptions): GeneratorResult {
  const seed = options.seed ?? 42;
  const random = rng(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const asOf = options.asOf ?? '2025-06-30';
  const asOfDay = daysFromCivil(Number(asOf.slice(0, 4)), Number(asOf.slice(5, 7)), Number(asOf.slice(8, 10)));
  const ledgerStart = asOfDay - 365;
  const ledgerEnd = asOfDay - 1;
  const settlementStart = asOfDay - 126;
  const out = options.outDir;
  mkdirSync(join(out, 'answer-key'), { recursive: true });
  const examples = options.examples ?? false;

  const expected: ExpectedClaim[] = [];
  const decoys: Decoy[] = [];
  let sequence = 0;
  // Unique ids (a reimbursement id seen twice would make a reversal hit the wrong reimbursement).
  const nextId = (digits: number): string => String(10 ** (digits - 1) + ++sequence * 1000 + int(0, 999));
  const orderId = (country: 'DE' | 'GB'): string => `${country === 'DE' ? '302' : '026'}-${pad(int(0, 9_999_999), 7)}-${pad(++sequence % 10_000_000, 7)}`;
  const feeScenario: Array<{ sku: Sku; kind: 'expected' | 'decoy' }> = [];

  // ---------------------------------------------------------------- catalog
  let skuCount = 0;
  const makeSku = (): Sku => {
    const i = ++skuCount;
    const country: 'DE' | 'GB' = random() < 0.8 ? 'DE' : 'GB';
    const price = int(999, 6999);
    return {
      msku: `SKU-${pad(i, 6)}`,
      fnsku: `X00${i.toString(36).toUpperCase().padStart(7, '0')}`,
      asin: `B0${(i * 7919).toString(36).toUpperCase().padStart(8, '0')}`,
      title: examples ? pick(EXAMPLE_TITLES) : pick(TITLES),
      country,
      currency: country === 'DE' ? 'EUR' : 'GBP',
      price,
      referral: Math.round(price * 0.15),
      fbaFee: int(280, 690),
      cost: Math.round(price * 0.35),
    };
  };
  const background: Sku[] = [];
  for (let i = 0; i < Math.max(20, Math.round(options.rows / 200)); i++) background.push(makeSku());
  const allSkus: Sku[] = [...background];
  const scenarioSku = (): Sku => {
    const sku = makeSku();
    allSkus.push(sku);
    return sku;
  };

  // ---------------------------------------------------------------- day-indexed ledger rows and small reports
  const scheduled = new Map<number, LedgerEventRow[]>();
  const schedule = (day: number, row: LedgerEventRow): void => {
    if (day < ledgerStart || day > ledgerEnd) return;
    let list = scheduled.get(day);
    if (!list) scheduled.set(day, (list = []));
    list.push(row);
  };
  const reimbursementRows: Array<{ day: number; cells: (string | number)[] }> = [];
  const returnRows: Array<{ day: number; cells: (string | number)[] }> = [];
  const removalOrderRows: (string | number)[][] = [];
  const removalShipmentRows: (string | number)[][] = [];
  const inboundRows: (string | number)[][] = [];
  const refundsByDay = new Map<number, Array<{ sku: Sku; orderId: string; quantity: number }>>();
  const refund = (day: number, sku: Sku, order: string, quantity: number): void => {
    let list = refundsByDay.get(day);
    if (!list) refundsByDay.set(day, (list = []));
    list.push({ sku, orderId: order, quantity });
  };

  const fc = (sku: Sku): string => pick(sku.country === 'DE' ? FCS_DE : FCS_GB);
  const adjustment = (day: number, sku: Sku, reason: string, quantity: number, disposition = 'SELLABLE'): string => {
    const ref = nextId(10);
    schedule(day, { sku, event: 'Adjustments', ref, quantity, disposition, reason });
    return ref;
  };
  const reimburse = (day: number, sku: Sku, reason: string, quantity: number, perUnit: number, extra: { orderId?: string; caseId?: string; original?: string; inventory?: boolean } = {}): string => {
    const id = nextId(10);
    const cash = extra.inventory ? 0 : quantity;
    const inventory = extra.inventory ? quantity : 0;
    reimbursementRows.push({
      day,
      cells: [
        `${isoDay(day)}T${pad(int(0, 23), 2)}:${pad(int(0, 59), 2)}:00+00:00`, id, extra.caseId ?? '', extra.orderId ?? '', reason,
        sku.msku, sku.fnsku, sku.asin, sku.title, 'New', sku.currency, amount(cash > 0 ? perUnit : 0), amount(perUnit * cash),
        cash, inventory, quantity, extra.original ?? '', extra.original ? 'Cash' : '',
      ],
    });
    return id;
  };
  const returnRow = (day: number, sku: Sku, order: string, quantity: number, status: string): void => {
    returnRows.push({
      day,
      cells: [
        `${isoDay(day)}T${pad(int(0, 23), 2)}:00:00+00:00`, order, sku.msku, sku.asin, sku.fnsku, sku.title, quantity, fc(sku),
        'SELLABLE', pick(['UNWANTED_ITEM', 'NOT_AS_DESCRIBED', 'ORDERED_WRONG_ITEM']), status, `LPN${nextId(9)}`, '',
      ],
    });
  };
  const expect = (type: ClaimType, sku: Sku, ref: string, quantity: number, scenario: string): void => {
    expected.push({ type, msku: sku.msku, fnsku: sku.fnsku, ref, quantity, scenario });
  };
  const decoy = (kind: string, sku: Sku, ref: string): void => {
    decoys.push({ kind, msku: sku.msku, fnsku: sku.fnsku, ref });
  };
  const fair = (sku: Sku): number => Math.round(sku.cost * 1.3);
  const shipOrder = (day: number, sku: Sku, quantity: number): string => {
    const order = orderId(sku.country);
    schedule(day, { sku, event: 'Shipments', ref: order, quantity: -quantity, disposition: 'SELLABLE', reason: '' });
    pendingOrders.push({ day, sku, orderId: order, quantity });
    return order;
  };
  const pendingOrders: Array<{ day: number; sku: Sku; orderId: string; quantity: number }> = [];
  const inboundItem = (sku: Sku, shipped: number, received: number, status: string, lastUpdated: number, receiptDays: number[]): string => {
    const shipment = `FBA1${nextId(8)}`;
    inboundRows.push([shipment, `FBA STA (${isoDay(lastUpdated - 20)})`, status, isoDay(lastUpdated - 20), isoDay(lastUpdated), fc(sku), sku.msku, sku.fnsku, sku.asin, shipped, received, 0]);
    let left = received;
    receiptDays.forEach((day, index) => {
      const part = index === receiptDays.length - 1 ? left : Math.floor(received / receiptDays.length);
      left -= part;
      if (part > 0) schedule(day, { sku, event: 'Receipts', ref: shipment, quantity: part, disposition: 'SELLABLE', reason: '' });
    });
    return shipment;
  };
  const removalOrder = (sku: Sku, type: 'Return' | 'Disposal', requested: number, requestDay: number, lastUpdated: number, shippedInDetail: number, shippedByCarrier: number): string => {
    const order = `R${nextId(9)}`;
    removalOrderRows.push([
      `${isoDay(requestDay)}T08:00:00+00:00`, order, 'Seller-initiated Manual Removal', type, 'Completed', `${isoDay(lastUpdated)}T18:00:00+00:00`,
      sku.msku, sku.fnsku, 'Sellable', requested, 0, type === 'Disposal' ? requested : 0, type === 'Return' ? shippedInDetail : 0, 0, amount(requested * 50), sku.currency,
    ]);
    if (type === 'Return') {
      schedule(lastUpdated - 5, { sku, event: 'VendorReturns', ref: order, quantity: -requested, disposition: 'SELLABLE', reason: '' });
      if (shippedByCarrier > 0) {
        removalShipmentRows.push([
          `${isoDay(requestDay)}T08:00:00+00:00`, order, `${isoDay(lastUpdated - 4)}T12:00:00+00:00`, sku.msku, sku.fnsku, 'Sellable',
          shippedByCarrier, pick(['DHL', 'DPD', 'UPS']), `00340434${nextId(10)}`, 'Return',
        ]);
      }
    }
    return order;
  };

  // ---------------------------------------------------------------- seeded errors and decoys
  const perKind = Math.max(1, Math.round(options.rows / 5000));
  for (let n = 0; n < perKind; n++) {
    // lost in the warehouse, inside the filing window
    {
      const sku = scenarioSku();
      const q = int(1, 3);
      const ref = adjustment(asOfDay - int(32, 58), sku, pick(['M', '5']), -q);
      expect('lost_warehouse', sku, ref, q, 'misplaced, never found');
    }
    {
      const sku = scenarioSku();
      const q = int(2, 4);
      const day = asOfDay - int(32, 50);
      const ref = adjustment(day, sku, 'M', -q);
      adjustment(day + int(1, 5), sku, 'F', 1);
      expect('lost_warehouse', sku, ref, q - 1, 'misplaced, partly found');
    }
    {
      const sku = scenarioSku();
      const q = int(2, 4);
      const day = asOfDay - int(32, 50);
      const ref = adjustment(day, sku, 'M', -q);
      reimburse(day + 3, sku, 'Lost_Warehouse', 1, fair(sku));
      expect('lost_warehouse', sku, ref, q - 1, 'misplaced, partly reimbursed');
    }
    {
      const sku = scenarioSku();
      const q = int(1, 3);
      const day = asOfDay - int(32, 50);
      adjustment(day, sku, '5', -q);
      const paid = reimburse(day + 2, sku, 'Lost_Warehouse', q, fair(sku));
      reimburse(day + 6, sku, 'Reimbursement_Reversal', q, -fair(sku), { original: paid });
      expect('reversal_without_recovery', sku, paid, q, 'reimbursed then reversed, nothing found');
    }
    // damaged in the warehouse
    {
      const sku = scenarioSku();
      const q = int(1, 3);
      const day = asOfDay - int(32, 58);
      const ref = adjustment(day, sku, pick(DAMAGE_CODES), -q);
      adjustment(day, sku, 'P', q, pick(['WAREHOUSE_DAMAGED', 'DEFECTIVE']));
      expect('damaged_warehouse', sku, ref, q, 'damaged, not reimbursed');
    }
    // disposed or donated without a removal order
    {
      const sku = scenarioSku();
      const q = int(1, 5);
      const ref = adjustment(asOfDay - int(32, 58), sku, pick(['D', 'G']), -q, 'UNSELLABLE');
      expect('disposed_unauthorised', sku, ref, q, 'disposed without removal order');
    }
    // refunded, never returned
    {
      const sku = scenarioSku();
      const q = int(1, 2);
      const refundDay = asOfDay - int(46, 104); // EU/UK customer-return window: 45–105 days after the refund
      const order = shipOrder(refundDay - int(2, 10), sku, q);
      refund(refundDay, sku, order, q);
      expect('refund_not_returned', sku, order, q, 'refunded, never returned');
    }
    {
      const sku = scenarioSku();
      const refundDay = asOfDay - int(46, 104); // EU/UK customer-return window: 45–105 days after the refund
      const order = shipOrder(refundDay - int(2, 10), sku, 2);
      refund(refundDay, sku, order, 2);
      const back = refundDay + int(3, 20);
      returnRow(back, sku, order, 1, 'Unit returned to inventory');
      schedule(back, { sku, event: 'CustomerReturns', ref: order, quantity: 1, disposition: 'SELLABLE', reason: '' });
      expect('refund_not_returned', sku, order, 1, 'refunded 2, one returned');
    }
    // returned but never restocked
    {
      const sku = scenarioSku();
      const refundDay = asOfDay - int(46, 104); // EU/UK customer-return window: 45–105 days after the refund
      const order = shipOrder(refundDay - int(2, 10), sku, 1);
      refund(refundDay, sku, order, 1);
      returnRow(refundDay + int(3, 20), sku, order, 1, 'Unit returned to inventory');
      expect('return_not_restocked', sku, order, 1, 'returned, not restocked');
    }
    // inbound shortage
    {
      const sku = scenarioSku();
      const shipped = int(24, 120);
      const short = int(1, 5);
      const closed = asOfDay - int(17, 58);
      const shipment = inboundItem(sku, shipped, shipped - short, 'CLOSED', closed, [closed - 3, closed - 2]);
      expect('inbound_shortage', sku, shipment, short, 'inbound shortage');
    }
    // removal lost between inventory and carrier
    {
      const sku = scenarioSku();
      const q = int(3, 10);
      const lost = int(1, 2);
      // Shipped 4 days before completion; claimable 15–75 days after the shipment (policy since 2024).
      const done = asOfDay - int(19, 71);
      const order = removalOrder(sku, 'Return', q, done - 10, done, q, q - lost);
      expect('removal_lost', sku, order, lost, 'removal units never shipped');
    }
    // fee overcharge (size tier measured too large)
    {
      const sku = scenarioSku();
      sku.overcharge = { fromDay: ledgerStart, toDay: ledgerEnd, extra: int(50, 150) };
      feeScenario.push({ sku, kind: 'expected' });
    }
    // reimbursed below value
    {
      const sku = scenarioSku();
      const q = int(1, 3);
      const day = asOfDay - int(35, 55);
      adjustment(day, sku, 'M', -q);
      const id = reimburse(day + int(3, 10), sku, 'Lost_Warehouse', q, Math.round(sku.cost * 0.5));
      expect('underpaid_reimbursement', sku, id, q, 'reimbursed at half the cost');
    }

    // ---- decoys: each looks like a claim but must not become one
    {
      const sku = scenarioSku();
      const q = int(1, 3);
      const day = asOfDay - int(32, 58);
      const ref = adjustment(day, sku, 'M', -q);
      reimburse(day + int(1, 20), sku, 'Lost_Warehouse', q, fair(sku));
      decoy('lost, already reimbursed', sku, ref);
    }
    {
      const sku = scenarioSku();
      const q = int(1, 3);
      const day = asOfDay - int(32, 58);
      const ref = adjustment(day, sku, 'M', -q);
      adjustment(day + int(1, 20), sku, 'F', q);
      decoy('lost, found again', sku, ref);
    }
    {
      const sku = scenarioSku();
      decoy('lost, inside research window', sku, adjustment(asOfDay - int(2, 28), sku, 'M', -int(1, 3)));
    }
    {
      const sku = scenarioSku();
      decoy('lost, past deadline', sku, adjustment(asOfDay - int(62, 200), sku, '5', -int(1, 3)));
    }
    {
      const sku = scenarioSku();
      const q = int(1, 3);
      const day = asOfDay - int(32, 58);
      const ref = adjustment(day, sku, pick(DAMAGE_CODES), -q);
      adjustment(day, sku, 'P', q, 'WAREHOUSE_DAMAGED');
      reimburse(day + int(1, 20), sku, 'Damaged_Warehouse', q, fair(sku), { inventory: random() < 0.3 });
      decoy('damaged, already reimbursed', sku, ref);
    }
    {
      const sku = scenarioSku();
      decoy('damaged, inside research window', sku, adjustment(asOfDay - int(2, 28), sku, pick(DAMAGE_CODES), -1));
    }
    {
      const sku = scenarioSku();
      decoy('damaged, past deadline', sku, adjustment(asOfDay - int(62, 200), sku, pick(DAMAGE_CODES), -1));
    }
    {
      const sku = scenarioSku();
      const q = int(1, 5);
      const day = asOfDay - int(32, 58);
      removalOrder(sku, 'Disposal', q, day - int(1, 10), day, 0, 0);
      decoy('disposed on the seller’s removal order', sku, adjustment(day, sku, 'D', -q, 'UNSELLABLE'));
    }
    {
      const sku = scenarioSku();
      const refundDay = asOfDay - int(46, 104); // EU/UK customer-return window: 45–105 days after the refund
      const order = shipOrder(refundDay - 5, sku, 1);
      refund(refundDay, sku, order, 1);
      const back = refundDay + int(3, 30);
      returnRow(back, sku, order, 1, 'Unit returned to inventory');
      schedule(back, { sku, event: 'CustomerReturns', ref: order, quantity: 1, disposition: 'SELLABLE', reason: '' });
      decoy('refund, item returned and restocked', sku, order);
    }
    {
      const sku = scenarioSku();
      const refundDay = asOfDay - int(46, 104); // EU/UK customer-return window: 45–105 days after the refund
      const order = shipOrder(refundDay - 5, sku, 1);
      refund(refundDay, sku, order, 1);
      reimburse(refundDay + int(45, 58), sku, 'CustomerReturn', 1, sku.price, { orderId: order });
      decoy('refund, already reimbursed', sku, order);
    }
    {
      const sku = scenarioSku();
      const refundDay = asOfDay - int(5, 43);
      const order = shipOrder(refundDay - 3, sku, 1);
      refund(refundDay, sku, order, 1);
      decoy('refund, inside the 45-day return window', sku, order);
    }
    {
      const sku = scenarioSku();
      const refundDay = asOfDay - int(107, 110);
      const order = shipOrder(refundDay - 3, sku, 1);
      refund(refundDay, sku, order, 1);
      decoy('refund, past deadline', sku, order);
    }
    {
      const sku = scenarioSku();
      const refundDay = asOfDay - int(46, 104); // EU/UK customer-return window: 45–105 days after the refund
      const order = shipOrder(refundDay - 4, sku, 1);
      refund(refundDay, sku, order, 1);
      returnRow(refundDay + int(3, 20), sku, order, 1, 'Reimbursed');
      reimburse(refundDay + int(25, 40), sku, 'CustomerReturn', 1, sku.price, { orderId: order });
      decoy('returned, not restocked, already reimbursed', sku, order);
    }
    {
      const sku = scenarioSku();
      const closed = asOfDay - int(17, 58);
      const shipment = inboundItem(sku, 48, 46, 'CLOSED', closed, [closed - 2]);
      reimburse(closed + int(1, 10), sku, 'Lost_Inbound', 2, fair(sku));
      decoy('inbound shortage, already reimbursed', sku, shipment);
    }
    {
      const sku = scenarioSku();
      const closed = asOfDay - int(17, 58);
      decoy('inbound, still receiving', sku, inboundItem(sku, 60, 50, 'RECEIVING', closed, [closed - 1]));
    }
    {
      const sku = scenarioSku();
      const closed = asOfDay - int(2, 13);
      decoy('inbound shortage, receiving just closed', sku, inboundItem(sku, 36, 33, 'CLOSED', closed, [closed - 1]));
    }
    {
      const sku = scenarioSku();
      const closed = asOfDay - int(62, 120);
      decoy('inbound shortage, past deadline', sku, inboundItem(sku, 36, 30, 'CLOSED', closed, [closed - 1]));
    }
    {
      const sku = scenarioSku();
      const done = asOfDay - int(17, 73);
      const order = removalOrder(sku, 'Return', 6, done - 10, done, 6, 4);
      reimburse(done + int(1, 10), sku, 'Removal_Order_Lost', 2, fair(sku));
      decoy('removal lost, already reimbursed', sku, order);
    }
    {
      const sku = scenarioSku();
      const done = asOfDay - int(80, 150);
      decoy('removal lost, past deadline', sku, removalOrder(sku, 'Return', 5, done - 10, done, 5, 3));
    }
    {
      const sku = scenarioSku();
      const done = asOfDay - int(17, 73);
      decoy('removal fully shipped', sku, removalOrder(sku, 'Return', 5, done - 10, done, 5, 5));
    }
    {
      const sku = scenarioSku();
      // Overcharged only on orders older than the 90-day fee deadline, then corrected.
      sku.overcharge = { fromDay: ledgerStart, toDay: asOfDay - 91, extra: int(50, 150) };
      feeScenario.push({ sku, kind: 'decoy' });
      decoy('fee overcharge, past deadline', sku, '');
    }
    {
      const sku = scenarioSku();
      const q = int(1, 3);
      const day = asOfDay - int(35, 55);
      const ref = adjustment(day, sku, 'M', -q);
      reimburse(day + int(3, 10), sku, 'Lost_Warehouse', q, Math.round(sku.cost * 0.97));
      decoy('reimbursed slightly below cost (within tolerance)', sku, ref);
    }
  }

  // Fee scenario SKUs sell a few units over the settlement months, some older than the 90-day fee deadline.
  for (const { sku } of feeScenario) {
    for (let k = 0; k < 6; k++) shipOrder(asOfDay - int(1, 125), sku, 1);
  }

  // ---------------------------------------------------------------- settlement periods (last ~4 months)
  const periods: SettlementPeriod[] = [];
  for (const country of ['DE', 'GB'] as const) {
    for (let start = settlementStart; start <= ledgerEnd; start += 14) {
      periods.push({ id: nextId(11), startDay: start, endDay: Math.min(start + 13, ledgerEnd), country, rows: [], total: 0 });
    }
  }
  const periodOf = (country: 'DE' | 'GB', day: number): SettlementPeriod | undefined =>
    day < settlementStart ? undefined : periods.find((p) => p.country === country && day >= p.startDay && day <= p.endDay);
  const feeUnits = new Map<string, number>(); // `${msku}|${settlementId}` → overcharged units still within 90 days
  const settlementItem = (period: SettlementPeriod, type: 'Order' | 'Refund', order: string, sku: Sku, day: number, quantity: number, amounts: Array<[string, string, number]>): void => {
    const eu = period.country === 'DE';
    const date = eu ? `${euDate(day)} 10:00:00 UTC` : `${isoDay(day)} 10:00:00 UTC`;
    for (const [amountType, description, value] of amounts) {
      period.total += value;
      period.rows.push([
        '', '', '', '', '', '', type, order, '', type === 'Refund' ? nextId(11) : '', '', eu ? 'Amazon.de' : 'Amazon.co.uk',
        amountType, description, amount(value, eu), 'AFN', eu ? euDate(day) : isoDay(day), date, nextId(14), '', '', sku.msku, String(quantity), '',
      ]);
    }
  };
  const orderCharges = (sku: Sku, day: number, quantity: number): number => {
    const extra = sku.overcharge && day >= sku.overcharge.fromDay && day <= sku.overcharge.toDay ? sku.overcharge.extra : 0;
    return (sku.fbaFee + extra) * quantity;
  };

  // ---------------------------------------------------------------- stream the ledger, day by day
  const ledgerFiles = [
    new TsvFile(join(out, 'inventory-ledger-part1.tsv'), LEDGER_HEADER, examples ? '\uFEFF' : ''),
    new TsvFile(join(out, 'inventory-ledger-part2.tsv'), LEDGER_HEADER),
  ];
  const midDay = Math.floor((ledgerStart + ledgerEnd) / 2);
  const overlap = 7; // the two downloads overlap by a week each side: the audit must dedupe those rows
  const totalDays = ledgerEnd - ledgerStart + 1;
  let ledgerRows = 0;
  let written = 0;
  for (let day = ledgerStart; day <= ledgerEnd; day++) {
    const quota = Math.round((options.rows * (day - ledgerStart + 1)) / totalDays) - written;
    const rows: LedgerEventRow[] = scheduled.get(day) ?? [];
    scheduled.delete(day);
    // Background business: orders (some refunded and returned), receipts, transfers, disposition changes, removals.
    while (rows.length < quota) {
      const r = random();
      const sku = pick(background);
      if (r < 0.55) {
        const quantity = random() < 0.9 ? 1 : 2;
        const order = orderId(sku.country);
        rows.push({ sku, event: 'Shipments', ref: order, quantity: -quantity, disposition: 'SELLABLE', reason: '' });
        pendingOrders.push({ day, sku, orderId: order, quantity });
        if (random() < 0.05) {
          const refundDay = day + int(1, 20);
          const back = refundDay + int(1, 30);
          if (refundDay <= ledgerEnd) {
            refund(refundDay, sku, order, quantity);
            if (back <= ledgerEnd) {
              returnRow(back, sku, order, quantity, 'Unit returned to inventory');
              schedule(back, { sku, event: 'CustomerReturns', ref: order, quantity, disposition: 'SELLABLE', reason: '' });
            }
          }
        }
      } else if (r < 0.59) {
        const shipped = int(10, 60);
        inboundItem(sku, shipped, shipped, day + 2 <= ledgerEnd ? 'CLOSED' : 'RECEIVING', Math.min(day + 2, ledgerEnd), [day]);
        rows.push(...(scheduled.get(day) ?? []).splice(0));
      } else if (r < 0.84) {
        rows.push({ sku, event: 'WhseTransfers', ref: nextId(10), quantity: random() < 0.5 ? -1 : 1, disposition: 'SELLABLE', reason: '' });
      } else if (r < 0.99) {
        const code = pick(['P', 'Q', '3', '4', 'O', 'N']);
        rows.push({ sku, event: 'Adjustments', ref: nextId(10), quantity: random() < 0.5 ? -1 : 1, disposition: pick(['SELLABLE', 'CUSTOMER_DAMAGED', 'DEFECTIVE']), reason: code });
      } else if (day + 8 <= ledgerEnd) {
        const q = int(1, 6);
        removalOrder(sku, 'Return', q, day - 2, day + 5, q, q);
        rows.push(...(scheduled.get(day) ?? []).splice(0));
      }
    }
    // Settlement rows for this day's orders and refunds.
    for (const o of pendingOrders.splice(0)) {
      const period = periodOf(o.sku.country, o.day);
      if (!period) continue;
      const fee = orderCharges(o.sku, o.day, o.quantity);
      settlementItem(period, 'Order', o.orderId, o.sku, o.day, o.quantity, [
        ['ItemPrice', 'Principal', o.sku.price * o.quantity],
        ['ItemFees', 'Commission', -o.sku.referral * o.quantity],
        ['ItemFees', 'FBAPerUnitFulfillmentFee', -fee],
      ]);
      if (fee > o.sku.fbaFee * o.quantity && o.day >= asOfDay - 90) {
        const key = `${o.sku.msku}|${period.id}`;
        feeUnits.set(key, (feeUnits.get(key) ?? 0) + o.quantity);
      }
    }
    for (const f of refundsByDay.get(day) ?? []) {
      const period = periodOf(f.sku.country, day);
      if (!period) continue;
      const administrationFee = refundAdministrationFeeMinor(f.sku.referral, 2);
      settlementItem(period, 'Refund', f.orderId, f.sku, day, f.quantity, [
        ['ItemPrice', 'Principal', -f.sku.price * f.quantity],
        ['ItemFees', 'Commission', f.sku.referral * f.quantity],
        ['ItemFees', 'RefundCommission', -administrationFee * f.quantity],
      ]);
    }
    refundsByDay.delete(day);
    for (const row of rows) {
      const line = [
        usDate(day), row.sku.fnsku, row.sku.asin, row.sku.msku, row.sku.title, row.event, row.ref, row.quantity, fc(row.sku),
        row.disposition, row.reason, row.sku.country, row.event === 'Adjustments' ? 0 : row.quantity, 0,
        `${isoDay(day)}T${pad(int(0, 23), 2)}:${pad(int(0, 59), 2)}:${pad(int(0, 59), 2)}+0000`,
      ];
      if (day <= midDay + overlap) ledgerFiles[0]!.row(line);
      if (day >= midDay - overlap) ledgerFiles[1]!.row(line);
      ledgerRows++;
    }
    written += rows.length;
  }
  for (const f of ledgerFiles) f.close();

  for (const [key, units] of feeUnits) {
    const [msku, settlementId] = key.split('|') as [string, string];
    const scenario = feeScenario.find((s) => s.sku.msku === msku);
    if (scenario?.kind === 'expected') expected.push({ type: 'fee_overcharge', msku, fnsku: scenario.sku.fnsku, ref: settlementId, quantity: units, scenario: 'FBA fee above the fee preview' });
  }

  // ---------------------------------------------------------------- the small reports
  const files: string[] = ledgerFiles.map((f) => f.path);
  for (const period of periods) {
    if (period.rows.length === 0) continue;
    const eu = period.country === 'DE';
    const path = join(out, `settlement-${period.country.toLowerCase()}-${period.id}.tsv`);
    const file = new TsvFile(path, SETTLEMENT_HEADER);
    const fmt = eu ? euDate : isoDay;
    file.row([period.id, fmt(period.startDay), fmt(period.endDay), fmt(period.endDay + 2), amount(period.total, eu), eu ? 'EUR' : 'GBP', ...Array<string>(18).fill('')]);
    for (const cells of period.rows) {
      cells[0] = period.id;
      file.row(cells);
    }
    file.close();
    files.push(path);
  }

  const write = (name: string, header: readonly string[], rows: readonly (readonly (string | number)[])[]): string => {
    const path = join(out, name);
    const file = new TsvFile(path, header);
    for (const row of rows) file.row(row);
    file.close();
    files.push(path);
    return path;
  };
  const reimbursementsPath = write('reimbursements.tsv', REIMBURSEMENT_HEADER, reimbursementRows.sort((a, b) => a.day - b.day).map((r) => r.cells));
  write('customer-returns.tsv', RETURNS_HEADER, returnRows.sort((a, b) => a.day - b.day).map((r) => r.cells));
  write('removal-order-detail.tsv', REMOVAL_ORDER_HEADER, removalOrderRows);
  write('removal-shipment-detail.tsv', REMOVAL_SHIPMENT_HEADER, removalShipmentRows);
  write('inbound-shipment-items.tsv', INBOUND_HEADER, inboundRows);
  write(
    'fee-preview.tsv',
    FEE_PREVIEW_HEADER,
    // 30 × 20 × 5 cm and 0.45 kg is an extra-large envelope in Amazon's European table (up to 33 × 23 × 6 cm,
    // 960 g; claim-types/size-tiers.ts): the label agrees with it, so only the seeded fee scenarios make fee claims.
    allSkus.map((s) => [
      s.msku, s.fnsku, s.asin, s.title, 'Home', 'Acme', 'AMAZON_NA', amount(s.price), amount(s.price), '30.00', '20.00', '5.00', '80.00', 'centimeters',
      '0.45', 'kilograms', 'Extra-large Envelope', s.currency, amount(s.referral + s.fbaFee), amount(s.referral), '0.00', '0.00', amount(s.fbaFee), '0.00', amount(s.fbaFee),
    ]),
  );
  write('seller-costs.tsv', COSTS_HEADER, allSkus.map((s) => [s.msku, amount(s.cost), s.currency]));

  if (examples) {
    // Seller Central on a Windows machine: the reimbursement report saved as Windows-1252.
    const text = [REIMBURSEMENT_HEADER.join('\t'), ...reimbursementRows.map((r) => r.cells.join('\t'))].join('\r\n') + '\r\n';
    writeFileSync(reimbursementsPath, Buffer.from(text, 'latin1'));
    // A report the audit does not use: it must be reported and skipped.
    const unknown = join(out, 'all-orders-report.txt');
    writeFileSync(unknown, 'amazon-order-id\tmerchant-order-id\tpurchase-date\torder-status\n302-0000000-0000001\t\t2025-06-01T10:00:00+00:00\tShipped\n');
    files.push(unknown);
    // Bad input a real download can hold: an impossible date, and a file cut off mid-line.
    appendFileSync(join(out, 'customer-returns.tsv'), '31.02.2025\t302-0000000-0000002\tSKU-000001\tB000000001\tX000000001\tBroken row\t1\tLEJ1\tSELLABLE\tUNWANTED_ITEM\tUnit returned to inventory\tLPN1\t\n');
    appendFileSync(join(out, 'removal-shipment-detail.tsv'), '2025-06-01T08:00:00+00:00\tR000000001\t2025-06-0');
  }

  const answerKey: AnswerKey = { asOf, seed, ledgerRows, expected, decoys };
  const answerKeyPath = join(out, 'answer-key', 'answer-key.json');
  writeFileSync(answerKeyPath, JSON.stringify(answerKey, null, 2) + '\n');
  return { answerKey, files, answerKeyPath };
}
