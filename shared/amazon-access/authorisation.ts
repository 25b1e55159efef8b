/**
 * The SP-API website authorisation workflow, and the one place that says which seller a tenant may act for.
 *
 * 1. `startAuthorisation`: a signed, single-use `state` (tenant, expiry in 10 minutes) and the consent URL of
 *    the Seller Central of the customer's first marketplace.
 * 2. `completeAuthorisation` (Amazon's redirect): the state is checked and consumed, the code is exchanged with
 *    Login with Amazon, the seller is bound to the tenant (one conditional write: never to two tenants), the
 *    refresh token is stored encrypted under the tenant, and the connection becomes `authorised`.
 * 3. Everything that uses Amazon asks `requireAuthorisedSeller(tenant)`: the seller comes from the binding,
 *    never from a form. `markRevoked` ends it when Login with Amazon refuses the token.
 */
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '#shared/kernel/errors.ts';
import type { MarketplaceCode } from '#shared/kernel/marketplaces.ts';
import type {
  AmazonApplication,
  AmazonConnection,
  AmazonConnectionEvents,
  AmazonConnectionStore,
  AuthorisationFollowUp,
  LoginWithAmazon,
  NotificationSubscriptions,
  RefreshTokenVault,
  RevocationAlerts,
  StateSigner,
} from './ports.ts';
import { regionOfMarketplace, type AmazonRegion } from './regions.ts';

export const STATE_TTL_MS = 10 * 60_000;

/** Where the Amazon data behind a view came from: every view computed from the simulator says so. */
export type AmazonSource = 'amazon' | 'simulated';

export interface AuthorisationDeps {
  readonly connections: AmazonConnectionStore;
  readonly signer: StateSigner;
  /** Loaded with the app's secret (application id, draft flag). */
  readonly application: () => Promise<AmazonApplication>;
  readonly now: () => Date;
  /** 16+ random bytes, URL-safe (crypto in the adapter). */
  readonly nonce: () => string;
}

export interface CompletionDeps extends AuthorisationDeps {
  readonly lwa: LoginWithAmazon;
  readonly vault: RefreshTokenVault;
  readonly events: AmazonConnectionEvents;
  readonly subscriptions: NotificationSubscriptions;
  /** The report back-fill, queued at once (none when the deployment fetches no reports from Amazon). */
  readonly followUp?: AuthorisationFollowUp;
  readonly onEventFailure?: (error: unknown) => void;
}

/**
 * What Amazon sends to our notifications queue for every authorised seller: the repricer's offer changes, and
 * REPORT_PROCESSING_FINISHED, which moves a report fetch chain on as soon as Amazon has made the report (the
 * delayed look stays as the safety net). FEED_PROCESSING_FINISHED is not among them: the push flush reads each
 * feed's processing report with getFeed every minute, and a message nothing reads would only fill the queue.
 */
export const SUBSCRIBED_NOTIFICATION_TYPES = ['ANY_OFFER_CHANGED', 'B2B_ANY_OFFER_CHANGED', 'REPORT_PROCESSING_FINISHED'] as const;

/** The payload version each type is subscribed with (Amazon's "Notification type values" table). */
export const NOTIFICATION_PAYLOAD_VERSIONS: Readonly<Record<(typeof SUBSCRIBED_NOTIFICATION_TYPES)[number], string>> = {
  ANY_OFFER_CHANGED: '1.0',
  B2B_ANY_OFFER_CHANGED: '1.0',
  REPORT_PROCESSING_FINISHED: '2020-09-04',
};

/** Subscribes the seller to every type (idempotent, so a repeated authorisation changes nothing). */
export async function subscribeSellerNotifications(subscriptions: NotificationSubscriptions, sellerId: string): Promise<Record<string, 'created' | 'existing'>> {
  const outcome: Record<string, 'created' | 'existing'> = {};
  for (const type of SUBSCRIBED_NOTIFICATION_TYPES) outcome[type] = await subscriptions.subscribe(sellerId, type);
  return outcome;
}

