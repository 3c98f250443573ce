import type { JobDefinition } from '../../../core/queues';
import type { JobDeps } from '../../job-types';

declare module '../../../core/queues' {
  interface JobPayloads {
    'expire-offers': Record<string, never>;
  }
}

/** Every minute: offers past their lifetime expire, freeing room for the next match. Idempotent. */
export const expireOffersJob: JobDefinition<'expire-offers', Record<string, never>, JobDeps> = {
  name: 'expire-offers',
  queue: 'maintenance',
  schedule: () => ({ id: 'expire-offers', pattern: '* * * * *' }),
  handler: async (_data, deps) => ({ expired: await deps.services.matching.expireOffers() }),
};
