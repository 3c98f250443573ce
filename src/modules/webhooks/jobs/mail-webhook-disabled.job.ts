import type { JobDefinition } from '../../../core/queues';
import type { JobDeps } from '../../job-types';

declare module '../../../core/queues' {
  interface JobPayloads {
    'mail-webhook-disabled': { endpointId: string };
  }
}

/**
 * Mails the managers of an organisation that one of its webhook endpoints was disabled (see
 * DisabledEndpointNotices). Retried like every mail (EMAIL_ATTEMPTS, EMAIL_RETRY_BASE_MS); once per disable.
 */
export const mailWebhookDisabledJob: JobDefinition<'mail-webhook-disabled', { endpointId: string }, JobDeps> = {
  name: 'mail-webhook-disabled',
  queue: 'email',
  handler: (data, deps, ctx) => deps.services.webhooks.notices.send(data.endpointId, ctx.log),
};
