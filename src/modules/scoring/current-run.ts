import type { DataSource } from 'typeorm';
import { TtlCache } from '../../core/ttl-cache';

export interface CurrentRun {
  id: number;
  runDate: string;
}

/** How long a process trusts the current run it read, when no switch was seen in this process. */
export const CURRENT_RUN_TTL_MS = 1_000;

/**
 * The current score run, as this process last read it. Every search and score read needs it, and
 * it changes once a night: reading it once a second instead of once per request takes a round
 * trip off every request. A switch made in this process clears it at once; a switch made by
 * another process (the worker) is seen within CURRENT_RUN_TTL_MS, during which requests keep
 * reading the previous snapshot whole (each request still resolves the run once, so one answer
 * never mixes two snapshots).
 */
export class CurrentRunCache {
  private readonly cache: TtlCache<'current', Promise<CurrentRun | null>>;

  constructor(
    private readonly dataSource: DataSource,
    ttlMs = CURRENT_RUN_TTL_MS,
  ) {
    this.cache = new TtlCache(ttlMs, 1);
  }

  get(): Promise<CurrentRun | null> {
    return this.cache.getOrLoad('current', () =>
      this.dataSource
        .query(`SELECT id, to_char(run_date, 'YYYY-MM-DD') AS "runDate" FROM score_runs WHERE is_current`)
        .then((rows: CurrentRun[]) => rows[0] ?? null),
    );
  }

  /** Forgets the cached run (called after this process switched snapshots). */
  invalidate(): void {
    this.cache.delete('current');
  }
}
