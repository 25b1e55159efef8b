/**
 * Amazon's windows and value rules, in one place (domain.md, "What Amazon's FBA reports contain").
 * A claim may be filed from `openAfterDays` after its event day (Amazon's own research / return window)
 * up to and including `deadlineDays` after it. The audit never emits a claim outside that range.
 */
export interface ClaimWindow {
  openAfterDays: number;
  deadlineDays: number;
}

export interface ClaimWindows {
  /** Lost, damaged, disposed in the warehouse: Amazon researches and reimburses by itself for 30 days; 60-day deadline. */
  warehouse: ClaimWindow;
  /** Refunded or replaced orders in North America (US help page): 60 to 120 days after the refund. */
  customerReturn: ClaimWindow;
  /** The same in Europe and the UK (Amazon Europe's announcement of the 2024 windows): 45 to 105 days. */
  customerReturnEu: ClaimWindow;
  /** Disposed of without the seller's order: not part of Amazon's proactive search, claimable at once, 60-day deadline. */
  disposal: ClaimWindow;
  /** A reimbursement reversed with no unit coming back: 60 days after the reversal. */
  reversal: ClaimWindow;
  /** A refund above the price charged: 90 days after the refund. */
  refundAboveCharge: ClaimWindow;
  /** Inbound shortage: 15 days after delivery for receiving to finish, 60-day deadline. */
  inbound: ClaimWindow;
  /** Removal shipments lost in transit: 15 to 75 days after the shipment date. */
  removal: ClaimWindow;
  /** Fee errors: 90 days after the charge. */
  fee: ClaimWindow;
  /** Reimbursed below value: 60 days after Amazon's reimbursement. */
  underpaid: ClaimWindow;
}

export const DEFAULT_CLAIM_WINDOWS: ClaimWindows = {
  warehouse: { openAfterDays: 30, deadlineDays: 60 },
  customerReturn: { openAfterDays: 60, deadlineDays: 120 },
  customerReturnEu: { openAfterDays: 45, deadlineDays: 105 },
  disposal: { openAfterDays: 0, deadlineDays: 60 },
  reversal: { openAfterDays: 0, deadlineDays: 60 },
  refundAboveCharge: { openAfterDays: 0, deadlineDays: 90 },
  inbound: { openAfterDays: 15, deadlineDays: 60 },
  removal: { openAfterDays: 15, deadlineDays: 75 },
  fee: { openAfterDays: 0, deadlineDays: 90 },
  underpaid: { openAfterDays: 0, deadlineDays: 60 },
};

/** Currencies of the North American marketplaces, whose customer-return window is 60–120 days (Europe: 45–105). */
const NORTH_AMERICAN_CURRENCIES: ReadonlySet<string> = new Set(['USD', 'CAD', 'MXN', 'BRL']);

export function customerReturnWindowName(currency: string): 'customerReturn' | 'customerReturnEu' {
  return NORTH_AMERICAN_CURRENCIES.has(currency) ? 'customerReturn' : 'customerReturnEu';
}

/** Inclusive at both ends: claimable on the day the window opens and on the deadline itself. */
export function isClaimable(eventDay: number, asOfDay: number, window: ClaimWindow): boolean {
  return asOfDay >= eventDay + window.openAfterDays && asOfDay <= eventDay + window.deadlineDays;
}

/**
 * Amazon keeps a refund administration fee of min(20 % of the referral fee, 5.00) when it refunds an order
 * (in the currency's major unit, so 5.00 EUR = 500 minor units for a 2-decimal currency).
 */
export function refundAdministrationFeeMinor(referralFeeMinor: number, currencyDecimals: number): number {
  const cap = 5 * 10 ** currencyDecimals;
  return Math.min(Math.round(Math.abs(referralFeeMinor) * 0.2), cap);
}

/** A reimbursement is "below value" when it pays less than this share of the expected unit value. */
export const UNDERPAID_TOLERANCE_BASIS_POINTS = 9500;
/** …and the shortfall of the whole reimbursement is at least this many minor units (not worth a case below). */
export const UNDERPAID_MIN_SHORTFALL_MINOR = 100;

/** Marketplace country (ledger Country column, settlement marketplace) → the currency it settles in. */
export const COUNTRY_CURRENCY: Readonly<Record<string, string>> = {
  DE: 'EUR',
  FR: 'EUR',
  IT: 'EUR',
  ES: 'EUR',
  NL: 'EUR',
  BE: 'EUR',
  IE: 'EUR',
  AT: 'EUR',
  GB: 'GBP',
  UK: 'GBP',
  US: 'USD',
  CA: 'CAD',
  MX: 'MXN',
  BR: 'BRL',
  SE: 'SEK',
  PL: 'PLN',
  TR: 'TRY',
  AE: 'AED',
  SA: 'SAR',
  AU: 'AUD',
  SG: 'SGD',
  IN: 'INR',
  EG: 'EGP',
  JP: 'JPY',
};

/** "Amazon.de" → "DE", "amazon.co.uk" → "GB", "Amazon.com" → "US". */
export function marketplaceCountry(marketplaceName: string): string | undefined {
  const name = marketplaceName.trim().toLowerCase();
  if (!name.startsWith('amazon.')) return undefined;
  const tld = name.slice(name.lastIndexOf('.') + 1);
  if (tld === 'com') return name === 'amazon.com' ? 'US' : undefined;
  if (tld === 'uk') return 'GB';
  return tld.toUpperCase();
}
