import type { JobDefinition } from '../../../core/queues';
import type { JobDeps } from '../../job-types';

declare module '../../../core/queues' {
  interface JobPayloads {
    'end-campaigns': Record<string, never>;
  }
}

/** Every minute: campaigns whose endsAt has passed end by themselves. Idempotent (a guarded UPDATE). */
export const endCampaignsJob: JobDefinition<'end-campaigns', Record<string, never>, JobDeps> = {
  name: 'end-campaigns',
  queue: 'maintenance',
  schedule: () => ({ id: 'end-campaigns', pattern: '* * * * *' }),
  handler: async (_data, deps) => ({ ended: await deps.services.campaigns.endExpired() }),
};
