import type { JobDefinition } from '../../../core/queues';
import type { JobDeps } from '../../job-types';

/** Enqueued by a score run after its switch (payload declared in scoring's recompute-scores job): rematch every live campaign. */
export const scoreRunCompletedJob: JobDefinition<'score-run-completed', { runId: number }, JobDeps> = {
  name: 'score-run-completed',
  queue: 'matching',
  handler: async (_data, deps) => ({ campaigns: await deps.services.matching.matchAllActive() }),
};
