/**
 * An audit too big for one pass is split by SKU into partitions audited one after another through scratch files
 * (`PARTITION_REPORT_BYTES`). Whatever the split, it must find exactly what one pass finds: the same claims,
 * withheld claims, reimbursements, file reports and skipped lines. Small sets are split here by a small
 * `partitionBytes`; the benchmark measures the memory this saves (`npm run bench -- lost-and-found`).
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalDiskSpillStorage } from '#shared/adapters/local-disk/spill-storage.ts';
import { runAudit, type AuditResult } from '#shared/lost-and-found/audit.ts';
import type { FoundClaim } from '#shared/lost-and-found/model.ts';
import { directorySources } from '../../cli/lost-and-found-sources.ts';

const resultOrder = (a: FoundClaim, b: FoundClaim): number => a.deadline.localeCompare(b.deadline) || a.type.localeCompare(b.type) || a.id.localeCompare(b.id);

const scratch = mkdtempSync(join(tmpdir(), 'lf-partitions-'));
afterAll(() => { rmSync(scratch, { recursive: true, force: true }); });

const INDEPENDENT = join(import.meta.dirname, '..', 'independent-fba', 'sets');

/** What an audit found, without the timings. */
function findings(result: AuditResult) {
  return {
    claims: result.claims,
    withheld: result.withheld,
    reimbursements: result.reimbursements,
    files: result.report.files.map(({ millis: _millis, ...file }) => file),
    lines: result.report.lines,
    damage: result.damageAdjustmentsByDay,
  };
}

async function bothWays(dir: string, asOf: string, partitions: number) {
  const sources = directorySources(dir);
  const bytes = sources.reduce((sum, s) => sum + (s.size ?? 0) * (s.name.endsWith('.gz') ? 8 : 1), 0);
  const onePass = await runAudit(sources, { asOf });
  const split = await runAudit(directorySources(dir), { asOf, spill: new LocalDiskSpillStorage(scratch), partitionBytes: Math.ceil((2 * bytes) / partitions) });
  return { onePass, split };
}

describe('an audit split into SKU partitions', () => {
  it('finds what one pass finds on the example reports (bad lines, Windows-1252, duplicates), and leaves no scratch file', async () => {
    const { onePass, split } = await bothWays('examples/fba-reports', '2025-06-30', 5);
    expect(onePass.stats.partitions).toBe(1);
    expect(split.stats.partitions).toBe(5);
    expect(split.stats.spilledBytes).toBeGreaterThan(0);
    expect(onePass.claims.length).toBeGreaterThan(10);
    expect(findings(split)).toEqual(findings(onePass));
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('finds what one pass finds on every independent report set', async () => {
    for (const set of readdirSync(INDEPENDENT).filter((name) => statSync(join(INDEPENDENT, name)).isDirectory())) {
      const { asOf } = (await import(join(INDEPENDENT, set, 'answer-key.json'), { with: { type: 'json' } })).default as { asOf: string };
      const { onePass, split } = await bothWays(join(INDEPENDENT, set), asOf, 3);
      expect(split.stats.partitions, set).toBe(3);
      expect(findings(split), set).toEqual(findings(onePass));
    }
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('hands each partition its claims through onClaims and keeps none: together they are what one pass returns', async () => {
    const sources = directorySources('examples/fba-reports');
    const bytes = sources.reduce((sum, s) => sum + (s.size ?? 0), 0);
    const onePass = await runAudit(sources, { asOf: '2025-06-30' });
    const batches: FoundClaim[][] = [];
    const streamed = await runAudit(directorySources('examples/fba-reports'), {
      asOf: '2025-06-30',
      spill: new LocalDiskSpillStorage(scratch),
      partitionBytes: Math.ceil((2 * bytes) / 5),
      onClaims: (claims) => { batches.push([...claims]); },
    });
    expect(streamed.claims).toEqual([]);
    expect(batches.length).toBeGreaterThan(1);
    // Each batch comes sorted as the result is; all of them together, re-sorted, are exactly one pass's claims.
    for (const batch of batches) expect(batch).toEqual([...batch].sort(resultOrder));
    expect(batches.flat().sort(resultOrder)).toEqual(onePass.claims);
    // Without partitions the sink gets the one pass's claims in one batch.
    const whole: FoundClaim[][] = [];
    await runAudit(directorySources('examples/fba-reports'), { asOf: '2025-06-30', onClaims: (claims) => { whole.push([...claims]); } });
    expect(whole).toEqual([onePass.claims]);
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('reads everything in one pass without spill storage, whatever the size', async () => {
    const result = await runAudit(directorySources('examples/fba-reports'), { asOf: '2025-06-30', partitionBytes: 1 });
    expect(result.stats).toMatchObject({ partitions: 1, spilledBytes: 0 });
  });
});
