import type { JobDefinition } from '../../../core/queues';
import type { JobDeps } from '../../job-types';

declare module '../../../core/queues' {
  interface JobPayloads {
    'sweep-email': Record<string, never>;
  }
}

/**
 * Every minute (EMAIL_SWEEP_CRON) while SMTP_URL is set, and once when Redis lost its jobs: due
 * offer notifications become one digest per person in the outbox, and every PENDING digest is
 * asked for (see EmailService). Without SMTP_URL the scheduler is removed and nothing is collected.
 */
export const sweepEmailJob: JobDefinition<'sweep-email', Record<string, never>, JobDeps> = {
  name: 'sweep-email',
  queue: 'maintenance',
  schedule: (deps) => ({ id: 'sweep-email', pattern: deps.env.EMAIL_SWEEP_CRON, enabled: Boolean(deps.env.SMTP_URL) }),
  recover: true,
  handler: (_data, deps) => deps.services.email.sweep(),
};
