/**
 * Where SP-API credentials live (never in code, never in logs):
 * - the application: SSM SecureString `/sellerops/sp-api/app` (the stage's path: ssm/parameters.ts) =
 *   `{"applicationId","clientId","clientSecret","stateSecret","draft"?}` (the LWA client rotates every 180 days:
 *   put the new secret there; containers re-read it within 5 minutes);
 * - each seller's refresh token: in the tenant's vault entry (RefreshTokenVault), found through the seller's
 *   binding to its tenant, with the region the seller authorised us in.
 */
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { AmazonConnectionStore, RefreshTokenVault } from '#shared/amazon-access/ports.ts';
import { UpstreamError } from '#shared/kernel/upstream.ts';
import type { SellerCredentials } from './client.ts';

export interface AmazonAppSecret {
  readonly applicationId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** HMAC key of authorisation states (32+ random bytes, base64). */
  readonly stateSecret: string;
  readonly draft: boolean;
}

/** Reads the app secret at `path`, cached for 5 minutes so a rotated LWA client secret is picked up without a deploy. */
export function appSecretFromSsm(ssm: SSMClient, path: string, now: () => number = Date.now): () => Promise<AmazonAppSecret> {
  let cached: { value: AmazonAppSecret; until: number } | undefined;
  return async () => {
    if (cached && cached.until > now()) return cached.value;
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: path, WithDecryption: true }));
    if (!Parameter?.Value) throw new UpstreamError('aws', `SSM parameter ${path} is empty`);
    const raw = JSON.parse(Parameter.Value) as Partial<AmazonAppSecret>;
    if (!raw.applicationId || !raw.clientId || !raw.clientSecret || !raw.stateSecret) {
      throw new UpstreamError('aws', `SSM parameter ${path} needs applicationId, clientId, clientSecret and stateSecret`);
    }
    const value: AmazonAppSecret = { applicationId: raw.applicationId, clientId: raw.clientId, clientSecret: raw.clientSecret, stateSecret: raw.stateSecret, draft: raw.draft === true };
    cached = { value, until: now() + 5 * 60_000 };
    return value;
  };
}

/** A seller's credentials: the app's LWA client plus the refresh token and region of the tenant bound to the seller. */
export function sellerCredentials(deps: {
  readonly connections: AmazonConnectionStore;
  readonly vault: RefreshTokenVault;
  readonly app: () => Promise<Pick<AmazonAppSecret, 'clientId' | 'clientSecret'>>;
}): (sellerId: string) => Promise<SellerCredentials> {
  return async (sellerId) => {
    const binding = await deps.connections.tenantOfSeller(sellerId);
    if (!binding) throw new UpstreamError('amazon', `seller ${sellerId} has not authorised our app`, 'amazon_not_connected');
    const secret = await deps.vault.read(binding.tenantId);
    if (!secret || secret.sellerId !== sellerId) throw new UpstreamError('amazon', `no refresh token for seller ${sellerId}`, 'amazon_not_connected');
    const app = await deps.app();
    return { clientId: app.clientId, clientSecret: app.clientSecret, refreshToken: secret.refreshToken, region: binding.region };
  };
}
