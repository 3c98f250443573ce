import { ArrayMaxSize, ArrayNotEmpty, IsOptional, IsUUID, MaxLength } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, PageArgs } from '../../core/connection';
import { InputText } from '../../core/input-text';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookEventType } from './webhook-events';
import { MAX_WEBHOOK_URL_LENGTH } from './url-guard';

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}
registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description:
    'PENDING: not delivered yet (retries ahead); SUCCEEDED: a 2xx answer; FAILED: given up (retry window over, or endpoint disabled)',
});

const URL_MESSAGE = { message: `url must be at most ${MAX_WEBHOOK_URL_LENGTH} characters` };
const DESCRIPTION_MESSAGE = { message: 'description must be at most 500 characters' };

@InputType({ description: 'A new webhook endpoint of a brand or agency you belong to' })
export class CreateWebhookEndpointInput {
  @Field(() => ID, { description: 'The brand or agency the endpoint belongs to' })
  @IsUUID('all', { message: 'organizationId must be an organisation id' })
  organizationId: string;

  @Field(() => String, { description: 'Where events are POSTed: https, reachable from the internet' })
  @MaxLength(MAX_WEBHOOK_URL_LENGTH, URL_MESSAGE)
  url: string;

  @Field(() => [WebhookEventType], { description: 'The events to receive' })
  @ArrayNotEmpty({ message: 'events must name at least one event type' })
  @ArrayMaxSize(20, { message: 'events may name at most 20 event types' })
  events: WebhookEventType[];

  @Field(() => String, { nullable: true, description: 'A note for people (what listens there)' })
  @IsOptional()
  @MaxLength(500, DESCRIPTION_MESSAGE)
  @InputText('free')
  description?: string;
}

@InputType({ description: 'Changes to a webhook endpoint; omitted fields stay as they are' })
export class UpdateWebhookEndpointInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(MAX_WEBHOOK_URL_LENGTH, URL_MESSAGE)
  url?: string;

  @Field(() => [WebhookEventType], { nullable: true })
  @IsOptional()
  @ArrayNotEmpty({ message: 'events, when given, must name at least one event type' })
  @ArrayMaxSize(20, { message: 'events may name at most 20 event types' })
  events?: WebhookEventType[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500, DESCRIPTION_MESSAGE)
  @InputText('free')
  description?: string;

  @Field(() => Boolean, {
    nullable: true,
    description: 'false disables the endpoint (its pending deliveries fail); true enables it again (also after an automatic disable)',
  })
  @IsOptional()
  enabled?: boolean;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true replaces the signing secret (returned once, in the answer); the old one stops working at once',
  })
  @IsOptional()
  rotateSecret?: boolean;
}

@ObjectType({ description: 'A new endpoint and its signing secret, shown this once' })
export class WebhookEndpointCreated {
  @Field(() => WebhookEndpoint)
  endpoint: WebhookEndpoint;

  @Field(() => String, { description: 'Verify X-Perks-Signature with it; it is not shown again' })
  secret: string;
}

@ObjectType({ description: 'The endpoint as changed; `secret` only when rotateSecret was asked (shown this once)' })
export class WebhookEndpointUpdated {
  @Field(() => WebhookEndpoint)
  endpoint: WebhookEndpoint;

  @Field(() => String, { nullable: true })
  secret: string | null;
}

@ObjectType({ description: 'One event for one endpoint, with its delivery attempts so far', simpleResolvers: true })
export class WebhookDelivery {
  @Field(() => ID)
  id: string;

  @Field(() => ID, { description: 'Also sent as X-Perks-Event-Id' })
  eventId: string;

  @Field(() => WebhookEventType)
  eventType: WebhookEventType;

  @Field(() => WebhookDeliveryStatus)
  status: WebhookDeliveryStatus;

  @Field(() => Int)
  attempts: number;

  @Field(() => Int, { nullable: true, description: 'HTTP status of the last answer (null: none, e.g. a timeout)' })
  lastResponseCode: number | null;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed, briefly' })
  lastError: string | null;

  @Field(() => Date, { nullable: true })
  lastAttemptAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the next attempt is due (PENDING only)' })
  nextAttemptAt: Date | null;

  @Field(() => Date, { nullable: true })
  deliveredAt: Date | null;

  @Field(() => Date)
  createdAt: Date;
}

@ObjectType()
export class WebhookDeliveryConnection extends Connection(WebhookDelivery) {}

@ArgsType()
export class WebhookDeliveriesArgs extends PageArgs {
  @Field(() => ID)
  endpointId: string;

  @Field(() => WebhookDeliveryStatus, { nullable: true })
  status?: WebhookDeliveryStatus;
}
