import type { RefundLine, ReturnLine } from '../audit-facts.ts';
import type { Evidence } from '../model.ts';
import type { RuleContext } from './catalogue.ts';

export function returnEvidence(ctx: RuleContext, ret: ReturnLine): Evidence[] {
  return ret.rows.map((r) =>
    ctx.evidence('customer_returns', r, `return:${ret.orderId}|${ret.msku}|${r.lpn}|${dayKey(r.day)}`, ret.orderId, r.day, r.quantity, { code: 'return_disposition', params: { disposition: r.disposition } }),
  );
}

export function refundEvidence(ctx: RuleContext, refund: RefundLine): Evidence[] {
  return refund.principalRows.map((r) =>
    ctx.evidence('settlement', r, `refund:${refund.settlementId}|${refund.orderId}|${refund.msku}|${r.amount}`, refund.orderId, r.day, r.quantity, { code: 'refund_principal', params: { msku: refund.msku } }),
  );
}

/** Evidence keys hold ISO days (stable, readable); `RuleContext.evidence` formats the same way. */
function dayKey(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}
