/** The moment `n` days before now (negative: ahead). */
export const day = (n: number): Date => new Date(Date.now() - n * 86_400_000);

/** The UTC date (YYYY-MM-DD) `n` days before today: a score run's date. */
export const dateOf = (n: number): string => day(n).toISOString().slice(0, 10);

/** The i-th UUID-shaped value made of 16 bytes of `bytes` (deterministic test ids). */
export const uuidOf = (bytes: Buffer, i: number): string =>
  bytes
    .subarray(16 * i, 16 * i + 16)
    .toString('hex')
    .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
