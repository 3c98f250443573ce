import type { JobDefinition } from '../../../core/queues';
import type { JobDeps } from '../../job-types';

declare module '../../../core/queues' {
  interface JobPayloads {
    'notify-expiring-offers': Record<string, never>;
  }
}

/** Every 5 minutes: influencers are told once about each open offer that expires within 24 h. Idempotent (a marker per offer). */
export const notifyExpiringOffersJob: JobDefinition<'notify-expiring-offers', Record<string, never>, JobDeps> = {
  name: 'notify-expiring-offers',
  queue: 'maintenance',
  schedule: () => ({ id: 'notify-expiring-offers', pattern: '*/5 * * * *' }),
  handler: async (_data, deps) => ({ notified: await deps.services.matching.notifyExpiringOffers() }),
};
