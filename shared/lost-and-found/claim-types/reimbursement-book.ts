import type { ReimbursementCategory, ReimbursementRecord } from '../model.ts';

interface Payment {
  day: number;
  units: number;
}

/**
 * The units Amazon already reimbursed, bound to the reason it paid them for. A reimbursement cancels only
 * claims of the loss its reason names (`Lost_Warehouse` a lost unit, `Damaged_Warehouse` a damaged one,
 * `CustomerReturn` a customer's order…), of the same FNSKU (or order), approved on or after the loss; each
 * unit is taken once. A reimbursement Amazon reversed (`Reimbursement_Reversal` naming it) no longer counts.
 */
export class ReimbursementBook {
  private readonly byFnsku = new Map<string, Payment[]>();
  private readonly byOrder = new Map<string, Payment[]>();
  /** Reimbursement ids reversed in whole or part, with the units reversed. */
  readonly reversedUnits = new Map<string, number>();

  /**
   * `keptOriginals`: reimbursements whose reversal is claimed (`reversal_without_recovery`): their units still pay
   * the original loss, so the loss is not claimed a second time.
   */
  constructor(records: readonly ReimbursementRecord[], dayOf: (record: ReimbursementRecord) => number, keptOriginals: ReadonlySet<string> = new Set()) {
    for (const r of records) {
      if (r.category === 'reversal' && r.originalReimbursementId) {
        this.reversedUnits.set(r.originalReimbursementId, (this.reversedUnits.get(r.originalReimbursementId) ?? 0) + Math.abs(r.quantityTotal));
      }
    }
    for (const r of records) {
      if (r.category === 'reversal') continue;
      const reversed = keptOriginals.has(r.reimbursementId) ? 0 : (this.reversedUnits.get(r.reimbursementId) ?? 0);
      const units = Math.max(0, r.quantityTotal - reversed);
      if (units === 0) continue;
      const day = dayOf(r);
      add(this.byFnsku, `${r.category}|${r.fnsku}`, day, units);
      if (r.amazonOrderId) add(this.byOrder, `${r.category}|${r.amazonOrderId}`, day, units);
    }
    for (const list of this.byFnsku.values()) list.sort((a, b) => a.day - b.day);
    for (const list of this.byOrder.values()) list.sort((a, b) => a.day - b.day);
  }

  /** Takes up to `wanted` units reimbursed for `category` on this FNSKU approved on or after `fromDay`, earliest first. */
  take(category: ReimbursementCategory, fnsku: string, wanted: number, fromDay: number): number {
    return takeFrom(this.byFnsku.get(`${category}|${fnsku}`), wanted, fromDay);
  }

  /** The same per order id (customer refunds and returns). */
  takeOrder(category: ReimbursementCategory, orderId: string, wanted: number, fromDay: number): number {
    return takeFrom(this.byOrder.get(`${category}|${orderId}`), wanted, fromDay);
  }

  isReversed(reimbursementId: string): boolean {
    return this.reversedUnits.has(reimbursementId);
  }
}

function add(map: Map<string, Payment[]>, key: string, day: number, units: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [{ day, units }]);
  else list.push({ day, units });
}

function takeFrom(list: Payment[] | undefined, wanted: number, fromDay: number): number {
  if (list === undefined || wanted <= 0) return 0;
  let taken = 0;
  for (const payment of list) {
    if (payment.day < fromDay || payment.units === 0) continue;
    const units = Math.min(payment.units, wanted - taken);
    payment.units -= units;
    taken += units;
    if (taken === wanted) break;
  }
  return taken;
}
