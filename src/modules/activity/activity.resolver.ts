import { Arg, Authorized, Mutation, Resolver } from 'type-graphql';
import { ApiKeyScope, scope } from '../../core/context';
import { RateLimited, RateLimitPolicy } from '../../core/rate-limited';
import { IngestActivityResult } from './activity.errors';
import { ActivityService, MAX_BATCH_ITEMS } from './activity.service';
import { IngestActivityInput, IngestReport } from './activity.types';

@Resolver(() => IngestReport)
export class ActivityResolver {
  constructor(private readonly activity: ActivityService) {}

  @Authorized(scope(ApiKeyScope.INGEST))
  @RateLimited(RateLimitPolicy.INGEST)
  @Mutation(() => IngestActivityResult, {
    description:
      `Connectors (API key with INGEST) push up to ${MAX_BATCH_ITEMS} posts, interactions and account snapshots; ` +
      'posts and interactions are idempotent on (network, externalId), an account keeps its newest snapshot',
  })
  ingestActivity(@Arg('input', () => IngestActivityInput) input: IngestActivityInput): Promise<typeof IngestActivityResult> {
    return this.activity.ingest(input);
  }
}
