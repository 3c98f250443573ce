import DataLoader from 'dataloader';

/**
 * Gathers the calls made during one turn of the event loop into one call of `load`: under load,
 * the requests whose bytes arrived together each ask for the same kind of thing (a token's user, a
 * rate-limit counter), and one round trip for all of them spares the process a socket write and read
 * per request. Scheduled with setImmediate, after every callback of the turn (DataLoader's default,
 * the next tick, would gather one request's own calls only). Nothing is cached: each call is
 * answered by the round trip it joined, so nothing is staler than answering it alone would be.
 */
export function turnBatcher<K, V>(load: (keys: readonly K[]) => Promise<V[]>, maxBatchSize = 256): DataLoader<K, V> {
  return new DataLoader<K, V>(load, { cache: false, maxBatchSize, batchScheduleFn: (run) => setImmediate(run) });
}
