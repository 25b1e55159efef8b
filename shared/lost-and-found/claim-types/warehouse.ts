import type { FnskuState, LedgerEvent } from '../audit-facts.ts';
import type { ClaimConfidence } from '../model.ts';
import { times, type ClaimDraft, type RuleContext } from './catalogue.ts';

/** The draft of a warehouse claim (lost, damaged, disposed): one ledger adjustment, its full units unless paid. */
export function warehouseDraft(ctx: RuleContext, state: FnskuState, event: LedgerEvent, units: number, confidence: ClaimConfidence): ClaimDraft {
  const evidence = ctx.evidence('inventory_ledger', event, `ledger:${event.ref}|${state.fnsku}|${event.code}`, event.ref, event.day, -event.units, { code: 'ledger_adjustment', params: { reason: event.code } });
  return {
    identityKey: evidence.key,
    msku: state.msku,
    fnsku: state.fnsku,
    asin: state.asin,
    quantity: units,
    ref: event.ref,
    eventDay: event.day,
    evidence: [evidence],
    value: times(ctx.unitValueBeforeOrder(state.msku, state.currency), units),
    confidence,
  };
}
