/** FNV-1a 64-bit: short, URL-safe, deterministic ids derived from business keys (no crypto needed for dedup). */
export function stableId(prefix: string, key: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < key.length; i++) {
    hash ^= BigInt(key.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return `${prefix}-${hash.toString(36)}`;
}
