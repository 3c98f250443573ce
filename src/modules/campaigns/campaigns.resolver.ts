import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { CAMPAIGN_MANAGERS } from '../../core/access';
import { ApiKeyScope, Role, requirePrincipal, scope, type RequestContext } from '../../core/context';
import { Campaign } from './campaign.entity';
import { CampaignTransitionResult, CreateCampaignResult, UpdateCampaignResult } from './campaigns.errors';
import { CampaignsService, targetingView } from './campaigns.service';
import { CampaignConnection, CampaignsArgs, CreateCampaignInput, TargetingView, UpdateCampaignInput } from './campaigns.types';

/** Brand members, members of agencies the brand granted, operators, and CAMPAIGNS keys of those organisations. */
const MANAGERS = CAMPAIGN_MANAGERS;

@Resolver(() => Campaign)
export class CampaignResolver {
  constructor(private readonly service: CampaignsService) {}

  @Authorized(...MANAGERS)
  @Query(() => Campaign, { description: 'A campaign you manage' })
  campaign(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Campaign> {
    return this.service.visibleCampaign(requirePrincipal(ctx), id);
  }

  @Authorized(...MANAGERS)
  @Query(() => CampaignConnection, { description: 'Campaigns you manage, newest first' })
  campaigns(@Args(() => CampaignsArgs) args: CampaignsArgs, @Ctx() ctx: RequestContext): Promise<CampaignConnection> {
    return this.service.list(requirePrincipal(ctx), args);
  }

  @Authorized(Role.BRAND, Role.AGENCY, scope(ApiKeyScope.CAMPAIGNS))
  @Mutation(() => CreateCampaignResult, { description: 'Creates a DRAFT campaign for your brand, or for a client brand of your agency' })
  createCampaign(
    @Arg('input', () => CreateCampaignInput) input: CreateCampaignInput,
    @Ctx() ctx: RequestContext,
  ): Promise<typeof CreateCampaignResult> {
    return this.service.create(requirePrincipal(ctx), input);
  }

  @Authorized(...MANAGERS)
  @Mutation(() => UpdateCampaignResult, {
    description:
      'Changes a campaign. Perk and startsAt only while DRAFT; targeting while DRAFT or PAUSED; inventory may grow, or shrink down to the units claimed; nothing once ENDED.',
  })
  updateCampaign(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateCampaignInput) input: UpdateCampaignInput,
    @Ctx() ctx: RequestContext,
  ): Promise<typeof UpdateCampaignResult> {
    return this.service.update(requirePrincipal(ctx), id, input);
  }

  @Authorized(...MANAGERS)
  @Mutation(() => CampaignTransitionResult, {
    description: 'DRAFT or PAUSED -> ACTIVE (SOLD_OUT when no unit is left); endsAt must be ahead',
  })
  launchCampaign(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<typeof CampaignTransitionResult> {
    return this.service.transition(requirePrincipal(ctx), id, 'launch');
  }

  @Authorized(...MANAGERS)
  @Mutation(() => CampaignTransitionResult, { description: 'ACTIVE or SOLD_OUT -> PAUSED' })
  pauseCampaign(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<typeof CampaignTransitionResult> {
    return this.service.transition(requirePrincipal(ctx), id, 'pause');
  }

  @Authorized(...MANAGERS)
  @Mutation(() => CampaignTransitionResult, { description: 'Any status -> ENDED, for good' })
  endCampaign(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<typeof CampaignTransitionResult> {
    return this.service.transition(requirePrincipal(ctx), id, 'end');
  }

  @FieldResolver(() => TargetingView)
  targeting(@Root() campaign: Campaign): TargetingView {
    return targetingView(campaign.targeting);
  }
}
