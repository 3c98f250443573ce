import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { requireUser, Role, type RequestContext } from '../../core/context';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { CreateWebhookEndpointResult, UpdateWebhookEndpointResult } from './webhooks.errors';
import { WebhooksService } from './webhooks.service';
import { CreateWebhookEndpointInput, UpdateWebhookEndpointInput, WebhookDeliveriesArgs, WebhookDeliveryConnection } from './webhooks.types';

/** People of brands and agencies (members of the endpoint's organisation) and operators; API keys have no say here. */
const MANAGERS = [Role.ADMIN, Role.BRAND, Role.AGENCY];

@Resolver(() => WebhookEndpoint)
export class WebhooksResolver {
  constructor(private readonly service: WebhooksService) {}

  @Authorized(...MANAGERS)
  @Query(() => [WebhookEndpoint], { description: "An organisation's webhook endpoints (you must belong to it)" })
  webhookEndpoints(@Arg('organizationId', () => ID) organizationId: string, @Ctx() ctx: RequestContext): Promise<WebhookEndpoint[]> {
    return this.service.list(requireUser(ctx), organizationId);
  }

  @Authorized(...MANAGERS)
  @Query(() => WebhookDeliveryConnection, { description: "An endpoint's deliveries, newest first" })
  webhookDeliveries(
    @Args(() => WebhookDeliveriesArgs) args: WebhookDeliveriesArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<WebhookDeliveryConnection> {
    return this.service.deliveries(requireUser(ctx), args);
  }

  @Authorized(...MANAGERS)
  @Mutation(() => CreateWebhookEndpointResult, {
    description: 'Adds an endpoint told about events of the brand (for an agency: of its client brands); returns its signing secret once',
  })
  createWebhookEndpoint(
    @Arg('input', () => CreateWebhookEndpointInput) input: CreateWebhookEndpointInput,
    @Ctx() ctx: RequestContext,
  ): Promise<typeof CreateWebhookEndpointResult> {
    return this.service.create(requireUser(ctx), input);
  }

  @Authorized(...MANAGERS)
  @Mutation(() => UpdateWebhookEndpointResult, { description: 'Changes an endpoint: URL, events, enabled, or a new secret' })
  updateWebhookEndpoint(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateWebhookEndpointInput) input: UpdateWebhookEndpointInput,
    @Ctx() ctx: RequestContext,
  ): Promise<typeof UpdateWebhookEndpointResult> {
    return this.service.update(requireUser(ctx), id, input);
  }

  @Authorized(...MANAGERS)
  @Mutation(() => Boolean, { description: 'Deletes an endpoint and its delivery history' })
  deleteWebhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    return this.service.delete(requireUser(ctx), id);
  }
}
