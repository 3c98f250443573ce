import type { JobDefinition } from '../../../core/queues';
import type { JobDeps } from '../../job-types';

declare module '../../../core/queues' {
  interface JobPayloads {
    'sweep-webhooks': Record<string, never>;
  }
}

/**
 * Every minute (WEBHOOK_SWEEP_CRON), and once when Redis lost its jobs: delivery is asked for
 * every endpoint with a ready PENDING delivery. Postgres holds the schedule, so nothing waits
 * longer than a sweep period for a job Redis never got or lost.
 */
export const sweepWebhooksJob: JobDefinition<'sweep-webhooks', Record<string, never>, JobDeps> = {
  name: 'sweep-webhooks',
  queue: 'maintenance',
  schedule: (deps) => ({ id: 'sweep-webhooks', pattern: deps.env.WEBHOOK_SWEEP_CRON }),
  recover: true,
  handler: async (_data, deps) => ({ endpoints: await deps.services.webhooks.sweep() }),
};
