import type { JobDefinition } from '../../../core/queues';
import type { JobDeps } from '../../job-types';

declare module '../../../core/queues' {
  interface JobPayloads {
    'match-campaign': { campaignId: string };
  }
}

/** Matches one campaign (see MatchingService). Safe to run twice: offers are unique per (campaign, influencer). */
export const matchCampaignJob: JobDefinition<'match-campaign', { campaignId: string }, JobDeps> = {
  name: 'match-campaign',
  queue: 'matching',
  handler: (data, deps, ctx) => deps.services.matching.matchCampaign(data.campaignId, ctx.log),
};