interface StatePayload {
  readonly n: string;
  readonly t: string;
  readonly e: number;
}

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** Step 1: the consent URL and its state. The customer must have signed up (their marketplaces pick the region). */
export async function startAuthorisation(
  deps: AuthorisationDeps,
  customer: { tenantId: string; marketplaces: readonly MarketplaceCode[] },
): Promise<{ consentUrl: string; state: string; region: AmazonRegion; expiresAt: string }> {
  const marketplace = customer.marketplaces[0];
  if (!marketplace) throw new ValidationError('the customer has no marketplace to authorise in');
  const region = regionOfMarketplace(marketplace);
  const now = deps.now();
  const payload: StatePayload = { n: deps.nonce(), t: customer.tenantId, e: now.getTime() + STATE_TTL_MS };
  const encoded = base64url(JSON.stringify(payload));
  const state = `${encoded}.${await deps.signer.sign(encoded)}`;
  await deps.connections.savePendingAuthorisation({ nonce: payload.n, tenantId: payload.t, region, marketplace, expiresAtMs: payload.e });
  const existing = await deps.connections.getConnection(customer.tenantId);
  if (!existing || existing.status !== 'authorised') {
    await deps.connections.putConnection({
      tenantId: customer.tenantId,
      status: 'pending',
      region,
      marketplace,
      sellerId: existing?.sellerId ?? null,
      authorisedAt: existing?.authorisedAt ?? null,
      revokedAt: existing?.revokedAt ?? null,
      revokedReason: existing?.revokedReason ?? null,
      updatedAt: now.toISOString(),
    });
  }
  const application = await deps.application();
  const query = new URLSearchParams({ application_id: application.applicationId, state });
  if (application.draft) query.set('version', 'beta');
  return { consentUrl: `${application.consentPage(marketplace)}?${query.toString()}`, state, region, expiresAt: new Date(payload.e).toISOString() };
}

const invalidState = (why: string) => new ValidationError(`state: ${why}; start again with POST /amazon/authorizations`, { field: 'state' }, 'state_invalid');

/** Step 2: Amazon's redirect with `state`, `selling_partner_id` and `spapi_oauth_code`. */
export async function completeAuthorisation(
  deps: CompletionDeps,
  callback: { state: string; sellingPartnerId: string; code: string },
): Promise<AmazonConnection> {
  const [encoded, signature, extra] = callback.state.split('.');
  if (!encoded || !signature || extra !== undefined || !(await deps.signer.verify(encoded, signature))) throw invalidState('not a state we issued');
  let payload: StatePayload;
  try {
    payload = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as StatePayload;
  } catch {
    throw invalidState('not a state we issued');
  }
  const now = deps.now();
  if (payload.e <= now.getTime()) throw new ValidationError('state: expired (a consent is valid for 10 minutes); start again with POST /amazon/authorizations', { field: 'state' }, 'state_expired');
  const pending = await deps.connections.takePendingAuthorisation(payload.n);
  if (!pending || pending.tenantId !== payload.t) throw invalidState('already used');

  const sellerId = callback.sellingPartnerId;
  const owner = await deps.connections.tenantOfSeller(sellerId);
  if (owner && owner.tenantId !== pending.tenantId) throw sellerBoundElsewhere(sellerId);
  const current = await deps.connections.getConnection(pending.tenantId);
  if (current?.status === 'authorised' && current.sellerId && current.sellerId !== sellerId) {
    throw new ConflictError(`this account is connected to seller ${current.sellerId}; it cannot also act for ${sellerId}`, 'another_seller_connected');
  }

  const { refreshToken } = await deps.lwa.exchangeAuthorizationCode(callback.code, pending.region);
  const binding = await deps.connections.bindSeller(sellerId, pending.tenantId, pending.region);
  if (!binding.bound) throw sellerBoundElsewhere(sellerId); // lost a race: the token is dropped, never stored
  await deps.vault.store(pending.tenantId, { sellerId, refreshToken });
  const connection: AmazonConnection = {
    tenantId: pending.tenantId,
    status: 'authorised',
    region: pending.region,
    marketplace: pending.marketplace,
    sellerId,
    authorisedAt: now.toISOString(),
    revokedAt: null,
    revokedReason: null,
    updatedAt: now.toISOString(),
  };
  await deps.connections.putConnection(connection);
  try {
    await deps.events.connected({ tenantId: pending.tenantId, sellerId, region: pending.region, occurredAt: now.toISOString() });
  } catch (error) {
    deps.onEventFailure?.(error);
  }
  try {
    // The seller is connected even if Amazon refuses this now: authorising again subscribes again (idempotent).
    await subscribeSellerNotifications(deps.subscriptions, sellerId);
  } catch (error) {
    deps.onEventFailure?.(error);
  }
  try {
    // Not at the next daily run: the back-fill starts now. Should this fail, the daily run starts it anyway.
    await deps.followUp?.sellerAuthorised({ tenantId: pending.tenantId, sellerId });
  } catch (error) {
    deps.onEventFailure?.(error);
  }
  return connection;
}

