import { createUnionType, ObjectType } from 'type-graphql';
import { ErrorCode, ErrorResult } from '../../core/errors';
import { WebhookEndpointCreated, WebhookEndpointUpdated } from './webhooks.types';

@ObjectType({ implements: ErrorResult })
export class InvalidWebhookUrlError extends ErrorResult {
  constructor(message: string) {
    super(ErrorCode.INVALID_WEBHOOK_URL, message);
  }
}

export const CreateWebhookEndpointResult = createUnionType({
  name: 'CreateWebhookEndpointResult',
  types: () => [WebhookEndpointCreated, InvalidWebhookUrlError] as const,
});

export const UpdateWebhookEndpointResult = createUnionType({
  name: 'UpdateWebhookEndpointResult',
  types: () => [WebhookEndpointUpdated, InvalidWebhookUrlError] as const,
});
