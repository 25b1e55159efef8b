/**
 * The local stack's Amazon account side: Seller Central's consent page, Login with Amazon, and faults to try.
 * - `GET /_local/amazon/consent?state&seller=<sellerId>` plays the seller consenting: `302` to our callback
 *   with Amazon's parameters (`state`, `selling_partner_id`, `spapi_oauth_code`).
 * - Login with Amazon accepts each code once (5 minutes) and answers with a refresh token.
 * - `POST /_local/amazon/revocations {"sellerId"}`: the seller revokes our app (the next use gets invalid_grant).
 * - `PUT /_local/amazon/faults {"sellerId", "refuseProfile": true}`: Amazon refuses that seller's profile calls.
 * - `GET /_local/amazon/subscriptions`: the notification subscriptions the Notifications API would hold (made by
 *   the authorisation callback: one per seller and type, to the repricer's notifications queue).
 * Refresh tokens are kept encrypted (AES-256-GCM) in the local DynamoDB, never in clear text, never logged.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { LoginWithAmazon, NotificationSubscriptions, RefreshTokenVault } from '#shared/amazon-access/ports.ts';
import type { MarketplaceCode } from '#shared/kernel/marketplaces.ts';
import { ValidationError } from '#shared/kernel/errors.ts';
import { AmazonAuthorisationRevokedError, UpstreamError } from '#shared/kernel/upstream.ts';
import type { RawSellerData } from '#shared/onboarding/profile.ts';
import type { SellerProfileSource } from '#shared/onboarding/ports.ts';
import type { LocalRouteHandler } from './http-api.ts';

const CODE_TTL_MS = 5 * 60_000;
const sellerIdSchema = z.string().regex(/^[A-Z0-9]{8,20}$/);

export class SimulatedSellerCentral implements LoginWithAmazon, NotificationSubscriptions {
  private readonly codes = new Map<string, { sellerId: string; expiresAtMs: number }>();
  /** Notification subscriptions per seller and type (what getSubscription would answer). */
  private readonly subscriptions = new Map<string, { sellerId: string; notificationType: string; subscriptionId: string; destination: string; createdAt: string }>();
  private readonly tokens = new Map<string, string>();
  private readonly revoked = new Set<string>();
  private readonly refusing = new Set<string>();

  constructor(
    private readonly now: () => Date,
    private readonly onConsent: (sellerId: string) => void,
  ) {}

  /** The seller clicked "Confirm" in Seller Central: a code for our callback. */
  consent(sellerId: string): string {
    const code = `ANsim${randomBytes(12).toString('hex')}`;
    this.codes.set(code, { sellerId, expiresAtMs: this.now().getTime() + CODE_TTL_MS });
    this.revoked.delete(sellerId);
    this.onConsent(sellerId);
    return code;
  }

  async exchangeAuthorizationCode(code: string): Promise<{ refreshToken: string }> {
    const grant = this.codes.get(code);
    this.codes.delete(code);
    if (!grant || grant.expiresAtMs <= this.now().getTime()) {
      throw new ValidationError('spapi_oauth_code: Login with Amazon refused the code (used or expired); start again', { field: 'spapi_oauth_code' }, 'authorization_code_refused');
    }
    const refreshToken = `Atzr|sim-${randomBytes(24).toString('base64url')}`;
    this.tokens.set(refreshToken, grant.sellerId);
    return { refreshToken };
  }

  /** createSubscription as the Notifications API does it: once per seller and type (a repeat finds it). */
  async subscribe(sellerId: string, notificationType: string): Promise<'created' | 'existing'> {
    this.check(sellerId, 'createSubscription');
    const key = `${sellerId}|${notificationType}`;
    if (this.subscriptions.has(key)) return 'existing';
    this.subscriptions.set(key, {
      sellerId,
      notificationType,
      subscriptionId: `sim-sub-${randomBytes(6).toString('hex')}`,
      destination: 'sellerops-repricer-notifications',
      createdAt: this.now().toISOString(),
    });
    return 'created';
  }

  /** The subscriptions held for the sellers, oldest first. */
  subscriptionList(): { sellerId: string; notificationType: string; subscriptionId: string; destination: string; createdAt: string }[] {
    return [...this.subscriptions.values()];
  }

  revoke(sellerId: string): void {
    this.revoked.add(sellerId);
  }

  refuseProfile(sellerId: string, refuse: boolean): void {
    if (refuse) this.refusing.add(sellerId);
    else this.refusing.delete(sellerId);
  }

  /** What SP-API would answer before any data: revoked → invalid_grant; refused → HTTP 400. */
  check(sellerId: string, operation: string, options: { profile?: boolean } = {}): void {
    if (this.revoked.has(sellerId)) throw new AmazonAuthorisationRevokedError(sellerId);
    if (options.profile && this.refusing.has(sellerId)) throw new UpstreamError('amazon', `${operation}: HTTP 400 {"errors":[{"code":"InvalidInput","message":"seller ${sellerId} is not registered in this region"}]}`, 'amazon_refused');
  }

  /** The simulated profiles behind the same checks (revocation is reported like the SP-API client does). */
  profiles(inner: SellerProfileSource, onRevoked: (sellerId: string) => Promise<void>): SellerProfileSource {
    return {
      fetch: async (sellerId: string, marketplaces: readonly MarketplaceCode[]): Promise<RawSellerData> => {
        await this.guard(sellerId, 'getMarketplaceParticipations', onRevoked, { profile: true });
        return inner.fetch(sellerId, marketplaces);
      },
    };
  }

  private async guard(sellerId: string, operation: string, onRevoked: (sellerId: string) => Promise<void>, options: { profile?: boolean } = {}): Promise<void> {
    try {
      this.check(sellerId, operation, options);
    } catch (error) {
      if (error instanceof AmazonAuthorisationRevokedError) await onRevoked(sellerId);
      throw error;
    }
  }

  /** Local-only routes of the simulated Seller Central. `callbackUrl` is our API's callback route. */
  routes(callbackUrl: () => string): Record<string, LocalRouteHandler> {
    return {
      'GET /_local/amazon/consent': async ({ query }) => {
        const state = query.get('state');
        const seller = sellerIdSchema.safeParse(query.get('seller') ?? '');
        if (!state) return { status: 400, body: { error: { code: 'validation_failed', message: 'query.state: required (open the consentUrl from POST /amazon/authorizations)' } } };
        if (!seller.success) {
          return { status: 400, body: { error: { code: 'validation_failed', message: 'query.seller: add &seller=<sellerId> to the consent URL: the seller who signs in to the simulated Seller Central' } } };
        }
        const code = this.consent(seller.data);
        const location = `${callbackUrl()}?${new URLSearchParams({ state, selling_partner_id: seller.data, spapi_oauth_code: code }).toString()}`;
        return { status: 302, body: '', headers: { location } };
      },
      'POST /_local/amazon/revocations': async ({ body }) => {
        const parsed = z.strictObject({ sellerId: sellerIdSchema }).safeParse(body ?? {});
        if (!parsed.success) return { status: 400, body: { error: { code: 'validation_failed', message: 'body.sellerId: an Amazon seller id' } } };
        this.revoke(parsed.data.sellerId);
        return { status: 200, body: { sellerId: parsed.data.sellerId, revoked: true } };
      },
      'GET /_local/amazon/subscriptions': async () => ({ status: 200, body: { subscriptions: this.subscriptionList() } }),
      'PUT /_local/amazon/faults': async ({ body }) => {
        const parsed = z.strictObject({ sellerId: sellerIdSchema, refuseProfile: z.boolean() }).safeParse(body ?? {});
        if (!parsed.success) return { status: 400, body: { error: { code: 'validation_failed', message: 'body: {"sellerId", "refuseProfile": true|false}' } } };
        this.refuseProfile(parsed.data.sellerId, parsed.data.refuseProfile);
        return { status: 200, body: parsed.data };
      },
    };
  }
}