function sellerBoundElsewhere(sellerId: string): ConflictError {
  return new ConflictError(`seller ${sellerId} is connected to another account`, 'seller_bound_elsewhere');
}

export interface ConnectionView {
  readonly sellerId: string | null;
  readonly status: AmazonConnection['status'];
  readonly region: AmazonRegion;
  readonly authorisedAt: string | null;
  readonly revokedAt: string | null;
  readonly revokedReason: string | null;
  readonly source: AmazonSource;
}

export async function connectionView(deps: { connections: AmazonConnectionStore; source: AmazonSource }, tenantId: string): Promise<ConnectionView> {
  const c = await deps.connections.getConnection(tenantId);
  if (!c) throw new NotFoundError('Amazon connection (start one with POST /amazon/authorizations)');
  return { sellerId: c.sellerId, status: c.status, region: c.region, authorisedAt: c.authorisedAt, revokedAt: c.revokedAt, revokedReason: c.revokedReason, source: deps.source };
}

export interface AuthorisedSeller {
  readonly sellerId: string;
  readonly region: AmazonRegion;
}

export class AmazonNotConnectedError extends ForbiddenError {
  constructor(
    readonly tenantId: string,
    readonly status: AmazonConnection['status'] | 'none',
  ) {
    super(
      status === 'revoked'
        ? 'the seller revoked our access on Amazon: authorise again with POST /amazon/authorizations'
        : 'this account is not connected to Amazon yet: authorise with POST /amazon/authorizations',
    );
  }
}

/** The seller a tenant may act for: from the binding Amazon confirmed, never from the caller. */
export async function requireAuthorisedSeller(connections: AmazonConnectionStore, tenantId: string): Promise<AuthorisedSeller> {
  const c = await connections.getConnection(tenantId);
  if (!c || c.status !== 'authorised' || !c.sellerId) throw new AmazonNotConnectedError(tenantId, c?.status ?? 'none');
  return { sellerId: c.sellerId, region: c.region };
}

/** A request naming a seller (a rules upload) must name the tenant's authorised seller: 403 otherwise. */
export async function assertActsForSeller(connections: AmazonConnectionStore, tenantId: string, sellerId: string): Promise<AuthorisedSeller> {
  const seller = await requireAuthorisedSeller(connections, tenantId);
  if (seller.sellerId !== sellerId) throw new ForbiddenError(`seller ${sellerId} is not the seller this account authorised on Amazon (${seller.sellerId})`);
  return seller;
}

/**
 * Login with Amazon refused the seller's refresh token: the connection is `revoked`, work for the seller stops
 * (requireAuthorisedSeller refuses), and the CSM gets a task and a push. Idempotent: a second report of the
 * same revocation changes nothing.
 */
export async function markRevoked(
  deps: { connections: AmazonConnectionStore; alerts: RevocationAlerts; now: () => Date },
  sellerId: string,
  reason: string,
): Promise<'revoked' | 'already' | 'unknown-seller'> {
  const owner = await deps.connections.tenantOfSeller(sellerId);
  if (!owner) return 'unknown-seller';
  const c = await deps.connections.getConnection(owner.tenantId);
  if (!c || c.sellerId !== sellerId) return 'unknown-seller';
  if (c.status === 'revoked') return 'already';
  const at = deps.now().toISOString();
  await deps.connections.putConnection({ ...c, status: 'revoked', revokedAt: at, revokedReason: reason, updatedAt: at });
  await deps.alerts.revoked({ tenantId: owner.tenantId, sellerId, reason, revokedAt: at, authorisedAt: c.authorisedAt });
  return 'revoked';
}
