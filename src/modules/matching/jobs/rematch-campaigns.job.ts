import type { JobDefinition } from '../../../core/queues';
import type { JobDeps } from '../../job-types';

declare module '../../../core/queues' {
  interface JobPayloads {
    'rematch-campaigns': Record<string, never>;
  }
}

/**
 * Recovery after Redis lost its jobs: which match requests were waiting is not known, so every live
 * campaign is matched once (a match is idempotent; one with nothing to do costs a few queries).
 */
export const rematchCampaignsJob: JobDefinition<'rematch-campaigns', Record<string, never>, JobDeps> = {
  name: 'rematch-campaigns',
  queue: 'matching',
  recover: true,
  handler: async (_data, deps) => ({ campaigns: await deps.services.matching.matchAllActive() }),
};
