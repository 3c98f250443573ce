import { Arg, Args, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import { ApiKeyScope, Role, requirePrincipal, scope } from '../../core/context';
import type { ModuleContext } from '../loaders';
import { AgenciesService } from './agencies.service';
import { Eligibility, EligibleInfluencersArgs, InfluencerConnection } from './agencies.types';

@Resolver()
export class AgenciesResolver {
  constructor(private readonly agencies: AgenciesService) {}

  @Authorized(Role.ADMIN, Role.BRAND, Role.AGENCY, scope(ApiKeyScope.SEARCH))
  @Query(() => InfluencerConnection, {
    description: 'Opted-in influencers of the current score run who meet the targeting, best first (keyset pages)',
  })
  eligibleInfluencers(
    @Args(() => EligibleInfluencersArgs) args: EligibleInfluencersArgs,
    @Ctx() ctx: ModuleContext,
  ): Promise<InfluencerConnection> {
    return this.agencies.eligibleInfluencers(ctx.loaders.scores, args);
  }

  @Authorized(Role.ADMIN, Role.BRAND, Role.AGENCY, scope(ApiKeyScope.CAMPAIGNS))
  @Query(() => Eligibility, { description: "Whether an influencer meets a campaign's targeting now, with every failed condition" })
  eligibility(
    @Arg('campaignId', () => ID) campaignId: string,
    @Arg('influencerId', () => ID) influencerId: string,
    @Ctx() ctx: ModuleContext,
  ): Promise<Eligibility> {
    return this.agencies.eligibility(requirePrincipal(ctx), ctx.loaders.scores, campaignId, influencerId);
  }
}
