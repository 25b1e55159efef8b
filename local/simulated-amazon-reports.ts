/**
 * The local stack's Amazon Reports API: for each seller, a small set of realistic FBA reports (the same
 * generator as `npm run gen:fba`, seeded from the seller id, dated on the stack's clock) served by report type.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFbaReports } from '../cli/lost-and-found-generator.ts';
import type { AmazonReportSource } from '#shared/lost-and-found/ports.ts';

const FILE_OF_TYPE: Record<string, RegExp> = {
  GET_LEDGER_DETAIL_VIEW_DATA: /^inventory-ledger-part1/,
  GET_FBA_REIMBURSEMENTS_DATA: /^reimbursements/,
  GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA: /^customer-returns/,
  GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA: /^removal-order-detail/,
  GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA: /^removal-shipment-detail/,
  GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA: /^fee-preview/,
};

export class SimulatedAmazonReports implements AmazonReportSource {
  private readonly generated = new Map<string, string>();
  /** Like the real API, only sellers who authorised our app (consent in the simulated Seller Central) have reports for us. */
  private readonly authorised = new Set<string>();

  constructor(private readonly rows = 3_000) {}

  authorise(sellerId: string): void {
    this.authorised.add(sellerId);
  }

  async download(sellerId: string, reportType: string, _marketplaces: readonly string[], _from: Date, to: Date): Promise<{ fileName: string; bytes: Uint8Array } | undefined> {
    if (!this.authorised.has(sellerId)) return undefined;
    const asOf = to.toISOString().slice(0, 10);
    const key = `${sellerId}|${asOf}`;
    let dir = this.generated.get(key);
    if (!dir) {
      dir = mkdtempSync(join(tmpdir(), 'sellerops-sim-reports-'));
      let seed = 0;
      for (const c of sellerId) seed = (seed * 31 + c.charCodeAt(0)) >>> 0;
      generateFbaReports({ rows: this.rows, outDir: dir, seed, asOf });
      this.generated.set(key, dir);
    }
    const pattern = FILE_OF_TYPE[reportType];
    const file = pattern ? readdirSync(dir).find((f) => pattern.test(f)) : undefined;
    if (!file) return undefined;
    return { fileName: `${reportType}-${asOf}.tsv`, bytes: readFileSync(join(dir, file)) };
  }
}
