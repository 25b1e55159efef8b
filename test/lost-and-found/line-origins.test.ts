import { describe, expect, it } from 'vitest';
import { LineOrigins, hashString } from '#shared/lost-and-found/tsv.ts';

describe('line origins (dedupe of overlapping report downloads)', () => {
  it('remembers the first file of every line across growth, and never confuses two lines', () => {
    const origins = new LineOrigins();
    const hashes = Array.from({ length: 150_000 }, (_, i) => hashString(`2025-06-${i % 30}\tX00${i}\tline ${i}`));
    expect(new Set(hashes).size).toBe(hashes.length);
    hashes.forEach((h, i) => expect(origins.firstFile(h, i % 3)).toBe(i % 3));
    // Read again from file 7: each line reports the file it was first read from.
    hashes.forEach((h, i) => {
      if (i % 997 === 0) expect(origins.firstFile(h, 7)).toBe(i % 3);
    });
    expect(origins.firstFile(hashString('a line never seen'), 7)).toBe(7);
  });
});
