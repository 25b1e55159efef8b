import type { ReportSource } from '#shared/lost-and-found/audit.ts';

/** A report held in memory, streamed in chunks of `chunkSize` bytes (small chunks test line carry-over). */
export function memorySource(name: string, content: string | Uint8Array, chunkSize = 1 << 16): ReportSource {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return {
    name,
    size: bytes.length,
    async *open() {
      for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.slice(i, i + chunkSize);
    },
  };
}

/**
 * Like the Node file adapter: one Node Buffer refilled for every chunk, so a reader that keeps a view of a
 * chunk past its turn (a Buffer's `slice` is a view) sees it change under it.
 */
export function reusedBufferSource(name: string, content: string, chunkSize: number): ReportSource {
  const bytes = Buffer.from(content, 'utf8');
  return {
    name,
    size: bytes.length,
    async *open() {
      const buffer = Buffer.alloc(chunkSize);
      for (let i = 0; i < bytes.length; i += chunkSize) {
        const n = bytes.copy(buffer, 0, i, i + chunkSize);
        yield buffer.subarray(0, n);
        buffer.fill(0x7e); // scribble over the chunk once the reader is done with it
      }
    },
  };
}

export const LEDGER_HEADER = 'Date\tFNSKU\tASIN\tMSKU\tTitle\tEvent Type\tReference ID\tQuantity\tFulfillment Center\tDisposition\tReason\tCountry\tReconciled Quantity\tUnreconciled Quantity\tDate and Time';

export interface LedgerLine {
  date: string;
  fnsku?: string;
  msku?: string;
  event: string;
  ref: string;
  quantity: number;
  reason?: string;
  country?: string;
}

export function ledger(lines: LedgerLine[]): string {
  return [
    LEDGER_HEADER,
    ...lines.map((l) =>
      [l.date, l.fnsku ?? 'X00TEST001', 'B0TEST0001', l.msku ?? 'SKU-1', 'Test product', l.event, l.ref, l.quantity, 'LEJ1', 'SELLABLE', l.reason ?? '', l.country ?? 'DE', 0, 0, `${l.date}T10:00:00+0000`].join('\t'),
    ),
  ].join('\n') + '\n';
}

export const REIMBURSEMENT_HEADER = 'approval-date\treimbursement-id\tcase-id\tamazon-order-id\treason\tsku\tfnsku\tasin\tproduct-name\tcondition\tcurrency-unit\tamount-per-unit\tamount-total\tquantity-reimbursed-cash\tquantity-reimbursed-inventory\tquantity-reimbursed-total\toriginal-reimbursement-id\toriginal-reimbursement-type';

export interface ReimbursementLine {
  date: string;
  id: string;
  caseId?: string;
  orderId?: string;
  reason: string;
  msku?: string;
  fnsku?: string;
  perUnit: string;
  quantity: number;
  original?: string;
  currency?: string;
}

export function reimbursements(lines: ReimbursementLine[]): string {
  return [
    REIMBURSEMENT_HEADER,
    ...lines.map((r) => {
      const total = (Number(r.perUnit) * r.quantity).toFixed(2);
      return [r.date, r.id, r.caseId ?? '', r.orderId ?? '', r.reason, r.msku ?? 'SKU-1', r.fnsku ?? 'X00TEST001', 'B0TEST0001', 'Test', 'New', r.currency ?? 'EUR', r.perUnit, total, r.quantity, 0, r.quantity, r.original ?? '', ''].join('\t');
    }),
  ].join('\n') + '\n';
}

/**
 * A reimbursements report with no rows: evidence that Amazon reimbursed nothing. Warehouse, customer, inbound
 * and removal claims rest on it (since November 2024 Amazon reimburses most of these by itself).
 */
export function noReimbursements(): ReportSource {
  return memorySource('reimbursements-none.tsv', `${REIMBURSEMENT_HEADER}\n`);
}

export const COSTS = 'sku\tunit-cost\tcurrency\nSKU-1\t10.00\tEUR\nSKU-2\t4.00\tEUR\n';

export const SETTLEMENT_HEADER = 'settlement-id\tsettlement-start-date\tsettlement-end-date\tdeposit-date\ttotal-amount\tcurrency\ttransaction-type\torder-id\tmerchant-order-id\tadjustment-id\tshipment-id\tmarketplace-name\tamount-type\tamount-description\tamount\tfulfillment-id\tposted-date\tposted-date-time\torder-item-code\tmerchant-order-item-id\tmerchant-adjustment-item-id\tsku\tquantity-purchased\tpromotion-id';

export function settlementRow(id: string, type: string, orderId: string, description: string, amount: string, posted: string, sku = 'SKU-1', quantity = 1): string {
  return [id, '', '', '', '', '', type, orderId, '', '', '', 'Amazon.de', description === 'Principal' ? 'ItemPrice' : 'ItemFees', description, amount, 'AFN', posted, `${posted} 10:00:00 UTC`, '', '', '', sku, quantity, ''].join('\t');
}

export function settlement(id: string, currency: string, rows: string[], opts: { eu?: boolean } = {}): string {
  const summary = [id, opts.eu ? '01.01.2025' : '2025-01-01', '', '', '0', currency, ...Array(18).fill('')].join('\t');
  return [SETTLEMENT_HEADER, summary, ...rows].join('\n') + '\n';
}

export const RETURNS_HEADER = 'return-date\torder-id\tsku\tasin\tfnsku\tproduct-name\tquantity\tfulfillment-center-id\tdetailed-disposition\treason\tstatus\tlicense-plate-number\tcustomer-comments';
export function returnsReport(lines: Array<{ date: string; orderId: string; quantity?: number; status?: string }>): string {
  return [RETURNS_HEADER, ...lines.map((l) => [l.date, l.orderId, 'SKU-1', 'B0TEST0001', 'X00TEST001', 'Test', l.quantity ?? 1, 'LEJ1', 'SELLABLE', 'UNWANTED_ITEM', l.status ?? 'Unit returned to inventory', 'LPN1', ''].join('\t'))].join('\n') + '\n';
}

export const FEE_PREVIEW = [
  'sku\tfnsku\tasin\tproduct-name\tproduct-size-tier\tcurrency\tyour-price\testimated-fee-total\testimated-referral-fee-per-unit\texpected-fulfillment-fee-per-unit',
  'SKU-1\tX00TEST001\tB0TEST0001\tTest\tStandard Parcel\tEUR\t30.00\t7.50\t4.50\t3.00',
].join('\n') + '\n';
