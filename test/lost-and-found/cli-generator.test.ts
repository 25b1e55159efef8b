import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAudit } from '#shared/lost-and-found/audit.ts';
import { directorySources } from '../../cli/lost-and-found-sources.ts';
import { generateFbaReports, type AnswerKey } from '../../cli/lost-and-found-generator.ts';
import { scoreClaims } from '../../cli/lost-and-found-answer-key.ts';
import type { ClaimJson } from '#shared/lost-and-found/model.ts';

const sellerops = (args: string[]) => spawnSync(process.execPath, ['bin/sellerops.js', ...args], { encoding: 'utf8', cwd: join(import.meta.dirname, '..', '..') });

describe('sellerops audit (CLI)', () => {
  it('finds every seeded claim in examples/fba-reports and writes claims.json in the contract format', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lf-cli-'));
    try {
      const out = join(dir, 'claims.json');
      const run = sellerops(['audit', '--reports', 'examples/fba-reports', '--as-of', '2025-06-30', '--out', out, '--no-progress']);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toContain('lost_warehouse');
      expect(run.stdout).toContain('all-orders-report.txt: SKIPPED');
      expect(run.stdout).toContain('reimbursements.tsv: reimbursements, 11 rows (windows-1252)');
      expect(run.stdout).toMatch(/customer-returns\.tsv:\d+: return-date "31\.02\.2025" is not a date/);
      const json = JSON.parse(readFileSync(out, 'utf8')) as { claims: ClaimJson[] };
      expect(Object.keys(json.claims[0]!)).toEqual(['type', 'msku', 'fnsku', 'asin', 'quantity', 'ref', 'amount', 'valueBasis', 'valueUnknown', 'confidence', 'deadline', 'evidence']);
      for (const claim of json.claims) expect(claim.amount.minor > 0 || claim.valueUnknown, `${claim.type} ${claim.ref}`).toBe(true);
      const key = JSON.parse(readFileSync('examples/fba-reports/answer-key/answer-key.json', 'utf8')) as AnswerKey;
      const score = scoreClaims(json.claims, key);
      expect(score).toMatchObject({ recall: 1, precision: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('makes no removal_lost claim without the removal shipment detail report, and names the report in its summary', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lf-no-shipments-'));
    try {
      for (const name of readdirSync('examples/fba-reports')) {
        if (name !== 'removal-shipment-detail.tsv' && name !== 'answer-key') copyFileSync(join('examples/fba-reports', name), join(dir, name));
      }
      const out = join(dir, 'claims.json');
      const run = sellerops(['audit', '--reports', dir, '--as-of', '2025-06-30', '--out', out, '--no-progress']);
      expect(run.status, run.stderr).toBe(0);
      const json = JSON.parse(readFileSync(out, 'utf8')) as { claims: ClaimJson[] };
      expect(json.claims.filter((c) => c.type === 'removal_lost')).toEqual([]);
      expect(json.claims.length).toBeGreaterThan(5);
      expect(run.stdout).toMatch(/upload the removal shipment detail report for [0-9-]+( – [0-9-]+)? to check \d+ removal orders/);
      for (const claim of json.claims) expect(claim.amount.minor > 0 || claim.valueUnknown, `${claim.type} ${claim.ref}`).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits non-zero with a clear message when the directory is missing or holds no report', () => {
    const missing = sellerops(['audit', '--reports', 'no/such/dir', '--as-of', '2025-06-30', '--no-progress']);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('reports directory "no/such/dir" not found');
    const empty = mkdtempSync(join(tmpdir(), 'lf-empty-'));
    try {
      const run = sellerops(['audit', '--reports', empty, '--as-of', '2025-06-30', '--no-progress']);
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain('no report files');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('generated reports (round trip)', () => {
  // The same round trip over 1,041,096 ledger rows, with its speed and memory: `npm run bench -- lost-and-found`.
  it('finds ≥ 99 % of 1,000 rows’ seeded claims with no false claim, and none of the decoys', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lf-gen-'));
    try {
      const { answerKey } = generateFbaReports({ rows: 1_000, outDir: dir, seed: 11 });
      const result = await runAudit(directorySources(dir), { asOf: answerKey.asOf });
      const score = scoreClaims(result.claims, answerKey);
      expect(score.expected).toBeGreaterThanOrEqual(15);
      expect(answerKey.decoys.length).toBeGreaterThanOrEqual(20);
      // every type the generator seeds (refunds above the charge and replacements: the independent sets)
      expect(new Set(answerKey.expected.map((e) => e.type)).size).toBe(10);
      expect(score.recall).toBeGreaterThanOrEqual(0.99);
      expect(score.precision).toBe(1);
      const decoyRefs = new Set(answerKey.decoys.map((d) => `${d.msku}|${d.ref}`));
      expect(result.claims.filter((c) => decoyRefs.has(`${c.msku}|${c.ref}`))).toEqual([]);
      expect(result.report.files.some((f) => f.type === 'inventory_ledger' && f.duplicates > 0)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
