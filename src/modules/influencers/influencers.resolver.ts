import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ApiKeyScope, Role, requirePrincipal, requireUser, scope, type RequestContext } from '../../core/context';
import type { ModuleContext } from '../loaders';
import { Network } from './network';
import { User } from '../accounts/user.entity';
import { ConnectSocialAccountResult, UpdateMyProfileResult, VerifySocialAccountResult } from './influencers.errors';
import { InfluencersService } from './influencers.service';
import { ConnectSocialAccountInput, DisconnectedSocialAccount, UpdateMyProfileInput } from './influencers.types';
import { Influencer } from './influencer.entity';
import { SocialAccount, SocialAccountStatus, SocialAccountVerification } from './social-account.entity';

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

  @FieldResolver(() => [SocialAccount], {
    description: 'The accounts proven to be theirs; the influencer and operators also see links not proven yet, or revoked',
  })
  async socialAccounts(@Root() influencer: Influencer, @Ctx() ctx: ModuleContext): Promise<SocialAccount[]> {
    const accounts = await ctx.loaders.socialAccounts.load(influencer.id);
    const p = ctx.principal;
    const everyLink = p?.kind === 'user' && (p.role === Role.ADMIN || (influencer.userId !== null && p.userId === influencer.userId));
    return everyLink ? accounts : accounts.filter((a) => a.status === SocialAccountStatus.VERIFIED);
  }

  @Authorized(Role.INFLUENCER)
  @Mutation(() => ConnectSocialAccountResult, {
    description:
      'Links an account to your profile as PENDING, with a code to put in its bio (see SocialAccount.verification); ' +
      'connecting it again refreshes the figures you declared, which are shown to you and never feed the score',
  })
  connectSocialAccount(
    @Arg('input', () => ConnectSocialAccountInput) input: ConnectSocialAccountInput,
    @Ctx() ctx: RequestContext,
  ): Promise<typeof ConnectSocialAccountResult> {
    return this.influencers.connectSocialAccount(requireUser(ctx).userId, input);
  }

  @Authorized(Role.INFLUENCER)
  @Mutation(() => DisconnectedSocialAccount, {
    description:
      'Unlinks one of your accounts (NOT_FOUND for any other id). A proven account stops counting toward your score from the ' +
      'next run, and for network targeting at once; its proof goes with the link. The account stays in the interaction graph, ' +
      "so nobody else's score moves.",
  })
  disconnectSocialAccount(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<DisconnectedSocialAccount> {
    return this.influencers.disconnectSocialAccount(requireUser(ctx).userId, id, ctx.log);
  }

  @Authorized(Role.INFLUENCER)
  @Mutation(() => UpdateMyProfileResult, {
    description:
      'Changes your display name, country or language (omitted: unchanged; null clears country or language). ' +
      'Targeting by country and language uses the new values at once.',
  })
  updateMyProfile(
    @Arg('input', () => UpdateMyProfileInput) input: UpdateMyProfileInput,
    @Ctx() ctx: RequestContext,
  ): Promise<typeof UpdateMyProfileResult> {
    return this.influencers.updateMyProfile(requireUser(ctx).userId, input, ctx.log);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => VerifySocialAccountResult, {
    description:
      "An operator's check that the account is its influencer's: the link becomes VERIFIED (method OPERATOR) and " +
      "every other influencer's link to the account REVOKED. HandleTakenError when another influencer proved the account through its bio.",
  })
  verifySocialAccount(@Arg('id', () => ID) id: string): Promise<typeof VerifySocialAccountResult> {
    return this.influencers.verifySocialAccount(id);
  }
}

@Resolver(() => SocialAccount)
export class SocialAccountResolver {
  @FieldResolver(() => SocialAccountVerification)
  async verification(@Root() account: SocialAccount, @Ctx() ctx: ModuleContext): Promise<SocialAccountVerification> {
    // The code proves ownership to whoever holds it: only the account's own influencer sees it.
    let code: string | null = null;
    const p = ctx.principal;
    if (account.verificationCode !== null && p?.kind === 'user' && p.role === Role.INFLUENCER) {
      const own = await ctx.loaders.influencerIdOfUser.load(p.userId);
      if (own === account.influencerId) code = account.verificationCode;
    }
    return Object.assign(new SocialAccountVerification(), {
      status: account.status,
      code,
      verifiedAt: account.verifiedAt,
      method: account.verificationMethod,
    });
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
