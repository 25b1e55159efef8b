import { describe, expect, it } from 'vitest';
import { RowKeyIndex } from '#shared/lost-and-found/row-key-index.ts';
import { TsvRow, forEachTsvRow } from '#shared/lost-and-found/tsv.ts';

/** Every row of `text` (a TSV file's bytes, given as Windows-1252 when `latin1`), handed to `onRow`. */
async function eachRow(text: string, onRow: (row: TsvRow) => void, latin1 = false): Promise<void> {
  const bytes = new Uint8Array(Buffer.from(text, latin1 ? 'latin1' : 'utf8'));
  async function* once(): AsyncGenerator<Uint8Array> {
    yield bytes;
  }
  const row = new TsvRow(8);
  await forEachTsvRow(once(), row, onRow);
}

describe('row key index (lookups by a row’s field bytes)', () => {
  it('answers what the map answers for the decoded field, one field or two joined by |, across growth', async () => {
    const map = new Map<string, number>();
    for (let i = 0; i < 5_000; i++) map.set(`SKU-${i}`, i);
    for (let i = 0; i < 5_000; i++) map.set(`FBA${i}|X00${i}`, -i);
    map.set('Äpfel-1', 1_000_001);
    map.set('FBA1|Äpfel-1', 1_000_002);
    map.set('', 1_000_003);
    const index = new RowKeyIndex(map);
    expect(index.size).toBe(map.size);
    const lines = [
      'SKU-17\tFBA17\tX0017', // both keys present
      '  SKU-4999 \t FBA4999\tX004999  ', // fields are trimmed, as row.text trims them
      'SKU-5000\tFBA17\tX0018', // absent: one character more, another pair
      'SKU-1\tFBA1\tX001x', // the same hash prefix, a longer second field
      'Äpfel-1\tFBA1\tÄpfel-1', // not ASCII: decoded, then looked up as the string
      '\tFBA2', // an empty first field; the third field is missing
    ];
    const seen: Array<[number | undefined, number | undefined, string]> = [];
    await eachRow(`${lines.join('\n')}\n`, (row) => {
      const one = index.getByFields(row, 0);
      const oneKey = one === undefined ? '' : index.lastKey;
      expect(one).toBe(map.get(row.text(0)));
      expect(index.getByFields(row, 1, 2)).toBe(map.get(row.joinedText(1, 2)));
      seen.push([one, index.getByFields(row, 1, 2), oneKey]);
    });
    expect(seen).toEqual([
      [17, -17, 'SKU-17'],
      [4999, -4999, 'SKU-4999'],
      [undefined, undefined, ''],
      [1, undefined, 'SKU-1'],
      [1_000_001, 1_000_002, 'Äpfel-1'],
      [1_000_003, undefined, ''],
    ]);
  });

  it('keeps every key and its latest value when filled one set at a time from empty (through many doublings)', async () => {
    const index = new RowKeyIndex<number>();
    for (let i = 0; i < 20_000; i++) index.set(`SKU-${i}`, i);
    for (let i = 0; i < 20_000; i += 7) index.set(`SKU-${i}`, -i); // replaced, not added
    index.set('Äpfel-1', 1);
    expect(index.size).toBe(20_001);
    for (let i = 0; i < 20_000; i++) expect(index.get(`SKU-${i}`)).toBe(i % 7 === 0 ? -i : i);
    expect(index.get('SKU-20000')).toBeUndefined();
    const found: Array<number | undefined> = [];
    await eachRow('SKU-19999\nSKU-14\nÄpfel-1\nSKU-x\n', (row) => found.push(index.getByFields(row, 0)));
    expect(found).toEqual([-19_999, -14, 1, undefined]); // 19,999 is a multiple of 7
  });

  it('finds a key in a Windows-1252 file by its decoded text', async () => {
    const index = new RowKeyIndex([['Café-7', 7]]);
    const found: Array<number | undefined> = [];
    await eachRow('Café-7\tx\n', (row) => {
      row.encoding = 'windows-1252';
      found.push(index.getByFields(row, 0));
    }, true);
    expect(found).toEqual([7]);
  });
});
