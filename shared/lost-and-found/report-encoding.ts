/**
 * Reports saved as UTF-16 (Excel's "Unicode text", with its byte order mark) are read by transcoding them to
 * UTF-8 on the fly: the byte-level TSV reader stays a UTF-8 / Windows-1252 reader, and a UTF-16 file is read
 * like any other instead of being reported as an unknown report.
 */
import type { ReportSource } from './audit.ts';

export type Utf16Order = 'utf-16le' | 'utf-16be';

/** The UTF-16 byte order a file's first bytes announce with a byte order mark; undefined for anything else. */
export function utf16Order(first: Uint8Array): Utf16Order | undefined {
  if (first.length >= 2 && first[0] === 0xff && first[1] === 0xfe) return 'utf-16le';
  if (first.length >= 2 && first[0] === 0xfe && first[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** `chunks` as UTF-8 when they start with a UTF-16 byte order mark; unchanged otherwise. */
export async function* asUtf8(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let decoder: InstanceType<typeof TextDecoder> | undefined;
  let first = true;
  const encoder = new TextEncoder();
  for await (const chunk of chunks) {
    if (first) {
      first = false;
      const order = utf16Order(chunk);
      // `ignoreBOM: false` drops the mark; `stream` keeps a code unit or surrogate pair cut by a chunk boundary.
      if (order !== undefined) decoder = new TextDecoder(order, { ignoreBOM: false });
    }
    if (decoder === undefined) yield chunk;
    else yield encoder.encode(decoder.decode(chunk, { stream: true }));
  }
  if (decoder !== undefined) {
    const rest = decoder.decode();
    if (rest.length > 0) yield encoder.encode(rest);
  }
}

/** The source read as UTF-8 (its header look too, transcoded from the same bytes). */
export function utf8Source(source: ReportSource): ReportSource {
  const head = source.head?.bind(source);
  return {
    name: source.name,
    ...(source.size !== undefined ? { size: source.size } : {}),
    open: () => asUtf8(source.open()),
    ...(head !== undefined
      ? {
          head: async (maxBytes: number) => {
            const bytes = await head(maxBytes);
            const order = utf16Order(bytes);
            if (order === undefined) return bytes;
            // Cut at a whole code unit so the look ends cleanly (a cut pair decodes to U+FFFD at the very end).
            return new TextEncoder().encode(new TextDecoder(order).decode(bytes.subarray(0, bytes.length & ~1)));
          },
        }
      : {}),
  };
}
