/** The price history as CSV (the customer's export). */
import { csvCell } from '#shared/kernel/csv.ts';
import type { HistoryEntry } from './model.ts';

export const HISTORY_CSV_COLUMNS = ['at', 'sku', 'marketplace_id', 'audience', 'kind', 'action', 'price', 'previous_price', 'currency', 'reason_code', 'reason', 'state', 'buy_box', 'competitors', 'dry_run'] as const;

export function historyToCsv(entries: readonly HistoryEntry[], format: (minor: number, currency: string) => string): string {
  const esc = csvCell;
  const rows = entries.map((e) =>
    [
      e.at,
      e.sku,
      e.marketplaceId,
      e.audience,
      e.kind,
      e.action,
      format(e.priceMinor, e.currency),
      e.previousPriceMinor === null ? '' : format(e.previousPriceMinor, e.currency),
      e.currency,
      e.reasonCode,
      e.reason,
      e.state,
      e.buyBox,
      String(e.competitorCount),
      String(e.dryRun),
    ]
      .map(esc)
      .join(','),
  );
  return [HISTORY_CSV_COLUMNS.join(','), ...rows].join('\n') + '\n';
}
