/**
 * The audit's scratch files (`SpillStorage`) on the local disk: the CLI's temp directory, the auditor Lambda's
 * ephemeral `/tmp`. Each file lives in its own directory under `dir`, removed when the audit disposes of it (or
 * fails), and is read back 128 KiB at a time through one reused buffer (small enough to stay in the core's cache
 * between the kernel's copy and the audit's read, as the CLI's report reader).
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SpillFile, SpillStorage } from '#shared/lost-and-found/audit.ts';

const READ_CHUNK_BYTES = 128 << 10;

export class LocalDiskSpillStorage implements SpillStorage {
  constructor(private readonly dir: string = tmpdir()) {}

  create(): SpillFile {
    const folder = mkdtempSync(join(this.dir, 'sellerops-audit-spill-'));
    const fd = openSync(join(folder, 'partition.tsv'), 'w+');
    let size = 0;
    let open = true;
    return {
      append(bytes, length) {
        let written = 0;
        while (written < length) written += writeSync(fd, bytes, written, length - written, size + written);
        size += length;
      },
      async *read() {
        const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
        for (let position = 0; position < size; ) {
          const bytesRead = readSync(fd, buffer, 0, Math.min(READ_CHUNK_BYTES, size - position), position);
          if (bytesRead === 0) return;
          position += bytesRead;
          // The audit is done with a chunk (copying any line it carries over) before it asks for the next.
          yield buffer.subarray(0, bytesRead);
        }
      },
      dispose() {
        if (!open) return;
        open = false;
        closeSync(fd);
        rmSync(folder, { recursive: true, force: true });
      },
    };
  }
}
