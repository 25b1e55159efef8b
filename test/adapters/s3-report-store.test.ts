import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ReportStore } from '#shared/adapters/s3/report-store.ts';
import { runAudit } from '#shared/lost-and-found/audit.ts';
import { startLocalMessaging, type LocalMessaging } from '../../local/messaging.ts';
import { LOCAL_REGION, useLocalAwsEnvironment } from '../../local/aws-env.ts';
import { COSTS, REIMBURSEMENT_HEADER, ledger } from '../lost-and-found/helpers.ts';

let messaging: LocalMessaging;
let client: S3Client;
let store: S3ReportStore;

beforeAll(async () => {
  messaging = await startLocalMessaging();
  useLocalAwsEnvironment({ dynamodb: 'http://127.0.0.1:1', sqs: messaging.sqsEndpoint, sns: messaging.endpoint, s3: messaging.endpoint });
  client = new S3Client({ region: LOCAL_REGION, forcePathStyle: true, endpoint: messaging.endpoint });
  store = new S3ReportStore(client, messaging.bucketNames.reports!);
});
afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  client?.destroy();
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  await messaging?.stop();
});

describe('S3 report store (fauxqs S3)', () => {
  it('hands the audit a ranged first look at plain files, the whole stream of every file, gzip unpacked', async () => {
    const lost = ledger([{ date: '2025-05-20', event: 'Adjustments', ref: 'R1', quantity: -2, reason: 'M' }]);
    const encoder = new TextEncoder();
    await store.put('t-s3', 'ledger.tsv', encoder.encode(lost));
    await store.put('t-s3', 'costs.tsv.gz', gzipSync(COSTS));
    await store.put('t-s3', 'empty.tsv', new Uint8Array(0));
    // Evidence that nothing was reimbursed: a lost-unit claim rests on it.
    await store.put('t-s3', 'reimbursements.tsv', encoder.encode(`${REIMBURSEMENT_HEADER}\n`));
    const sources = await store.sources('t-s3');
    expect(sources.map((s) => [s.name, typeof s.head])).toEqual([
      ['costs.tsv.gz', 'undefined'],
      ['empty.tsv', 'function'],
      ['ledger.tsv', 'function'],
      ['reimbursements.tsv', 'function'],
    ]);
    const ledgerSource = sources.find((s) => s.name === 'ledger.tsv')!;
    expect(new TextDecoder().decode(await ledgerSource.head!(12))).toBe(lost.slice(0, 12));
    expect(await sources.find((s) => s.name === 'empty.tsv')!.head!(12)).toEqual(new Uint8Array(0));

    const result = await runAudit(sources, { asOf: '2025-06-30' });
    // Valued from the gzipped cost sheet: it was unpacked and read.
    expect(result.claims.map((c) => [c.type, c.ref, c.amount, c.valueBasis])).toEqual([['lost_warehouse', 'R1', { minor: 2000, currency: 'EUR' }, 'seller_cost']]);
    expect(result.report.files.map((f) => [f.file, f.type, f.ignored])).toEqual([
      ['costs.tsv.gz', 'seller_costs', false],
      ['empty.tsv', 'unknown', true],
      ['ledger.tsv', 'inventory_ledger', false],
      ['reimbursements.tsv', 'reimbursements', false],
    ]);
  });

  it('stops a gzip that unpacks past the limit (a decompression bomb), naming the file', async () => {
    const small = new S3ReportStore(client, messaging.bucketNames.reports!, 1 << 20);
    await small.put('t-bomb', 'bomb.tsv.gz', gzipSync(Buffer.alloc(4 << 20, 0x0a)));
    const result = await runAudit(await small.sources('t-bomb'), { asOf: '2025-06-30' });
    expect(result.report.files[0]!.note).toMatch(/unpacks to more than 1048576 bytes/);
    expect(result.report.lines[0]!.file).toBe('bomb.tsv.gz');
  });
});
