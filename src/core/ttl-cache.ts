/**
 * A small in-process cache of values (or promises of them) that expire after a time to live, with
 * a bound on its size: when full, expired entries go first, then the oldest ones. For facts that
 * are safe to reuse for a moment (who a token belongs to, a count over an immutable snapshot), not
 * for anything a correctness argument depends on.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { value: V; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get(key: K, now = Date.now()): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.expires > now) return hit.value;
    this.entries.delete(key);
    return undefined;
  }

  /** Stores a value until `now + ttl`, or until `until` when that comes sooner. */
  set(key: K, value: V, until = Infinity, now = Date.now()): void {
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) this.evict(now);
    this.entries.set(key, { value, expires: Math.min(now + this.ttlMs, until) });
  }

  /**
   * The cached promise for a key, or a new one from `load`; a promise that rejects is forgotten,
   * so a failure is never served from the cache.
   */
  getOrLoad<T>(this: TtlCache<K, Promise<T>>, key: K, load: () => Promise<T>): Promise<T> {
    const hit = this.get(key);
    if (hit) return hit;
    const value = load();
    this.set(key, value);
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  /** Drops every entry whose value matches (an erased user's tokens, say). */
  deleteWhere(predicate: (value: V) => boolean): void {
    for (const [key, entry] of this.entries) if (predicate(entry.value)) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(now: number): void {
    for (const [key, entry] of this.entries) if (entry.expires <= now) this.entries.delete(key);
    // Maps iterate in insertion order: the first keys are the oldest.
    for (const key of this.entries.keys()) {
      if (this.entries.size < this.maxEntries) break;
      this.entries.delete(key);
    }
  }
}
