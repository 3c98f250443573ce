import type { JobDefinition } from '../../../core/queues';
import type { JobDeps } from '../../job-types';

declare module '../../../core/queues' {
  interface JobPayloads {
    'recompute-scores': { runId: number };
    /** Consumed by the matcher: every live campaign is matched against the new snapshot. */
    'score-run-completed': { runId: number };
  }
}

/**
 * Computes one score run. Safe to run twice: a finished run is a no-op; a runner that finds the run
 * lock taken does not wait, it fails with ScoreRunBusyError and BullMQ retries the job with backoff.
 */
export const recomputeScoresJob: JobDefinition<'recompute-scores', { runId: number }, JobDeps> = {
  name: 'recompute-scores',
  queue: 'scoring',
  handler: (data, deps, ctx) => deps.services.scoring.execute(data.runId, ctx.log),
};
