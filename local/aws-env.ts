/** The region and the fake account the local stack pretends to be (the SDK needs some credentials to sign with). */
import { randomBytes } from 'node:crypto';

export const LOCAL_REGION = 'eu-central-1';
export const LOCAL_ACCOUNT = '000000000000';

export interface LocalEndpoints {
  readonly dynamodb: string;
  readonly sqs: string;
  readonly sns: string;
  readonly s3?: string;
}

export function useLocalAwsEnvironment(endpoints: LocalEndpoints): void {
  process.env.AWS_REGION = LOCAL_REGION;
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  // A secret nobody else knows: the local S3/SQS/SNS check every request's signature (pre-signed upload URLs
  // included) against it, so a URL cannot be forged for another tenant's reports.
  process.env.AWS_SECRET_ACCESS_KEY ??= localSecret;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoints.dynamodb;
  process.env.AWS_ENDPOINT_URL_SQS = endpoints.sqs;
  process.env.AWS_ENDPOINT_URL_SNS = endpoints.sns;
  if (endpoints.s3) process.env.AWS_ENDPOINT_URL_S3 = endpoints.s3;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
}

const localSecret = randomBytes(24).toString('base64url');

/** The credentials the local emulators accept (those of `useLocalAwsEnvironment`). */
export function localCredentials(): { accessKeyId: string; secretAccessKey: string } {
  return { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'local', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? localSecret };
}
