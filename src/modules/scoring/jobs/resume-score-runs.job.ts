import type { JobDefinition } from '../../../core/queues';
import type { JobDeps } from '../../job-types';

declare module '../../../core/queues' {
  interface JobPayloads {
    'resume-score-runs': Record<string, never>;
  }
}

/**
 * Runs requested or computing in Postgres whose job is gone (Redis lost it) are enqueued again;
 * those whose job died for good are marked FAILED. After Redis lost its data, and every 10 minutes.
 */
export const resumeScoreRunsJob: JobDefinition<'resume-score-runs', Record<string, never>, JobDeps> = {
  name: 'resume-score-runs',
  queue: 'scoring',
  recover: true,
  schedule: () => ({ id: 'resume-score-runs', pattern: '*/10 * * * *' }),
  handler: (_data, deps) => deps.services.scoring.resumeRuns(),
};
