/**
 * Finds the lines of a TSV stream and the tabs on each line with the WebAssembly kernel in line-index.wat
 * (16 bytes per step), for `forEachTsvRow`: a row's field bounds are then read from the index instead of found by
 * scanning its bytes in JavaScript, which was most of what the audit spent on a report before understanding it.
 *
 * Memory of one indexer: the index (a fixed number of line records) first, the input after it. Bytes are
 * appended to the input; `indexLines` records the complete lines from where the last call stopped; `keepTail`
 * moves the incomplete last line to the start of the input for the next bytes. One indexer serves one stream at
 * a time (`acquireLineIndexer` / `releaseLineIndexer`): audits and header sniffs read several files at once.
 */
import { LINE_INDEX_WASM } from './line-index-wasm.ts';

/** Line records per `indexLines` call. */
export const LINES_PER_CALL = 2048;
const PAGE_BYTES = 65536;

interface KernelExports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  readonly next: { readonly value: number };
  indexLines(input: number, end: number, out: number, maxTabs: number, maxLines: number): number;
}

/** The part of the WebAssembly API used here (the project's TypeScript libs have no WebAssembly types). */
interface WebAssemblyApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: unknown };
}
const wasm = (globalThis as unknown as { readonly WebAssembly: WebAssemblyApi }).WebAssembly;
let compiled: object | undefined;

export class LineIndexer {
  private readonly kernel: KernelExports;
  /** The kernel's memory as bytes (made again when the memory grows: growing detaches the old views). */
  bytes: Uint8Array;
  /** The same memory as 32-bit words: the line records. */
  words: Int32Array;
  /** Tab positions recorded per line (fields beyond them are found by scanning). */
  maxTabs = 0;
  /** 32-bit words per line record: start, end (the LF's position), tab count, then `maxTabs` tab positions. */
  stride = 3;
  /** Byte offset of the input: the records come before it. */
  inputStart = 0;
  /** End of the bytes appended so far. */
  inputEnd = 0;
  /** Where the next `indexLines` starts (the start of the first line not yet recorded). */
  private from = 0;

  constructor() {
    compiled ??= new wasm.Module(LINE_INDEX_WASM);
    this.kernel = new wasm.Instance(compiled, {}).exports as KernelExports;
    this.bytes = new Uint8Array(this.kernel.memory.buffer);
    this.words = new Int32Array(this.kernel.memory.buffer);
  }

  /** Starts a stream whose rows have up to `maxTabs` + 1 fields of interest. */
  begin(maxTabs: number): void {
    this.maxTabs = maxTabs;
    this.stride = 3 + maxTabs;
    // 16-byte aligned input after the records.
    this.inputStart = (LINES_PER_CALL * this.stride * 4 + 15) & ~15;
    this.inputEnd = this.inputStart;
    this.from = this.inputStart;
    this.ensure(this.inputStart + PAGE_BYTES);
  }

  /** Appends bytes of the stream after the ones not yet consumed. */
  append(part: Uint8Array, start = 0, end = part.length): void {
    const length = end - start;
    this.ensure(this.inputEnd + length + 16);
    this.bytes.set(part.subarray(start, end), this.inputEnd);
    this.inputEnd += length;
  }

  /**
   * Records up to `LINES_PER_CALL` complete lines after the last recorded one into records 0…n-1 (word offset
   * `r * stride`), returning n; fewer than `LINES_PER_CALL` means every complete line is recorded.
   */
  indexLines(): number {
    const n = this.kernel.indexLines(this.from, this.inputEnd, 0, this.maxTabs, LINES_PER_CALL);
    this.from = this.kernel.next.value;
    return n;
  }

  /** Skips a UTF-8 byte order mark (written by Excel and some Seller Central downloads) at the input's start. */
  skipByteOrderMark(): void {
    const b = this.bytes;
    const at = this.from;
    if (this.inputEnd - at >= 3 && b[at] === 0xef && b[at + 1] === 0xbb && b[at + 2] === 0xbf) this.from += 3;
  }

  /** Bytes after the last complete line (a line still waiting for its end). */
  get tailLength(): number {
    return this.inputEnd - this.from;
  }

  /** Moves the incomplete last line to the start of the input, ready for the next bytes. */
  keepTail(): void {
    const length = this.inputEnd - this.from;
    if (this.from !== this.inputStart) this.bytes.copyWithin(this.inputStart, this.from, this.inputEnd);
    this.from = this.inputStart;
    this.inputEnd = this.inputStart + length;
  }

  private ensure(bytes: number): void {
    const memory = this.kernel.memory;
    if (memory.buffer.byteLength >= bytes) return;
    memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE_BYTES));
    this.bytes = new Uint8Array(memory.buffer);
    this.words = new Int32Array(memory.buffer);
  }
}

const idle: LineIndexer[] = [];

/** An indexer for one stream (a reused one when one is free). */
export function acquireLineIndexer(): LineIndexer {
  return idle.pop() ?? new LineIndexer();
}

/** Gives an indexer back once its stream is read. A few are kept; one that grew past a few MB is dropped. */
export function releaseLineIndexer(indexer: LineIndexer): void {
  if (idle.length < 4 && indexer.bytes.length <= 8 << 20) idle.push(indexer);
}
