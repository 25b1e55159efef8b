/**
 * Checks AWS Signature Version 4 on requests to the local emulators, as AWS does: a request signed in the
 * `Authorization` header (the SDK clients of the stack) or a pre-signed URL (the upload URLs handed to
 * customers), with the stack's own credentials. A pre-signed URL is good for its method and object only (the
 * signature covers both) and until it expires; anything unsigned or signed with another key is refused.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface SignedRequest {
  readonly method: string;
  /** Path and query as received (still percent-encoded). */
  readonly url: string;
  /** Lower-case header names (as Node hands them). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** SHA-256 of the body, hex; unused for pre-signed URLs and requests that carry `x-amz-content-sha256`. */
  readonly bodySha256: string;
}

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

const ALGORITHM = 'AWS4-HMAC-SHA256';

export function checkSignature(request: SignedRequest, credentials: Credentials, now: Date): SignatureCheck {
  const queryStart = request.url.indexOf('?');
  const path = queryStart < 0 ? request.url : request.url.slice(0, queryStart);
  const query = new URLSearchParams(queryStart < 0 ? '' : request.url.slice(queryStart + 1));
  const presigned = query.get('X-Amz-Signature');
  let credential: string;
  let signedHeaders: string;
  let signature: string;
  let amzDate: string;
  let payloadHash: string;
  if (presigned !== null) {
    if (query.get('X-Amz-Algorithm') !== ALGORITHM) return { ok: false, reason: 'unsupported signing algorithm' };
    credential = query.get('X-Amz-Credential') ?? '';
    signedHeaders = query.get('X-Amz-SignedHeaders') ?? '';
    amzDate = query.get('X-Amz-Date') ?? '';
    signature = presigned;
    payloadHash = 'UNSIGNED-PAYLOAD';
    const expires = Number(query.get('X-Amz-Expires'));
    const signedAt = parseAmzDate(amzDate);
    if (!Number.isInteger(expires) || expires < 1 || expires > 604_800 || signedAt === undefined) return { ok: false, reason: 'malformed pre-signed URL' };
    if (now.getTime() > signedAt + expires * 1000) return { ok: false, reason: 'pre-signed URL expired' };
  } else {
    const authorization = header(request, 'authorization');
    const match = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(authorization);
    if (!match) return { ok: false, reason: 'request is not signed' };
    [, credential, signedHeaders, signature] = match as unknown as [string, string, string, string];
    amzDate = header(request, 'x-amz-date');
    payloadHash = header(request, 'x-amz-content-sha256') || request.bodySha256;
  }
  const [accessKeyId, day, region, service, terminal] = credential.split('/');
  if (accessKeyId !== credentials.accessKeyId || terminal !== 'aws4_request' || !day || !region || !service) {
    return { ok: false, reason: 'unknown credentials' };
  }
  if (!amzDate.startsWith(day)) return { ok: false, reason: 'credential date does not match the signing date' };

  const canonicalQuery = [...query.entries()]
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => [encode(name), encode(value)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const headerNames = signedHeaders.split(';');
  if (!headerNames.includes('host')) return { ok: false, reason: 'host is not signed' };
  const canonicalHeaders = headerNames.map((name) => `${name}:${header(request, name).trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonicalRequest = [request.method, path || '/', canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, scope, sha256(canonicalRequest)].join('\n');
  let key = hmac(`AWS4${credentials.secretAccessKey}`, day);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  const expected = createHmac('sha256', key).update(stringToSign).digest();
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature does not match' };
  return { ok: true };
}

function header(request: SignedRequest, name: string): string {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

/** RFC 3986 encoding, as SigV4 canonicalises query names and values. */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function parseAmzDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}
