import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, type ContainerType, type PubSub } from 'type-graphql';
import { ErrorResult } from '../core/errors';
import { OrganizationResolver, UserResolver } from '../modules/accounts/accounts.resolver';
import { ApiKeyResolver } from '../modules/accounts/api-key.resolver';
import { AgenciesResolver } from '../modules/agencies/agencies.resolver';
import { CampaignClaimsResolver, ClaimLedgerResolver } from '../modules/claims/claims-ledger.resolver';
import { ClaimResolver } from '../modules/claims/claims.resolver';
import { CampaignStatsResolver, OfferResolver } from '../modules/matching/matching.resolver';
import { BrandSettingsResolver } from '../modules/campaigns/brand-settings.resolver';
import { CampaignResolver } from '../modules/campaigns/campaigns.resolver';
import { ActivityResolver } from '../modules/activity/activity.resolver';
import { InfluencerResolver, SocialAccountResolver, UserInfluencerResolver } from '../modules/influencers/influencers.resolver';
import { NotificationsResolver } from '../modules/notifications/notifications.resolver';
import { OperationsResolver } from '../modules/operations/operations.resolver';
import { PrivacyResolver } from '../modules/privacy/privacy.resolver';
import { InfluencerScoreResolver } from '../modules/scoring/influencer-score.resolver';
import { ScoringResolver } from '../modules/scoring/scoring.resolver';
import type { Services } from '../modules/services';
import { TopicResolver } from '../modules/topics/topics.resolver';
import { WebhooksResolver } from '../modules/webhooks/webhooks.resolver';
import { authChecker } from './auth-checker';
import { validateArguments } from './validation';

/** For a schema that is only printed (emit-schema): subscribing to it is a bug. */
export const NO_PUBSUB: PubSub = {
  publish: () => undefined,
  subscribe: () => {
    throw new Error('This schema was built without a live feed');
  },
};

/** Resolvers are constructed here with their services: a tiny container, no DI framework. */
function resolverInstances(services: Services) {
  return [
    new UserResolver(services.accounts),
    new OrganizationResolver(services.accounts),
    new ApiKeyResolver(services.accounts),
    new ActivityResolver(services.activity),
    new CampaignResolver(services.campaigns),
    new BrandSettingsResolver(services.campaigns),
    new AgenciesResolver(services.agencies),
    new OfferResolver(services.matching),
    new CampaignStatsResolver(),
    new ClaimResolver(services.claims),
    new CampaignClaimsResolver(services.claimsLedger),
    new ClaimLedgerResolver(services.claimsLedger),
    new InfluencerResolver(services.influencers),
    new UserInfluencerResolver(services.influencers),
    new SocialAccountResolver(),
    new NotificationsResolver(services.notifications),
    new OperationsResolver(services.operations),
    new PrivacyResolver(services.privacy, services.consent, services.dataExport),
    new ScoringResolver(services.scoring),
    new InfluencerScoreResolver(),
    new TopicResolver(services.topics),
    new WebhooksResolver(services.webhooks),
  ];
}

/** `pubSub`: where subscriptions listen (api/live-feed.ts). */
export async function buildApiSchema(services: Services, pubSub: PubSub): Promise<GraphQLSchema> {
  const instances = resolverInstances(services);
  const byClass = new Map<Function, object>(instances.map((r) => [r.constructor, r]));
  const container: ContainerType = {
    get: (someClass) => {
      const instance = byClass.get(someClass as Function);
      if (!instance) throw new Error(`No instance registered for ${(someClass as Function).name}`);
      return instance;
    },
  };
  return buildSchema({
    resolvers: instances.map((r) => r.constructor) as [Function, ...Function[]],
    orphanedTypes: [ErrorResult],
    container,
    authChecker,
    validateFn: validateArguments,
    pubSub,
  });
}

/** The SDL as committed in schema/schema.graphql: sorted, so diffs show real changes only. */
export function printSortedSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
