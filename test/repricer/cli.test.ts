import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runReprice, runRulesExport, runRulesImport } from '../../cli/commands/reprice.ts';
import type { CliIo } from '../../cli/commands/reprice.ts';

/** An in-memory CLI: files from a map (falling back to disk), stdout/stderr captured. */
function io(files: Record<string, string> = {}): CliIo & { out: string; err: string; written: Record<string, string> } {
  const captured = {
    out: '',
    err: '',
    written: {} as Record<string, string>,
    readText: async (path: string) => files[path] ?? captured.written[path] ?? (await readFile(path, 'utf8')),
    writeText: async (path: string, text: string) => {
      captured.written[path] = text;
    },
    stdout: (text: string) => {
      captured.out += text;
    },
    stderr: (text: string) => {
      captured.err += text;
    },
  };
  return captured;
}

const B2C = 'examples/repricer/any-offer-changed.json';
const B2B = 'examples/repricer/b2b-any-offer-changed.json';
const RULES = 'examples/repricer/rules.json';

describe('sellerops reprice (CLI test mode)', () => {
  it('prints the decisions for the B2C example as JSON with decimal-string prices', async () => {
    const cli = io();
    expect(await runReprice({ notification: B2C, rules: RULES }, cli)).toBe(0);
    const output = JSON.parse(cli.out) as { decisions: Record<string, unknown>[] };
    expect(output.decisions).toHaveLength(1);
    expect(output.decisions[0]).toMatchObject({
      sku: 'KITCHEN-SCALE-01', asin: 'B07XJ8C8F5', marketplaceId: 'A1PA6795UKMFR9', audience: 'B2C', strategy: 'buybox',
      currentPrice: '12.49', newPrice: '11.94', action: 'lower', reason: expect.stringContaining('undercutting by 0.05 EUR'),
    });
  });

  it('prices the B2B offer and its quantity tiers from the B2B example', async () => {
    const cli = io();
    expect(await runReprice({ notification: B2B, rules: RULES }, cli)).toBe(0);
    const [decision] = (JSON.parse(cli.out) as { decisions: { audience: string; newPrice: string; tiers: unknown[] }[] }).decisions;
    expect(decision).toMatchObject({ audience: 'B2B', newPrice: '11.75', action: 'raise' });
    expect(decision?.tiers).toEqual([
      { minQuantity: 5, price: '11.39' },
      { minQuantity: 10, price: '11.16' },
      { minQuantity: 25, price: '10.55' },
    ]);
  });

  it('carries the offer state between runs with --state', async () => {
    const cli = io();
    await runReprice({ notification: B2C, rules: RULES, state: 'state.json' }, cli);
    expect(JSON.parse(cli.written['state.json'] ?? '{}')).toMatchObject({ 'KITCHEN-SCALE-01|A1PA6795UKMFR9|B2C': { phase: 'trying-to-win', pendingPriceMinor: 1194 } });
    cli.out = '';
    await runReprice({ notification: B2C, rules: RULES, state: 'state.json', now: '2025-03-04T10:16:00Z' }, cli);
    expect(JSON.parse(cli.out)).toMatchObject({ decisions: [{ action: 'hold', reasonCode: 'AwaitingPrice' }] });
  });

  it('fails with exit code 1 and a message naming the field for bad input', async () => {
    const notification = JSON.parse(await readFile(B2C, 'utf8')) as { Payload: { AnyOfferChangedNotification: { Offers: { ListingPrice: { Amount: number; CurrencyCode: string } }[] } } };
    const offers = notification.Payload.AnyOfferChangedNotification.Offers;
    const cases: [string, Record<string, string>, string][] = [
      ['malformed notification', { 'n.json': JSON.stringify({ NotificationVersion: '1.0' }) }, 'NotificationType'],
      ['unknown currency', { 'n.json': JSON.stringify({ ...notification, Payload: { AnyOfferChangedNotification: { ...notification.Payload.AnyOfferChangedNotification, Offers: offers.map((o, i) => (i === 1 ? { ...o, ListingPrice: { Amount: 12.49, CurrencyCode: 'EUX' } } : o)) } } }) }, 'Offers[1].ListingPrice.CurrencyCode: unknown currency'],
      ['negative price', { 'n.json': JSON.stringify({ ...notification, Payload: { AnyOfferChangedNotification: { ...notification.Payload.AnyOfferChangedNotification, Offers: offers.map((o, i) => (i === 2 ? { ...o, ListingPrice: { Amount: -1, CurrencyCode: 'EUR' } } : o)) } } }) }, 'Offers[2].ListingPrice.Amount'],
      ['missing offers', { 'n.json': JSON.stringify({ ...notification, Payload: { AnyOfferChangedNotification: { ...notification.Payload.AnyOfferChangedNotification, Offers: undefined } } }) }, 'Payload.AnyOfferChangedNotification.Offers'],
    ];
    for (const [, files, field] of cases) {
      const cli = io(files);
      expect(await runReprice({ notification: 'n.json', rules: RULES }, cli)).toBe(1);
      expect(cli.err).toContain(field);
      expect(cli.out).toBe('');
    }
    const minAboveMax = io({ 'r.json': JSON.stringify({ sellerId: 'A2SELLEROPS0DE', offers: [{ sku: 'X', asin: 'B07XJ8C8F5', marketplaceId: 'A1PA6795UKMFR9', strategy: 'buybox', currency: 'EUR', min: '15.00', max: '8.00' }] }) });
    expect(await runReprice({ notification: B2C, rules: 'r.json' }, minAboveMax)).toBe(1);
    expect(minAboveMax.err).toContain('offers[0].min: min 15.00 is greater than max 8.00');
  });

  it('fails with exit code 2 for unreadable files and invalid JSON', async () => {
    const missing = io();
    expect(await runReprice({ notification: 'does-not-exist.json', rules: RULES }, missing)).toBe(2);
    expect(missing.err).toContain('--notification: cannot read does-not-exist.json');
    const broken = io({ 'n.json': '{"NotificationVersion": ' });
    expect(await runReprice({ notification: 'n.json', rules: RULES }, broken)).toBe(2);
    expect(broken.err).toContain('not valid JSON');
  });

  it('runs end to end through bin/sellerops.js: JSON on stdout, errors on stderr with a non-zero exit', () => {
    const ok = spawnSync(process.execPath, ['bin/sellerops.js', 'reprice', '--notification', B2C, '--rules', RULES, '--compact'], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ decisions: [{ newPrice: '11.94' }] });
    const bad = spawnSync(process.execPath, ['bin/sellerops.js', 'reprice', '--notification', RULES, '--rules', RULES], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('NotificationType');
  });
});

describe('sellerops reprice-rules (CSV)', () => {
  it('imports good rows, reports bad rows on stderr and exits 1', async () => {
    const cli = io();
    expect(await runRulesImport('examples/repricer/rules.csv', 'A2SELLEROPS0DE', cli)).toBe(1);
    expect((JSON.parse(cli.out) as { offers: unknown[] }).offers).toHaveLength(3);
    expect(cli.err).toContain('row 5: min: min 15.00 is greater than max 12.00');
  });

  it('exports a rules file as CSV', async () => {
    const cli = io();
    expect(await runRulesExport(RULES, cli)).toBe(0);
    expect(cli.out.split('\n')[0]).toMatch(/^sku,asin,marketplace_id,audience,currency,min,max,strategy,/);
    expect(cli.out).toContain('KITCHEN-SCALE-01,B07XJ8C8F5,A1PA6795UKMFR9,B2B,EUR,7.50,14.00,buybox');
  });
});
