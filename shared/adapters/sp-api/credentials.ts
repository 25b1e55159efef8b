/**
 * Where SP-API credentials live: SSM SecureString parameters /sellerops/sp-api/app ({"clientId","clientSecret"})
 * and /sellerops/sp-api/sellers/<sellerId> (the refresh token the seller granted our app). Never in code or logs.
 */
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { LwaCredentials } from './client.ts';

export const SP_API_ENDPOINTS: Record<string, string> = {
  eu: 'https://sellingpartnerapi-eu.amazon.com',
  na: 'https://sellingpartnerapi-na.amazon.com',
  fe: 'https://sellingpartnerapi-fe.amazon.com',
};

let ssm: SSMClient | undefined;

export async function credentialsFromSsm(sellerId: string): Promise<LwaCredentials> {
  ssm ??= new SSMClient({});
  const get = async (name: string): Promise<string> => {
    const { Parameter } = await ssm!.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    if (!Parameter?.Value) throw new Error(`SSM parameter ${name} is empty`);
    return Parameter.Value;
  };
  const app = JSON.parse(await get('/sellerops/sp-api/app')) as { clientId: string; clientSecret: string };
  return { clientId: app.clientId, clientSecret: app.clientSecret, refreshToken: await get(`/sellerops/sp-api/sellers/${sellerId}`) };
}

/** The endpoint of an SP-API region (the deployment's SP_API_REGION: eu, na or fe; default eu). */
export function spApiEndpoint(region = 'eu'): string {
  return SP_API_ENDPOINTS[region] ?? SP_API_ENDPOINTS.eu!;
}
