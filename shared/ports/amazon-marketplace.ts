import type { Money } from '../kernel/money.ts';
import type { Audience, OfferChangeEvent } from '../repricer/types.ts';

/**
 * The Amazon side of the repricer, as a port. Adapters: the real SP-API one (getItemOffersBatch +
 * patchListingsItem, not built yet) and the simulated marketplace (`shared/marketplace-sim/`), which the
 * local stack, the CLI simulation and the tests use.
 */

/** Amazon's getItemOffersBatch takes at most 20 ASINs per request. */
export const MAX_ASINS_PER_SNAPSHOT_REQUEST = 20;

export interface MarketSnapshotRequest {
  /** The seller asking: decides which offer is "ours" in the result. */
  readonly sellerId: string;
  readonly marketplaceId: string;
  readonly audience: Audience;
  /** 1–20 ASINs. */
  readonly asins: readonly string[];
  readonly itemCondition?: string;
}

export type MarketSnapshotResult =
  | { readonly asin: string; readonly ok: true; readonly market: OfferChangeEvent }
  | { readonly asin: string; readonly ok: false; readonly error: string };

export interface QuantityTierPrice {
  /** Quantity from which the price applies (Amazon's `quantity_discount_plan` lower bound). */
  readonly minQuantity: number;
  readonly price: Money;
}

/** One price change for one offer and audience: `purchasable_offer` with audience ALL (B2C) or B2B. */
export interface PriceChange {
  readonly sellerId: string;
  readonly sku: string;
  readonly asin: string;
  readonly marketplaceId: string;
  readonly audience: Audience;
  readonly price: Money;
  /** B2B only, up to 5 tiers. */
  readonly quantityTiers: readonly QuantityTierPrice[];
}

export interface SubmitOptions {
  /** Validate only (SP-API `mode=VALIDATION_PREVIEW`): nothing changes on Amazon. */
  readonly dryRun: boolean;
}

export type PriceChangeStatus = 'ACCEPTED' | 'VALIDATED' | 'REJECTED';

export interface PriceChangeResult {
  readonly sku: string;
  readonly marketplaceId: string;
  readonly audience: Audience;
  readonly status: PriceChangeStatus;
  /** Amazon's submission id (patchListingsItem) or the simulator's. */
  readonly submissionId: string;
  /** When Amazon is expected to have applied the price (absent for VALIDATED and REJECTED). */
  readonly expectedEffectiveAt?: Date;
  readonly issues: readonly string[];
}

export interface AmazonMarketplace {
  /** Current offers of up to 20 ASINs (throws ValidationError for more). One result per ASIN, in order. */
  getMarketSnapshots(request: MarketSnapshotRequest): Promise<readonly MarketSnapshotResult[]>;
  /** Submits price changes (one result per change, in order); with `dryRun` nothing changes. */
  submitPriceChanges(changes: readonly PriceChange[], options: SubmitOptions): Promise<readonly PriceChangeResult[]>;
}
