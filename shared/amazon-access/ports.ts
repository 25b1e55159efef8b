/**
 * Ports of Amazon access: the tenant ↔ seller binding, single-use authorisation states, the encrypted
 * refresh-token vault, Login with Amazon, the shared quota limiter and the operator's kill switch. Adapters
 * live in shared/adapters/ (DynamoDB, SSM, SP-API) and local/ (the simulated Seller Central).
 */
import type { MarketplaceCode } from '#shared/kernel/marketplaces.ts';
import type { AmazonRegion } from './regions.ts';

export type ConnectionStatus = 'pending' | 'authorised' | 'revoked';

/** A tenant's link to Amazon: one seller, one region, one refresh token (in the vault, never here). */
export interface AmazonConnection {
  readonly tenantId: string;
  readonly status: ConnectionStatus;
  readonly region: AmazonRegion;
  /** The marketplace whose Seller Central the consent went through. */
  readonly marketplace: MarketplaceCode;
  /** Null until Amazon names the seller in the callback: the sign-up's seller id is never trusted. */
  readonly sellerId: string | null;
  readonly authorisedAt: string | null;
  readonly revokedAt: string | null;
  readonly revokedReason: string | null;
  readonly updatedAt: string;
}

/** A consent in flight: its nonce is the key; taking it deletes it, so a state works once. */
export interface PendingAuthorisation {
  readonly nonce: string;
  readonly tenantId: string;
  readonly region: AmazonRegion;
  readonly marketplace: MarketplaceCode;
  readonly expiresAtMs: number;
}

export interface AmazonConnectionStore {
  getConnection(tenantId: string): Promise<AmazonConnection | undefined>;
  putConnection(connection: AmazonConnection): Promise<void>;
  savePendingAuthorisation(pending: PendingAuthorisation): Promise<void>;
  /** Deletes and returns the pending authorisation (one conditional delete); undefined if used or unknown. */
  takePendingAuthorisation(nonce: string): Promise<PendingAuthorisation | undefined>;
  /** Which tenant a seller is bound to. */
  tenantOfSeller(sellerId: string): Promise<{ tenantId: string; region: AmazonRegion } | undefined>;
  /** Binds the seller to the tenant with one conditional write; refused when another tenant holds it. */
  bindSeller(sellerId: string, tenantId: string, region: AmazonRegion): Promise<{ readonly bound: true } | { readonly bound: false; readonly owner: string }>;
}

/** Refresh tokens, encrypted, per tenant. Never logged, never returned by any API. */
export interface RefreshTokenVault {
  store(tenantId: string, secret: { sellerId: string; refreshToken: string }): Promise<void>;
  read(tenantId: string): Promise<{ sellerId: string; refreshToken: string } | undefined>;
}

export interface LoginWithAmazon {
  /** authorization_code grant: the code from the consent callback for the seller's refresh token. */
  exchangeAuthorizationCode(code: string, region: AmazonRegion): Promise<{ refreshToken: string }>;
}

/**
 * The seller's notification subscriptions through the Notifications API: our destination (the repricer's
 * notifications queue) and one subscription per type. Idempotent: an existing subscription to our destination
 * is kept, one to another destination is replaced.
 */
export interface NotificationSubscriptions {
  subscribe(sellerId: string, notificationType: string): Promise<'created' | 'existing'>;
}

/** HMAC over the state payload: a state names its tenant and expiry and cannot be forged or altered. */
export interface StateSigner {
  sign(payload: string): Promise<string>;
  verify(payload: string, signature: string): Promise<boolean>;
}

/** Our SP-API application as Amazon registered it. */
export interface AmazonApplication {
  /** `amzn1.sp.solution.…` (Solution Provider Portal → app → "App ID"). */
  readonly applicationId: string;
  /** Draft apps authorise with `version=beta`. */
  readonly draft: boolean;
  /** The consent page of a marketplace's Seller Central (`…/apps/authorize/consent`; the simulated one locally). */
  consentPage(marketplace: MarketplaceCode): string;
}

export interface AmazonConnectionEvents {
  /** The seller authorised our app: work that waited for it (the profile analysis) may start. */
  connected(event: { tenantId: string; sellerId: string; region: AmazonRegion; occurredAt: string }): Promise<void>;
}

/**
 * Work of our products that starts the moment a seller authorises us: the report back-fill (one fetch chain per
 * report, as far back as each allows), instead of waiting for the next daily run. Idempotent: chains already under
 * way today are left alone.
 */
export interface AuthorisationFollowUp {
  sellerAuthorised(event: { tenantId: string; sellerId: string }): Promise<void>;
}

/** What the CSM side does when a seller revokes our app: a task and a push (idempotent per revocation). */
export interface RevocationAlerts {
  revoked(alert: { tenantId: string; sellerId: string; reason: string; revokedAt: string; authorisedAt: string | null }): Promise<void>;
}

export interface QuotaRate {
  readonly ratePerSecond: number;
  readonly burst: number;
}

/** A selling partner (or `app#<region>` for per-application limits) and an SP-API operation. */
export interface QuotaKey {
  readonly sellerId: string;
  readonly operation: string;
}

/** A token taken, or when the next one comes (and whether the key's circuit is open until then). */
export type QuotaGrant = { readonly granted: true } | { readonly granted: false; readonly retryAfterMs: number; readonly circuitOpen: boolean };

/**
 * One token bucket per key, shared by every container (DynamoDB with conditional updates in AWS). It never waits:
 * without a token it says when the next one comes, and the caller's unit of work is re-queued with that delay.
 */
export interface QuotaLimiter {
  /** Takes a token if the bucket has one now; otherwise `retryAfterMs` (the circuit's reopening while it is open). */
  tryAcquire(key: QuotaKey, rate: QuotaRate): Promise<QuotaGrant>;
  /** Amazon's `x-amzn-RateLimit-Limit` for this key (requests per second): the bucket refills at that rate from now on. */
  observeRate(key: QuotaKey, ratePerSecond: number): Promise<void>;
  /** Outcome of a call after its retries: failures open the circuit, a success closes it. */
  recordOutcome(key: QuotaKey, ok: boolean): Promise<void>;
}

/** The operator's kill switch: while on, no price is pushed (read by the tick, the worker and the flush). */
export interface PushKillSwitch {
  pushesStopped(): Promise<boolean>;
}