/**
 * Refresh tokens in the local store, AES-256-GCM encrypted with a key of this stack (kept beside the data with
 * `--data`, like the token signing key): pk TENANT#<tenantId>, sk AMAZON_REFRESH_TOKEN.
 */
export class LocalEncryptedTokenVault implements RefreshTokenVault {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly key: Buffer,
  ) {}

  static async key(dataDir: string | undefined): Promise<Buffer> {
    const file = dataDir ? join(dataDir, 'local-token-vault.key') : undefined;
    if (file) {
      try {
        return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
      } catch {
        // first start with this data directory: make one
      }
    }
    const key = randomBytes(32);
    if (file) await writeFile(file, key.toString('base64'), { mode: 0o600 });
    return key;
  }

  async store(tenantId: string, secret: { sellerId: string; refreshToken: string }): Promise<void> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(secret), 'utf8'), cipher.final()]);
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: `TENANT#${tenantId}`, sk: 'AMAZON_REFRESH_TOKEN', entity: 'amazon-refresh-token', iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') },
      }),
    );
  }

  async read(tenantId: string): Promise<{ sellerId: string; refreshToken: string } | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: `TENANT#${tenantId}`, sk: 'AMAZON_REFRESH_TOKEN' }, ConsistentRead: true }));
    if (!Item) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(String(Item.iv), 'base64'));
    decipher.setAuthTag(Buffer.from(String(Item.tag), 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(String(Item.ciphertext), 'base64')), decipher.final()]).toString('utf8');
    return JSON.parse(plain) as { sellerId: string; refreshToken: string };
  }
}
