/** HMAC-SHA256 signatures of authorisation states, compared in constant time. The key never leaves the loader. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { StateSigner } from '#shared/amazon-access/ports.ts';

export class HmacStateSigner implements StateSigner {
  constructor(private readonly key: () => Promise<string>) {}

  async sign(payload: string): Promise<string> {
    return createHmac('sha256', await this.key()).update(payload).digest('base64url');
  }

  async verify(payload: string, signature: string): Promise<boolean> {
    const expected = Buffer.from(await this.sign(payload));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
