import { readFile, readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runRepriceReplay } from '../../cli/commands/reprice.ts';
import type { ReplayIo } from '../../cli/commands/reprice.ts';
import { REPLAY_RULES_INPUT, REPLAY_STOCK_INPUT, generateReplayMarket } from '#shared/marketplace-sim/replay-market.ts';
import { parseRulesFile } from '#shared/repricer/index.ts';

/** An in-memory CLI over the disk: extra files and directories from maps, stdout/stderr captured. */
function io(files: Record<string, string> = {}, dirs: Record<string, string[]> = {}): ReplayIo & { out: string; err: string; written: Record<string, string> } {
  const captured = {
    out: '',
    err: '',
    written: {} as Record<string, string>,
    readText: async (path: string) => files[path] ?? captured.written[path] ?? (await readFile(path, 'utf8')),
    writeText: async (path: string, text: string) => {
      captured.written[path] = text;
    },
    listDir: async (path: string) => dirs[path] ?? (await readdir(path)),
    stdout: (text: string) => {
      captured.out += text;
    },
    stderr: (text: string) => {
      captured.err += text;
    },
  };
  return captured;
}

const DIR = 'examples/repricer/replay';
const REPLAY = { notifications: `${DIR}/notifications`, rules: `${DIR}/rules.json`, stock: `${DIR}/stock.json` };

