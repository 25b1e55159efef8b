/** Node adapter for the audit's byte sources: every regular file of a directory (gzip-compressed ones unpacked). */
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { ReportSource } from '../shared/lost-and-found/audit.ts';
import { NotFoundError, ValidationError } from '../shared/kernel/errors.ts';

const CHUNK_BYTES = 1 << 20;

export function fileSource(path: string, name = path): ReportSource {
  const size = statSync(path).size;
  const gzipped = path.endsWith('.gz');
  return {
    name,
    size,
    open: () => {
      // SP-API report documents arrive gzip-compressed; downloads from Seller Central do not.
      if (gzipped) return createReadStream(path, { highWaterMark: CHUNK_BYTES }).pipe(createGunzip({ chunkSize: CHUNK_BYTES }));
      return readIntoOneBuffer(path);
    },
  };
}

/** The files directly inside `dir` (not sub-directories), sorted by name so runs are reproducible. */
export function directorySources(dir: string): ReportSource[] {
  let stats;
  try {
    stats = statSync(dir);
  } catch {
    throw new NotFoundError(`reports directory "${dir}"`);
  }
  if (!stats.isDirectory()) throw new ValidationError(`"${dir}" is not a directory`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort()
    .map((name) => fileSource(join(dir, name), name));
}

/**
 * Reads a file through one reused buffer. A read stream allocates a fresh buffer per chunk, and on a
 * 250 MB report directory that garbage (not the audit's state) is what drives peak RSS. Reusing is safe
 * because the next read only starts when the audit asks for the next chunk, and the audit copies the
 * partial line it carries over.
 */
async function* readIntoOneBuffer(path: string): AsyncGenerator<Uint8Array> {
  const handle = await open(path, 'r');
  const buffer = new Uint8Array(CHUNK_BYTES);
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}
