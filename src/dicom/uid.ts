/** Deterministic UIDs: `2.25.<decimal>` from a 128-bit hash (PS3.5 B.2), never from a clock or counter. */
import { createHash } from 'node:crypto';

/** A UID under the 2.25 root from the SHA-256 of the given stable keys (first 128 bits, as decimal). */
export function deriveUid(...keys: ReadonlyArray<string | number>): string {
  const hash = createHash('sha256');
  for (const key of keys) hash.update(`${String(key)}\u0000`);
  const hex = hash.digest('hex').slice(0, 32);
  return `2.25.${BigInt(`0x${hex}`).toString(10)}`;
}

/** A UID under a given organisational root, with a hashed decimal suffix that keeps it within 64 characters. */
export function deriveUidUnderRoot(root: string, ...keys: ReadonlyArray<string | number>): string {
  const hash = createHash('sha256');
  for (const key of keys) hash.update(`${String(key)}\u0000`);
  const room = 64 - root.length - 1;
  const digits = BigInt(`0x${hash.digest('hex')}`)
    .toString(10)
    .slice(0, Math.min(room, 39));
  return `${root}.${digits.replace(/^0+/, '') || '1'}`;
}
