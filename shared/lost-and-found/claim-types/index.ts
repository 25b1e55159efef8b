/** The catalogue, in the order the audit evaluates it (each type's reimbursements are its own: order is free). */
import type { ClaimTypeRule } from './catalogue.ts';
import { damagedWarehouse } from './damaged-warehouse.ts';
import { disposedUnauthorised } from './disposed-unauthorised.ts';
import { feeOvercharge } from './fee-overcharge.ts';
import { inboundShortage } from './inbound-shortage.ts';
import { lostWarehouse } from './lost-warehouse.ts';
import { refundNotReturned } from './refund-not-returned.ts';
import { removalLost } from './removal-lost.ts';
import { returnNotRestocked } from './return-not-restocked.ts';
import { returnUnsellable } from './return-unsellable.ts';
import { refundAboveCharge } from './refund-above-charge.ts';
import { replacementNotReturned } from './replacement-not-returned.ts';
import { reversalWithoutRecovery } from './reversal-without-recovery.ts';
import { sizeTierOvercharge } from './size-tier-overcharge.ts';
import { underpaidReimbursement } from './underpaid-reimbursement.ts';

export const CLAIM_CATALOGUE: readonly ClaimTypeRule[] = [
  lostWarehouse,
  damagedWarehouse,
  disposedUnauthorised,
  refundNotReturned,
  returnNotRestocked,
  returnUnsellable,
  inboundShortage,
  removalLost,
  feeOvercharge,
  sizeTierOvercharge,
  underpaidReimbursement,
  reversalWithoutRecovery,
  refundAboveCharge,
  replacementNotReturned,
];

export type { ClaimTypeRule, PolicyRule } from './catalogue.ts';
