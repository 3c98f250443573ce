import type { JobDefinition } from '../../../core/queues';
import type { JobDeps } from '../../job-types';

declare module '../../../core/queues' {
  interface JobPayloads {
    'send-email': { messageId: string };
  }
}

/**
 * Sends one outbox message (a digest). Enqueued by the sweep with EMAIL_ATTEMPTS tries and
 * exponential backoff from EMAIL_RETRY_BASE_MS; the message id is the job id. Safe to run twice:
 * only a PENDING message is sent (at least once: see EmailService).
 */
export const sendEmailJob: JobDefinition<'send-email', { messageId: string }, JobDeps> = {
  name: 'send-email',
  queue: 'email',
  handler: (data, deps, ctx) => deps.services.email.send(data.messageId, ctx.attempt, ctx.log),
};
