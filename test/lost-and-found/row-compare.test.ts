import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TsvRow, forEachTsvRow } from '#shared/lost-and-found/tsv.ts';

/** The rows of `text` as UTF-8 bytes, each handed to `onRow` while it is valid. */
async function eachRow(text: string, onRow: (row: TsvRow) => void): Promise<void> {
  const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
  async function* once(): AsyncGenerator<Uint8Array> {
    yield bytes;
  }
  await forEachTsvRow(once(), new TsvRow(4), onRow);
}

const field = fc.stringMatching(/^[ A-Za-zÄé0-9|-]{0,12}$/);
const word = fc.constantFrom('', 'principal', 'commission', 'refundcommission', 'äpfel', 'sku-1');

describe('row field comparisons without a string', () => {
  it('equalsText answers text(i) === expected; equalsCaseless answers text(i).toLowerCase() === word', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(field, { minLength: 1, maxLength: 3 }), fc.oneof(field, word), word, fc.nat(3), async (fields, expected, lower, i) => {
        const answers: Array<[boolean, boolean, boolean, boolean]> = [];
        await eachRow(`${fields.join('\t')}\n`, (row) => {
          answers.push([row.equalsText(i, expected), row.text(i) === expected, row.equalsCaseless(i, lower), row.text(i).toLowerCase() === lower]);
        });
        for (const [fast, slow, fastCaseless, slowCaseless] of answers) {
          expect(fast).toBe(slow);
          expect(fastCaseless).toBe(slowCaseless);
        }
      }),
      { numRuns: 3_000 },
    );
  });

  it('matches trimmed fields in any case, and not a prefix or a longer field', async () => {
    const seen: Array<[boolean, boolean, boolean, boolean]> = [];
    await eachRow(' PrinCipal \tPrincipals\tSKU-1\t\n', (row) => {
      seen.push([row.equalsCaseless(0, 'principal'), row.equalsCaseless(1, 'principal'), row.equalsText(2, 'SKU-1'), row.equalsText(3, '')]);
    });
    expect(seen).toEqual([[true, false, true, true]]);
  });
});
