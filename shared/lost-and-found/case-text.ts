import { formatMoney } from '#shared/kernel/money.ts';
import type { ClaimType, FoundClaim } from './model.ts';

/** What happened, per claim type, in the words Seller Support expects. */
const WHAT_HAPPENED: Readonly<Record<ClaimType, (c: FoundClaim) => string>> = {
  lost_warehouse: (c) =>
    `${c.quantity} unit(s) of FNSKU ${c.fnsku} were adjusted as misplaced/lost in your fulfilment centre on ${c.eventDate} (ledger reference ${c.ref}). They were not found again and have not been reimbursed after the 30-day research period.`,
  damaged_warehouse: (c) =>
    `${c.quantity} unit(s) of FNSKU ${c.fnsku} were damaged in your fulfilment centre on ${c.eventDate} (ledger reference ${c.ref}) and have not been reimbursed.`,
  disposed_unauthorised: (c) =>
    `${c.quantity} unit(s) of FNSKU ${c.fnsku} were disposed of or donated on ${c.eventDate} (ledger reference ${c.ref}) without a removal order from us.`,
  refund_not_returned: (c) =>
    `Order ${c.ref} was refunded on ${c.eventDate} for ${c.quantity} unit(s) of ${c.msku}. The customer did not return the item(s) within 60 days and no reimbursement has been issued.`,
  return_not_restocked: (c) =>
    `The customer return of order ${c.ref} (${c.quantity} unit(s) of ${c.msku}) was received at your fulfilment centre but never added back to our inventory, and no reimbursement has been issued.`,
  return_unsellable: (c) =>
    `The customer of order ${c.ref} was refunded on ${c.eventDate}; ${c.quantity} unit(s) of ${c.msku} came back damaged in your fulfilment centre or in transport and were put into our unfulfillable inventory instead of being reimbursed. The refund stood and no reimbursement has been issued.`,
  inbound_shortage: (c) =>
    `Inbound shipment ${c.ref} was closed on ${c.eventDate} with ${c.quantity} unit(s) of FNSKU ${c.fnsku} fewer received than shipped. Please investigate and reimburse the missing units.`,
  removal_lost: (c) =>
    `Removal order ${c.ref} (completed ${c.eventDate}) removed ${c.quantity} unit(s) of FNSKU ${c.fnsku} from inventory that do not appear in any removal shipment.`,
  fee_overcharge: (c) =>
    `In settlement ${c.ref}, ${c.quantity} unit(s) of ${c.msku} were charged an FBA fulfilment fee above the fee for the product's size tier and weight (first charge ${c.eventDate}). Please re-measure the product and refund the difference.`,
  size_tier_overcharge: (c) =>
    `Since ${c.eventDate}, ${c.quantity} unit(s) of ${c.msku} were charged the FBA fulfilment fee of a size tier above the one its dimensions and weight in the fee preview fall into. Please re-measure the product and refund the fees charged above its correct size tier.`,
  underpaid_reimbursement: (c) =>
    `Reimbursement ${c.ref} (${c.eventDate}) paid for ${c.quantity} unit(s) of ${c.msku} well below their value. Please review the reimbursement amount.`,
  reversal_without_recovery: (c) =>
    `Reimbursement for ${c.quantity} unit(s) of FNSKU ${c.fnsku} was reversed on ${c.eventDate} (${c.ref}), but the units were never found or returned to our inventory. Please reinstate the reimbursement.`,
  refund_above_charge: (c) =>
    `Order ${c.ref} was refunded on ${c.eventDate} for more than the customer was charged for ${c.msku}. Please reimburse the amount refunded above the charge.`,
  replacement_not_returned: (c) =>
    `A replacement for order ${c.ref} (${c.quantity} unit(s) of ${c.msku}) was shipped on ${c.eventDate}; the original item was not returned within the return period and no reimbursement has been issued.`,
};

/** The ready-to-submit Seller Support case text for a claim: what happened, units, dates, evidence ids, amount. */
export function caseText(claim: FoundClaim): string {
  const evidence = claim.evidence.map((e) => `- ${e.report} ${e.id} (${e.date}): ${e.detail}, quantity ${e.quantity}`);
  return [
    `Subject: Reimbursement request - ${claim.type.replace(/_/g, ' ')} - ${claim.msku} / ${claim.ref}`,
    '',
    'Hello Seller Support,',
    '',
    WHAT_HAPPENED[claim.type](claim),
    '',
    `SKU: ${claim.msku}   FNSKU: ${claim.fnsku}   ASIN: ${claim.asin}`,
    `Units: ${claim.quantity}   Estimated value: ${formatMoney(claim.amount)}`,
    `Event date: ${claim.eventDate}   Claim deadline: ${claim.deadline}`,
    '',
    'Evidence from our reports:',
    ...evidence,
    '',
    'Please reimburse the units above. Thank you.',
  ].join('\n');
}
