/** Ids from `from` to `to` (inclusive) not seen yet, first noticed at `since` (ms since the epoch). */
export interface IdRange {
  from: bigint;
  to: bigint;
  since: number;
}

/**
 * Which ids of an identity column a follower has seen, exactly: every id up to `highWater` except
 * those in `gaps`. Identity ids are handed out at INSERT but rows become visible at COMMIT, in
 * another order: when id 11 is read while 10 is still in an open transaction, 10 becomes a gap, and
 * is looked for again until it appears or is abandoned (a rolled-back transaction never fills it).
 * An id is accepted once at most: above the high-water mark, or inside a gap (which it leaves).
 * Pure: the relay (notification-relay.ts) feeds it ids read from Postgres.
 */
export class IdGaps {
  private ranges: IdRange[] = [];

  constructor(
    private mark: bigint,
    /** Past this many ranges the oldest are abandoned: a bound on what every poll re-reads. */
    private readonly maxRanges = 1_000,
  ) {}

  get highWater(): bigint {
    return this.mark;
  }

  get gaps(): readonly IdRange[] {
    return this.ranges;
  }

  /**
   * Takes the ids read in one poll (any order, duplicates allowed) and answers those not seen
   * before, ascending. Ids above the mark that the read skipped (below the greatest it returned)
   * become gaps: the read saw everything committed in that span, so what is missing is in flight.
   */
  accept(ids: readonly bigint[], now: number): bigint[] {
    const fresh: bigint[] = [];
    const sorted = [...new Set(ids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const id of sorted) {
      if (id > this.mark) {
        if (id > this.mark + 1n) this.ranges.push({ from: this.mark + 1n, to: id - 1n, since: now });
        this.mark = id;
        fresh.push(id);
      } else if (this.fill(id)) {
        fresh.push(id);
      }
    }
    if (this.ranges.length > this.maxRanges) this.ranges.splice(0, this.ranges.length - this.maxRanges);
    return fresh;
  }

  /** Abandons the gaps noticed before `olderThan`; answers how many ids they spanned. */
  expire(olderThan: number): bigint {
    let dropped = 0n;
    this.ranges = this.ranges.filter((r) => {
      if (r.since >= olderThan) return true;
      dropped += r.to - r.from + 1n;
      return false;
    });
    return dropped;
  }

  /** Takes `id` out of the gap holding it, splitting the gap; false when no gap holds it (seen, or abandoned). */
  private fill(id: bigint): boolean {
    // The ranges are disjoint and ascending (made above the mark in order, split in place): a binary search.
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.ranges[mid].to < id) lo = mid + 1;
      else hi = mid - 1;
    }
    const i = lo;
    const r = this.ranges[i];
    if (!r || r.from > id) return false;
    const parts: IdRange[] = [];
    if (r.from < id) parts.push({ from: r.from, to: id - 1n, since: r.since });
    if (id < r.to) parts.push({ from: id + 1n, to: r.to, since: r.since });
    this.ranges.splice(i, 1, ...parts);
    return true;
  }
}
