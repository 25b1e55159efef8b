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
  /** Refunded orders: the customer has 60 days to send the item back; claims close 120 days after the refund. */
  customerReturn: ClaimWindow;
  /** Inbound shortage: 15 days after delivery for receiving to finish, 60-day deadline. */
  inbound: ClaimWindow;
  /** Removal orders: 15 to 75 days after the order completed. */
  removal: ClaimWindow;
  /** Fee errors: 90 days after the charge. */
  fee: ClaimWindow;
  /** Reimbursed below value: 60 days after Amazon's reimbursement. */
  underpaid: ClaimWindow;
}

export const DEFAULT_CLAIM_WINDOWS: ClaimWindows = {
  warehouse: { openAfterDays: 30, deadlineDays: 60 },
  customerReturn: { openAfterDays: 60, deadlineDays: 120 },
  inbound: { openAfterDays: 15, deadlineDays: 60 },
  removal: { openAfterDays: 15, deadlineDays: 75 },
  fee: { openAfterDays: 0, deadlineDays: 90 },
  underpaid: { openAfterDays: 0, deadlineDays: 60 },
};

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
