/**
 * Refresh tokens in AWS: one SSM SecureString per tenant, `/sellerops/amazon/tenants/<tenantId>` (under the stage's
 * root: ssm/parameters.ts), encrypted with
 * the deployment's data key (KMS). The value is `{"sellerId","refreshToken"}`; it never appears in a log or a
 * response, and only the functions that call Amazon may read it.
 */
import { GetParameterCommand, PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { RefreshTokenVault } from '#shared/amazon-access/ports.ts';

export class SsmRefreshTokenVault implements RefreshTokenVault {
  constructor(
    private readonly ssm: SSMClient,
    /** The stage's per-tenant prefix (parameterPath(root, 'tenantTokens')). */
    private readonly prefix: string,
    /** The data key's ARN (only the writer has it): SecureStrings are encrypted with it, not the account's default key. */
    private readonly keyId: () => string,
  ) {}

  async store(tenantId: string, secret: { sellerId: string; refreshToken: string }): Promise<void> {
    await this.ssm.send(
      new PutParameterCommand({
        Name: `${this.prefix}${tenantId}`,
        Type: 'SecureString',
        KeyId: this.keyId(),
        Overwrite: true,
        Value: JSON.stringify(secret),
        Description: 'SP-API refresh token of this tenant (written by the authorisation callback)',
      }),
    );
  }

  async read(tenantId: string): Promise<{ sellerId: string; refreshToken: string } | undefined> {
    try {
      const { Parameter } = await this.ssm.send(new GetParameterCommand({ Name: `${this.prefix}${tenantId}`, WithDecryption: true }));
      return Parameter?.Value ? (JSON.parse(Parameter.Value) as { sellerId: string; refreshToken: string }) : undefined;
    } catch (error) {
      if ((error as { name?: string }).name === 'ParameterNotFound') return undefined;
      throw error;
    }
  }
}
