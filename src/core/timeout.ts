/**
 * The promise's outcome, or a rejection with `error()` once `ms` have passed, whichever comes
 * first; the timer never outlives the race. The promise itself is not cancelled: a late outcome is
 * ignored (a late rejection included, so it is never reported as unhandled).
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(error()), ms);
  });
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
