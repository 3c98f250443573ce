import type { JobDefinition } from '../../../core/queues';
import type { JobDeps } from '../../job-types';

declare module '../../../core/queues' {
  interface JobPayloads {
    'deliver-webhooks': { endpointId: string };
  }
}

/**
 * Delivers one endpoint's ready deliveries in order (see WebhookDeliverer). Safe to run twice: a
 * lease on the endpoint row lets one runner at a time work, and each delivery is marked once.
 */
export const deliverWebhooksJob: JobDefinition<'deliver-webhooks', { endpointId: string }, JobDeps> = {
  name: 'deliver-webhooks',
  queue: 'webhooks',
  handler: (data, deps, ctx) => deps.services.webhooks.deliverEndpoint(data.endpointId, ctx.log),
};
