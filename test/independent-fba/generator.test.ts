/**
 * Self-test of the independent FBA oracle: the generator is deterministic, the committed sets are exactly what it
 * produces, and every answer-key entry is backed by the rows of its own report files. It does not touch the audit.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type AnswerKey, type PackagedUnit, type ReportFile, type ReportKind, SCENARIOS, WINDOWS, addDays, decodeText, fulfilmentFeeMinor, generateSet, reportLayout, sizeTierOf, sizeTierRank } from './generate.ts';

const SETS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'sets');

type Table = { columns: string[]; rows: Record<string, string>[] };

function readFile(setDir: string, file: ReportFile): Table {
  const bytes = readFileSync(join(setDir, file.fileName));
  const text = decodeText(file.gzip ? gunzipSync(bytes) : bytes, file.encoding);
  const lines = text.split('\r\n').filter((l) => l.length > 0);
  const columns = (lines[0] ?? '').split('\t');
  const rows = lines.slice(1).map((line) => {
    const cells = line.split('\t');
    expect(cells.length, `${file.fileName}: ${line.slice(0, 60)}`).toBe(columns.length);
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']));
  });
  return { columns, rows };
}

/** All rows of a report kind; settlements come as one file per settlement period. */
function readTable(setDir: string, key: AnswerKey, kind: ReportKind): Table | undefined {
  const parts = key.files.filter((f) => f.kind === kind).map((f) => readFile(setDir, f));
  const first = parts[0];
  if (first === undefined) return undefined;
  return { columns: first.columns, rows: parts.flatMap((t) => t.rows) };
}

/** Minor units from a report amount written with either decimal separator. */
function minor(text: string): number {
  return Math.round(Number(text.replace(',', '.')) * 100);
}

function ledgerDay(row: Record<string, string>): string {
  return (row['Date and Time'] ?? '').slice(0, 10);
}

/** ISO day of a settlement row, whichever of the marketplace date formats it is written in. */
function settlementDay(row: Record<string, string>): string {
  const posted = row['posted-date'] ?? '';
  const m = /^(\d{2})[./](\d{2})[./](\d{4})$/.exec(posted);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : posted;
}

function packagedUnit(row: Record<string, string>): PackagedUnit {
  return { longestSide: Number(row['longest-side']), medianSide: Number(row['median-side']), shortestSide: Number(row['shortest-side']), unitWeight: Number(row['item-package-weight']) };
}

describe('independent FBA report generator', () => {
  it('produces byte-identical sets from the same seed', () => {
    for (const spec of SCENARIOS) {
      const first = generateSet(spec).files;
      const second = generateSet(spec).files;
      expect([...first.keys()]).toEqual([...second.keys()]);
      for (const [name, bytes] of first) expect(bytes.equals(second.get(name) ?? Buffer.alloc(0)), `${spec.name}/${name}`).toBe(true);
    }
  });

  it('a different seed gives a different set', () => {
    const spec = SCENARIOS[0];
    if (spec === undefined) throw new Error('no scenario');
    const a = generateSet(spec).files.get('answer-key.json')?.toString('utf8');
    const b = generateSet({ ...spec, seed: spec.seed + 1 }).files.get('answer-key.json')?.toString('utf8');
    expect(a).not.toEqual(b);
  });

  it('the committed sets are exactly what the generator writes (regenerate with npx tsx test/independent-fba/generate.ts)', () => {
    expect(readdirSync(SETS_DIR).filter((f) => !f.startsWith('.')).sort()).toEqual(SCENARIOS.map((s) => s.name).sort());
    for (const spec of SCENARIOS) {
      const { files } = generateSet(spec);
      expect(readdirSync(join(SETS_DIR, spec.name)).sort()).toEqual([...files.keys()].sort());
      for (const [name, bytes] of files) {
        const onDisk = readFileSync(join(SETS_DIR, spec.name, name));
        // Compare gzip members by content: the deflate stream may differ between zlib builds.
        const same = name.endsWith('.gz') ? gunzipSync(onDisk).equals(gunzipSync(bytes)) : onDisk.equals(bytes);
        expect(same, `${spec.name}/${name}`).toBe(true);
      }
    }
  });
});

