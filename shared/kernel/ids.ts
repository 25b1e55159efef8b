import { createHash } from 'node:crypto';

/** FNV-1a 64-bit: short, URL-safe, deterministic ids derived from business keys (no crypto needed for dedup). */
export function stableId(prefix: string, key: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < key.length; i++) {
    hash ^= BigInt(key.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return `${prefix}-${hash.toString(36)}`;
}

/**
 * An id derived from text a caller controls (a public form, an Idempotency-Key, free text): SHA-256, cut to 128
 * bits. FNV-1a is fine for our own business keys but anyone can compute two inputs with one FNV hash, and so
 * make their request take the place of someone else's.
 */
export function inputId(prefix: string, key: string): string {
  return `${prefix}-${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}
