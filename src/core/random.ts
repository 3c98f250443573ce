import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let used = POOL_SIZE;

/**
 * `n` (at most 256) bytes from the system's CSPRNG, taken from a pool filled 4 KB at a time: one
 * getrandom call serves many claims' codes instead of one call each (Node's randomUUID does the
 * same). Each byte is handed out once; the bytes are copied out, so a caller never sees the pool.
 */
export function randomBytesPooled(n: number): Buffer {
  if (n > 256) throw new RangeError('randomBytesPooled serves at most 256 bytes');
  if (used + n > POOL_SIZE) {
    randomFillSync(pool);
    used = 0;
  }
  const bytes = Buffer.from(pool.subarray(used, used + n));
  used += n;
  return bytes;
}