describe('sellerops reprice --notifications (replay in one call)', () => {
  it('holds the Buy Box in ≥ 90 % of the replay market\'s steps at ≥ 98 % of the highest winning price, with every issue 21 rule set', async () => {
    const rules = JSON.parse(await readFile(REPLAY.rules, 'utf8')) as { offers: Record<string, unknown>[] };
    expect(rules.offers[0]).toMatchObject({
      merchantCheaperBy: expect.any(String), minFeedbackCount: expect.any(Number), maxHandlingHours: expect.any(Number),
      ignoreShipsFrom: ['CN'], lowStockUnits: expect.any(Number), lowStockRaisePercent: expect.any(Number),
      buyBoxShared: expect.any(String), buyBoxSuppressed: 'threshold', match: 'amazon',
    });
    const cli = io();
    expect(await runRepriceReplay({ ...REPLAY, state: 's.json', json: true, score: true }, cli)).toBe(0);
    expect(cli.err).toBe('');
    const lines = cli.out.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(61);
    const { score } = lines[60] as { score: { steps: number; buyBoxShare: number; priceVsBest: number } };
    expect(score.steps).toBe(60);
    expect(score.buyBoxShare).toBeGreaterThanOrEqual(0.9);
    expect(score.priceVsBest).toBeGreaterThanOrEqual(0.98);
    // The rules did their work: the cross-border and the brand-new seller never became the price to undercut.
    const prices = lines.slice(0, 60).map((line) => Number(line['newPrice']));
    expect(Math.min(...prices)).toBeGreaterThan(11);
    expect(JSON.parse(cli.written['s.json'] ?? '{}')).toHaveProperty(['KITCHEN-SCALE-01|A1PA6795UKMFR9|B2C', 'phase']);
    // A hold "one step below the price that lost it" names a price above the one held: the loss price as the
    // ceiling stands now (it was the stale loss price of an earlier market, below the hold, before).
    const holds = lines.slice(0, 60).filter((line) => line['reasonCode'] === 'HoldAtCeiling');
    expect(holds.length).toBeGreaterThan(0);
    for (const hold of holds) {
      const [, held, lostAt] = /ours at ([\d.]+) EUR, one step below the price that lost it \(([\d.]+) EUR\)/.exec(String(hold['reason'])) ?? [];
      expect(Number(lostAt)).toBeGreaterThan(Number(held));
    }
  });

  it('prints one text line per notification (time, sku, marketplace, old → new price, phase, reason) and the score last', async () => {
    const cli = io();
    expect(await runRepriceReplay({ ...REPLAY, score: true }, cli)).toBe(0);
    const lines = cli.out.trim().split('\n');
    expect(lines).toHaveLength(61);
    expect(lines[0]).toBe(
      '2025-03-04T08:00:00.000Z  KITCHEN-SCALE-01  A1PA6795UKMFR9 B2C  12.49 → 11.85 EUR  trying-to-win  Buy Box held by another offer at landed 11.90 EUR: undercutting by 0.05 EUR to 11.85 EUR',
    );
    expect(lines[60]).toMatch(/^score: Buy Box held in \d+ of 60 steps \(\d+\.\d %\), average winning price \d+\.\d % of the highest price that would still have won$/);
  });

  it('is the directory the scripted market writes (regenerating gives the committed files)', async () => {
    const replay = generateReplayMarket(parseRulesFile(REPLAY_RULES_INPUT), REPLAY_STOCK_INPUT.offers[0].units);
    const names = (await readdir(REPLAY.notifications)).sort();
    expect(names).toHaveLength(replay.notifications.length);
    for (const [i, name] of names.entries()) {
      expect(JSON.parse(await readFile(`${REPLAY.notifications}/${name}`, 'utf8'))).toEqual(replay.notifications[i]);
    }
    expect(JSON.parse(await readFile(REPLAY.rules, 'utf8'))).toEqual(REPLAY_RULES_INPUT);
    expect(JSON.parse(await readFile(REPLAY.stock, 'utf8'))).toEqual(REPLAY_STOCK_INPUT);
  });

  it('decides in TimeOfOfferChange order (ties by file name), not in file-name order, carrying the state', async () => {
    const first = await readFile(`${REPLAY.notifications}/step-00.json`, 'utf8');
    const second = await readFile(`${REPLAY.notifications}/step-01.json`, 'utf8');
    const cli = io({ 'd/a.json': second, 'd/b.json': first }, { d: ['b.json', 'a.json', 'notes.txt'] });
    expect(await runRepriceReplay({ notifications: 'd', rules: REPLAY.rules, stock: REPLAY.stock, json: true }, cli)).toBe(0);
    const lines = cli.out.trim().split('\n').map((line) => JSON.parse(line) as { file: string; currentPrice: string; newPrice: string });
    expect(lines.map((l) => l.file)).toEqual(['d/b.json', 'd/a.json']);
    expect(lines.map((l) => [l.currentPrice, l.newPrice])).toEqual([['12.49', '11.85'], ['11.85', '11.90']]);
  });

  it('names each bad file on stderr, still decides the others, and exits 1', async () => {
    const good = await readFile(`${REPLAY.notifications}/step-00.json`, 'utf8');
    const negative = good.replace('"Amount": 12.49', '"Amount": -12.49');
    const cli = io({ 'd/1.json': good, 'd/2.json': '{ not json', 'd/3.json': negative, 'd/4.json': JSON.stringify({ NotificationType: 'ANY_OFFER_CHANGED' }) }, { d: ['1.json', '2.json', '3.json', '4.json'] });
    expect(await runRepriceReplay({ notifications: 'd', rules: REPLAY.rules, score: true }, cli)).toBe(1);
    const errors = cli.err.trim().split('\n');
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/^sellerops reprice: d\/2\.json: .*not valid JSON/);
    expect(errors[1]).toMatch(/^sellerops reprice: d\/3\.json: .*ListingPrice\.Amount/);
    expect(errors[2]).toMatch(/^sellerops reprice: d\/4\.json: .*Payload/);
    expect(cli.out.trim().split('\n')).toHaveLength(2); // the good one's decision, then the score
  });

  it('refuses a directory without notifications (exit 2)', async () => {
    const cli = io({}, { empty: [] });
    expect(await runRepriceReplay({ notifications: 'empty', rules: REPLAY.rules }, cli)).toBe(2);
    expect(cli.err).toContain('--notifications: no .json files in empty');
  });
});
