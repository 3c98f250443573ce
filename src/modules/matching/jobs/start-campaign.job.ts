import type { JobDefinition } from '../../../core/queues';
import type { JobDeps } from '../../job-types';

declare module '../../../core/queues' {
  interface JobPayloads {
    'start-campaign': { campaignId: string };
  }
}

/**
 * Delayed until a launched campaign's startsAt (MatchingService.scheduleStart), then matches it,
 * so its offers go out when it starts rather than at the next score run. Lost with Redis, the
 * timer is set again by the recovery rematch (MatchingService.matchAllActive).
 */
export const startCampaignJob: JobDefinition<'start-campaign', { campaignId: string }, JobDeps> = {
  name: 'start-campaign',
  queue: 'matching',
  handler: (data, deps, ctx) => deps.services.matching.startCampaign(data.campaignId, ctx.log),
};
