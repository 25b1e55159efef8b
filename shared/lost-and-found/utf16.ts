/**
 * Seller Central sometimes saves a download as UTF-16 (little endian, with a byte order mark), e.g. after a round
 * trip through a spreadsheet. The TSV reader works on ASCII-compatible bytes (UTF-8, Windows-1252), so a UTF-16
 * file is transcoded to UTF-8 as it streams; every other file passes through untouched (no copy, no cost).
 */
import type { ReportSource } from './audit.ts';

const encoder = new TextEncoder();

function utf16Encoding(first: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (first.length >= 2 && first[0] === 0xff && first[1] === 0xfe) return 'utf-16le';
  if (first.length >= 2 && first[0] === 0xfe && first[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** The source, reading as UTF-8 when its bytes are UTF-16 with a byte order mark. */
export function utf16AsUtf8(source: ReportSource): ReportSource {
  return {
    name: source.name,
    ...(source.size !== undefined ? { size: source.size } : {}),
    open: () => transcoded(source.open()),
    ...(source.head !== undefined
      ? {
          head: async (maxBytes: number) => {
            const bytes = await source.head!(maxBytes);
            const encoding = utf16Encoding(bytes);
            // A UTF-16 head is cut at a code unit, maybe mid-character: the look at the header row only needs its start.
            return encoding === undefined ? bytes : encoder.encode(new TextDecoder(encoding).decode(bytes.subarray(0, bytes.length & ~1)));
          },
        }
      : {}),
  };
}

async function* transcoded(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let decoder: InstanceType<typeof TextDecoder> | undefined;
  let first = true;
  for await (const chunk of chunks) {
    if (first) {
      first = false;
      const encoding = utf16Encoding(chunk);
      // TextDecoder drops the byte order mark: the header row starts clean.
      if (encoding !== undefined) decoder = new TextDecoder(encoding);
    }
    if (decoder === undefined) yield chunk;
    else yield encoder.encode(decoder.decode(chunk, { stream: true }));
  }
  if (decoder !== undefined) {
    const rest = decoder.decode();
    if (rest.length > 0) yield encoder.encode(rest);
  }
}
