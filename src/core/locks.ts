/**
 * Keys of the Postgres advisory locks taken by a fixed number, in one place so no two collide. Any
 * number works; it only has to be the same in every process of this service.
 */

/** Migrations run once when several processes boot at once (session lock). */
export const MIGRATION_LOCK = 7_301_001;
/** Only one score run computes at a time, across every worker process (session lock); erasure waits for it. */
export const RUN_LOCK = 7_301_002;
/** Two email sweeps at once would put one notification in two messages (transaction lock). */
export const SWEEP_LOCK = 7_301_014;
