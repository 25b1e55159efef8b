/**
 * What a report row says in a claim's evidence, as a code with its parameters. The English sentence (`detail`,
 * also in the case text for Seller Support, which stays English) is made from them here, in one place; the web
 * app words the same code in the reader's language. Parameter values are the report's own text (reason codes,
 * order ids, amounts in minor units as the report states them).
 */
export type EvidenceDetail =
  | { readonly code: 'ledger_adjustment'; readonly params: { readonly reason: string } }
  | { readonly code: 'return_disposition'; readonly params: { readonly disposition: string } }
  | { readonly code: 'refund_principal'; readonly params: { readonly msku: string } }
  | { readonly code: 'fee_charged'; readonly params: { readonly msku: string; readonly charged: number; readonly expected: number } }
  | { readonly code: 'size_tier_charged'; readonly params: { readonly msku: string; readonly charged: number; readonly statedTier: string; readonly measuredTier: string } }
  | { readonly code: 'inbound_received'; readonly params: { readonly shipped: number; readonly received: number } }
  | { readonly code: 'removal_order'; readonly params: { readonly orderType: string; readonly status: string } }
  | { readonly code: 'removal_shipped'; readonly params: { readonly tracking: string } }
  | { readonly code: 'replacement_order'; readonly params: { readonly replacementOrderId: string } }
  | { readonly code: 'reimbursement_reversal'; readonly params: { readonly reason: string; readonly originalReimbursementId: string } }
  | { readonly code: 'reimbursement_reversed'; readonly params: { readonly reason: string } }
  | { readonly code: 'reimbursement_per_unit'; readonly params: { readonly reason: string; readonly perUnit: string; readonly currency: string } };

export type EvidenceDetailCode = EvidenceDetail['code'];

/** The detail in English, as the evidence table and the case text have always said it. */
export function evidenceDetailText(detail: EvidenceDetail): string {
  switch (detail.code) {
    case 'ledger_adjustment':
      return `Adjustments reason ${detail.params.reason}`;
    case 'return_disposition':
      return detail.params.disposition;
    case 'refund_principal':
      return `Refund Principal ${detail.params.msku}`;
    case 'fee_charged':
      return `FBAPerUnitFulfillmentFee ${detail.params.msku} charged ${detail.params.charged} vs expected ${detail.params.expected} (minor units)`;
    case 'size_tier_charged':
      return `FBAPerUnitFulfillmentFee ${detail.params.msku} charged ${detail.params.charged} (minor units) at the fee preview's tier "${detail.params.statedTier}"; its dimensions and weight fall in ${detail.params.measuredTier}`;
    case 'inbound_received':
      return `shipped ${detail.params.shipped}, received ${detail.params.received}`;
    case 'removal_order':
      return `${detail.params.orderType} ${detail.params.status}`;
    case 'removal_shipped':
      return `shipped, tracking ${detail.params.tracking}`;
    case 'replacement_order':
      return `replacement order ${detail.params.replacementOrderId}`;
    case 'reimbursement_reversal':
      return `${detail.params.reason} of ${detail.params.originalReimbursementId}`;
    case 'reimbursement_reversed':
      return `${detail.params.reason} (reversed)`;
    case 'reimbursement_per_unit':
      return `${detail.params.reason} ${detail.params.perUnit} ${detail.params.currency}/unit`;
  }
}