describe.each(SCENARIOS.map((s) => s.name))('answer key of set %s', (name) => {
  const setDir = join(SETS_DIR, name);
  const key = JSON.parse(readFileSync(join(setDir, 'answer-key.json'), 'utf8')) as AnswerKey;
  const tables = new Map<ReportKind, Table>();
  for (const kind of key.reportsPresent) {
    const table = readTable(setDir, key, kind);
    if (table !== undefined) tables.set(kind, table);
  }
  const ledger = tables.get('ledger');
  const rowsOf = (kind: ReportKind): Record<string, string>[] => tables.get(kind)?.rows ?? [];

  it('has every present report as files with Amazon’s header, encoded as declared', () => {
    expect([...new Set(key.files.map((f) => f.kind))]).toEqual(key.reportsPresent);
    for (const file of key.files) {
      const table = readFile(setDir, file);
      expect(table.columns).toEqual([...reportLayout(file.kind).columns]);
      // A settlement file starts with its summary line before the transactions.
      const dataRows = file.kind === 'settlement' ? file.rows + 1 : file.rows;
      expect(table.rows.length).toBe(dataRows);
      if (file.kind === 'settlement') {
        const ids = new Set(table.rows.map((r) => r['settlement-id']));
        expect(ids.size, `${file.fileName} holds one settlement`).toBe(1);
      }
    }
    const bom = key.files.filter((f) => f.encoding === 'utf-8-bom' && !f.gzip);
    for (const f of bom) expect([...readFileSync(join(setDir, f.fileName)).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('lists fileable claims only, each for an FNSKU in the ledger and with its identifiers in the reports', () => {
    expect(key.claimable.length).toBeGreaterThan(5);
    const ledgerFnskus = new Set(ledger?.rows.map((r) => r.FNSKU));
    const orderIds = new Set<string>();
    for (const kind of ['settlement', 'customerReturns', 'reimbursements', 'replacements'] as const) {
      for (const r of rowsOf(kind)) for (const c of ['order-id', 'amazon-order-id', 'original-amazon-order-id']) if (r[c]) orderIds.add(r[c] ?? '');
    }
    for (const c of key.claimable) {
      expect(ledgerFnskus.has(c.fnsku), `${c.type} ${c.fnsku} in ledger`).toBe(true);
      expect(c.claimOpens <= key.asOf && key.asOf <= c.deadline, `${c.type} ${c.fnsku} fileable on ${key.asOf}`).toBe(true);
      expect(c.msku).toHaveLength(40);
      expect(c.fnsku).toMatch(/^X00[A-Z0-9]{7}$/);
      if (c.orderId !== undefined) {
        expect(c.orderId).toMatch(/^\d{3}-\d{7}-\d{7}$/);
        expect(orderIds.has(c.orderId), `${c.type} order ${c.orderId}`).toBe(true);
      }
      if (c.removalOrderId !== undefined) expect(rowsOf('removalShipments').some((r) => r['order-id'] === c.removalOrderId)).toBe(true);
      if (c.shipmentId !== undefined) expect(rowsOf('inboundShipments').some((r) => r.ShipmentId === c.shipmentId)).toBe(true);
      if (c.value !== null) {
        expect(c.value.currency).toBe(key.currency);
        expect(c.value.minor).toBeGreaterThan(0);
      }
    }
  });

  it('backs warehouse losses with an unreconciled adjustment that was neither found nor reimbursed', () => {
    for (const c of key.claimable.filter((x) => x.type === 'lost_warehouse' || x.type === 'damaged_warehouse')) {
      const row = ledger?.rows.find((r) => r['Reference ID'] === c.referenceId);
      expect(row?.FNSKU).toBe(c.fnsku);
      expect(Number(row?.Quantity)).toBe(-c.units);
      expect(Number(row?.['Unreconciled Quantity'])).toBe(c.units);
      expect(ledgerDay(row ?? {})).toBe(c.eventDate);
      expect(c.deadline).toBe(addDays(c.eventDate, WINDOWS.warehouseClaimDays));
      const found = ledger?.rows.filter((r) => r.FNSKU === c.fnsku && r.Reason === 'F' && ledgerDay(r) >= c.eventDate) ?? [];
      expect(found).toEqual([]);
      const sameReason = c.type === 'lost_warehouse' ? 'Lost_Warehouse' : 'Damaged_Warehouse';
      const paid = rowsOf('reimbursements').filter((r) => r.fnsku === c.fnsku && r.reason === sameReason && (r['approval-date'] ?? '') >= c.eventDate);
      expect(paid).toEqual([]);
    }
    for (const t of key.traps.filter((x) => x.type === 'lost_warehouse' && x.description === 'units misplaced then found')) {
      expect(ledger?.rows.some((r) => r.FNSKU === t.fnsku && r.Reason === 'F')).toBe(true);
    }
  });

  it('prices fee overcharges from the settlement and the fee preview', () => {
    for (const c of key.claimable.filter((x) => x.type === 'fee_overcharge')) {
      const charged = rowsOf('settlement').find((r) => r['order-id'] === c.orderId && r['amount-description'] === 'FBAPerUnitFulfillmentFee');
      const preview = rowsOf('feePreview').find((r) => r.fnsku === c.fnsku);
      expect(-minor(charged?.amount ?? '0') - minor(preview?.['expected-fulfillment-fee-per-unit'] ?? '0')).toBe(c.value?.minor);
    }
  });

  it('labels every fee preview line with the tier Amazon’s table gives its unit, and that tier’s fee, except the size-tier overcharges', () => {
    const overcharged = new Set([...key.claimable, ...key.notProvable].filter((c) => c.type === 'size_tier_overcharge').map((c) => c.fnsku));
    expect(overcharged.size, 'one size-tier overcharge per set').toBe(1);
    const preview = rowsOf('feePreview');
    expect(preview.length).toBeGreaterThan(0);
    for (const row of preview) {
      const unit = packagedUnit(row);
      const label = row['product-size-tier'] ?? '';
      const own = sizeTierOf(key.marketplace, unit);
      if (overcharged.has(row.fnsku ?? '')) expect(sizeTierRank(key.marketplace, label), `${row.fnsku} charged above its tier`).toBeGreaterThan(sizeTierRank(key.marketplace, own));
      else expect(label, `${row.fnsku} ${row['longest-side']} × ${row['median-side']} × ${row['shortest-side']}, ${row['item-package-weight']}`).toBe(own);
      expect(minor(row['expected-fulfillment-fee-per-unit'] ?? ''), `${row.fnsku} fee of ${label}`).toBe(fulfilmentFeeMinor(key.marketplace, label, unit));
      expect(Number(row['length-and-girth'])).toBeCloseTo(unit.longestSide + 2 * (unit.medianSide + unit.shortestSide), 2);
    }
    for (const t of key.traps.filter((x) => x.type === 'size_tier_overcharge')) {
      const row = preview.find((r) => r.fnsku === t.fnsku) ?? {};
      expect(row['product-size-tier']).toBe(sizeTierOf(key.marketplace, packagedUnit(row)));
      expect(rowsOf('settlement').some((r) => r.sku === row.sku && r['amount-description'] === 'FBAPerUnitFulfillmentFee'), 'charged at that tier').toBe(key.reportsPresent.includes('settlement'));
    }
  });

  it('counts a size-tier overcharge as the units charged at the preview’s tier in the fee-claim window', () => {
    for (const c of key.claimable.filter((x) => x.type === 'size_tier_overcharge')) {
      expect(c).toMatchObject({ value: null, confidence: 'likely' });
      const preview = rowsOf('feePreview').find((r) => r.fnsku === c.fnsku);
      const charges = rowsOf('settlement').filter((r) => r.sku === c.msku && r['amount-description'] === 'FBAPerUnitFulfillmentFee');
      for (const r of charges) expect(-minor(r.amount ?? '0')).toBe(minor(preview?.['expected-fulfillment-fee-per-unit'] ?? ''));
      const inWindow = charges.map(settlementDay).filter((day) => addDays(day, WINDOWS.feeClaimDays) >= key.asOf).sort();
      expect(charges.length, 'a charge before the window is not counted').toBeGreaterThan(inWindow.length);
      expect(inWindow).toHaveLength(c.units);
      expect(c.eventDate).toBe(inWindow[0]);
      expect(c.deadline).toBe(addDays(c.eventDate, WINDOWS.feeClaimDays));
    }
  });

  it('proves removal and inbound losses from the shipment-level reports', () => {
    for (const c of key.claimable.filter((x) => x.type === 'removal_lost')) {
      const order = rowsOf('removalOrders').find((r) => r['order-id'] === c.removalOrderId);
      const shipped = rowsOf('removalShipments').filter((r) => r['order-id'] === c.removalOrderId).reduce((n, r) => n + Number(r['shipped-quantity']), 0);
      expect(Number(order?.['shipped-quantity']) - shipped).toBe(c.units);
    }
    for (const c of key.claimable.filter((x) => x.type === 'inbound_shortage')) {
      const line = rowsOf('inboundShipments').find((r) => r.ShipmentId === c.shipmentId);
      expect(Number(line?.QuantityShipped) - Number(line?.QuantityReceived)).toBe(c.units);
    }
  });

  it('keeps traps and unprovable cases apart from the claims and names what is missing', () => {
    const claimed = new Set(key.claimable.map((c) => `${c.type}|${c.fnsku}`));
    for (const t of key.traps) expect(claimed.has(`${t.type}|${t.fnsku}`), `trap ${t.description}`).toBe(false);
    for (const n of key.notProvable) {
      expect(claimed.has(`${n.type}|${n.fnsku}`)).toBe(false);
      if (n.missingPeriod === undefined) expect(key.reportsPresent).not.toContain(n.missingReport);
      else expect(key.files.find((f) => f.kind === n.missingReport)?.covers.from).toBe(n.missingPeriod.before);
    }
  });
});
