import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ApiKeyScope, Role, requirePrincipal, requireUser, scope, type RequestContext } from '../../core/context';
import type { ModuleContext } from '../loaders';
import { Network } from './network';
import { User } from '../accounts/user.entity';
import { ConnectSocialAccountResult } from './influencers.errors';
import { InfluencersService } from './influencers.service';
import { ConnectSocialAccountInput } from './influencers.types';
import { Influencer } from './influencer.entity';
import { SocialAccount } from './social-account.entity';

@Resolver(() => Influencer)
export class InfluencerResolver {
  constructor(private readonly influencers: InfluencersService) {}

  @Authorized(Role.ADMIN, Role.BRAND, Role.AGENCY, Role.INFLUENCER, scope(ApiKeyScope.SEARCH))
  @Query(() => Influencer, { description: 'An opted-in influencer (influencers may only look up themselves)' })
  influencer(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Influencer> {
    return this.influencers.visibleInfluencer(requirePrincipal(ctx), id);
  }

  @Authorized(Role.ADMIN, Role.BRAND, Role.AGENCY, Role.INFLUENCER, scope(ApiKeyScope.SEARCH))
  @Query(() => Influencer, { description: 'The influencer who connected this account (handle matched case-insensitively)' })
  influencerByHandle(
    @Arg('network', () => Network) network: Network,
    @Arg('handle', () => String) handle: string,
    @Ctx() ctx: RequestContext,
  ): Promise<Influencer> {
    return this.influencers.visibleInfluencerByHandle(requirePrincipal(ctx), network, handle);
  }

  @FieldResolver(() => [SocialAccount])
  socialAccounts(@Root() influencer: Influencer, @Ctx() ctx: ModuleContext): Promise<SocialAccount[]> {
    return ctx.loaders.socialAccounts.load(influencer.id);
  }

  @Authorized(Role.INFLUENCER)
  @Mutation(() => ConnectSocialAccountResult, { description: 'Connects an account to your profile, or refreshes its snapshot' })
  connectSocialAccount(
    @Arg('input', () => ConnectSocialAccountInput) input: ConnectSocialAccountInput,
    @Ctx() ctx: RequestContext,
  ): Promise<typeof ConnectSocialAccountResult> {
    return this.influencers.connectSocialAccount(requireUser(ctx).userId, input);
  }
}

@Resolver(() => User)
export class UserInfluencerResolver {
  constructor(private readonly influencers: InfluencersService) {}

  @FieldResolver(() => Influencer, { nullable: true, description: 'Your influencer profile, if you signed up as one' })
  influencer(@Root() user: User): Promise<Influencer | null> {
    return this.influencers.profileOfUser(user.id);
  }
}
