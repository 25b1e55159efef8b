import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NotFound,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import type { ReportSource } from '#shared/lost-and-found/audit.ts';
import type { ReportStore } from '#shared/lost-and-found/ports.ts';

/**
 * The most a gzip report may unpack to. Amazon's largest daily report (the ledger of a big seller) is a few
 * hundred megabytes; a small upload that unpacks past this is a decompression bomb, and its audit stops here
 * with the file named instead of reading for minutes.
 */
export const MAX_UNPACKED_REPORT_BYTES = 1 << 30;

/**
 * A streamed document is written in parts of this size (S3's multipart minimum is 5 MiB): at most one part is
 * held in memory, whatever the document's size; a document smaller than one part is one PutObject.
 */
export const STREAM_PART_BYTES = 8 << 20;

/** FBA report files per tenant in S3 (tenants/<tenantId>/reports/<file>), streamed into the audit; .gz unpacked. */
export class S3ReportStore implements ReportStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly maxUnpackedBytes = MAX_UNPACKED_REPORT_BYTES,
  ) {}

  private prefix(customerId: string): string {
    return `tenants/${customerId}/reports/`;
  }

  async uploadUrl(customerId: string, fileName: string, expiresInSeconds: number): Promise<{ url: string; key: string }> {
    const key = `${this.prefix(customerId)}${fileName}`;
    const url = await getSignedUrl(this.client, new PutObjectCommand({ Bucket: this.bucket, Key: key }), { expiresIn: expiresInSeconds });
    return { url, key };
  }

  async put(customerId: string, fileName: string, bytes: Uint8Array): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: `${this.prefix(customerId)}${fileName}`, Body: bytes }));
  }

  async delete(customerId: string, fileName: string): Promise<boolean> {
    const key = `${this.prefix(customerId)}${fileName}`;
    // DeleteObject succeeds for a missing key too; the customer is told when there was nothing of that name.
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      if (error instanceof NotFound) return false;
      throw error;
    }
    // The bucket is versioned: this leaves a delete marker (the object is no longer listed, so no audit reads it);
    // the old version expires with the bucket's noncurrent-version rule (30 days).
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    return true;
  }

  async putStream(customerId: string, fileName: string, body: AsyncIterable<Uint8Array>): Promise<void> {
    const key = `${this.prefix(customerId)}${fileName}`;
    let uploadId: string | undefined;
    const parts: { ETag: string; PartNumber: number }[] = [];
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (uploadId === undefined) {
        const created = await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key }));
        if (!created.UploadId) throw new Error(`S3 gave no upload id for ${key}`);
        uploadId = created.UploadId;
      }
      const PartNumber = parts.length + 1;
      const part = await this.client.send(new UploadPartCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, PartNumber, Body: Buffer.concat(pending, pendingBytes) }));
      parts.push({ ETag: part.ETag ?? '', PartNumber });
      pending = [];
      pendingBytes = 0;
    };
    try {
      for await (const chunk of body) {
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes >= STREAM_PART_BYTES) await flush();
      }
      if (uploadId === undefined) {
        await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: Buffer.concat(pending, pendingBytes) }));
        return;
      }
      if (pendingBytes > 0) await flush();
      await this.client.send(new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts } }));
    } catch (error) {
      // A half-written document must not linger as billed parts (the bucket's lifecycle also aborts old uploads).
      if (uploadId !== undefined) await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId })).catch(() => undefined);
      throw error;
    }
  }

  async sources(customerId: string): Promise<ReportSource[]> {
    const objects: { key: string; size: number }[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix(customerId), ContinuationToken: token }));
      for (const o of page.Contents ?? []) if (o.Key && !o.Key.endsWith('/')) objects.push({ key: o.Key, size: o.Size ?? 0 });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return objects
      .sort((a, b) => a.key.localeCompare(b.key))
      .map(({ key, size }) => ({
        name: key.slice(this.prefix(customerId).length),
        size,
        open: () => this.stream(key),
        // The header look is one ranged GET; a gzip document has no header row before it is unpacked.
        ...(key.endsWith('.gz') ? {} : { head: (maxBytes: number) => this.firstBytes(key, size, maxBytes) }),
      }));
  }

  private async firstBytes(key: string, size: number, maxBytes: number): Promise<Uint8Array> {
    if (size === 0 || maxBytes <= 0) return new Uint8Array(0); // S3 answers a range on an empty object with 416
    const { Body } = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=0-${maxBytes - 1}` }));
    return Body ? await Body.transformToByteArray() : new Uint8Array(0);
  }

  private async *stream(key: string): AsyncGenerator<Uint8Array> {
    const { Body } = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!Body) return;
    const body = Body as Readable;
    // SP-API report documents arrive gzip-compressed; Seller Central downloads do not.
    if (!key.endsWith('.gz')) {
      for await (const chunk of body as AsyncIterable<Uint8Array>) yield chunk;
      return;
    }
    const gunzip = body.pipe(createGunzip());
    let unpacked = 0;
    try {
      for await (const chunk of gunzip as AsyncIterable<Uint8Array>) {
        unpacked += chunk.length;
        if (unpacked > this.maxUnpackedBytes) throw new Error(`unpacks to more than ${this.maxUnpackedBytes} bytes (decompression bomb?)`);
        yield chunk;
      }
    } finally {
      gunzip.destroy();
      body.destroy();
    }
  }
}
