import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ApiKeyScope, Role, requireUser, scope } from '../../core/context';
import { Campaign, Perk } from '../campaigns/campaign.entity';
import { Claim } from '../claims/claim.entity';
import type { ModuleContext } from '../loaders';
import { DeclineOfferResult } from './matching.errors';
import { MatchingService } from './matching.service';
import { CampaignStats, MyOffersArgs, OfferConnection } from './matching.types';
import { Offer } from './offer.entity';

@Resolver(() => Offer)
export class OfferResolver {
  constructor(private readonly matching: MatchingService) {}

  @Authorized(Role.INFLUENCER)
  @Query(() => OfferConnection, { description: 'Perks offered to you, newest first' })
  myOffers(@Args(() => MyOffersArgs) args: MyOffersArgs, @Ctx() ctx: ModuleContext): Promise<OfferConnection> {
    return this.matching.myOffers(requireUser(ctx).userId, args);
  }

  @Authorized(Role.INFLUENCER)
  @Mutation(() => DeclineOfferResult, { description: 'Declines an open offer; the unit is offered to someone else' })
  declineOffer(@Arg('offerId', () => ID) offerId: string, @Ctx() ctx: ModuleContext): Promise<typeof DeclineOfferResult> {
    return this.matching.declineOffer(requireUser(ctx).userId, offerId);
  }

  @FieldResolver(() => String, { description: "The campaign's name" })
  async campaignName(@Root() offer: Offer, @Ctx() ctx: ModuleContext): Promise<string> {
    return (await ctx.loaders.matching.campaigns.load(offer.campaignId))!.name;
  }

  @FieldResolver(() => Perk)
  async perk(@Root() offer: Offer, @Ctx() ctx: ModuleContext): Promise<Perk> {
    return (await ctx.loaders.matching.campaigns.load(offer.campaignId))!.perk;
  }

  @FieldResolver(() => Date, { description: 'When the campaign ends' })
  async campaignEndsAt(@Root() offer: Offer, @Ctx() ctx: ModuleContext): Promise<Date> {
    return (await ctx.loaders.matching.campaigns.load(offer.campaignId))!.endsAt;
  }

  @FieldResolver(() => Claim, { nullable: true, description: 'Your claim, once claimed' })
  claim(@Root() offer: Offer, @Ctx() ctx: ModuleContext): Promise<Claim | null> {
    return ctx.loaders.matching.claimsByOffer.load(offer.id);
  }
}

@Resolver(() => Campaign)
export class CampaignStatsResolver {
  @Authorized(Role.ADMIN, Role.BRAND, Role.AGENCY, scope(ApiKeyScope.CAMPAIGNS))
  @FieldResolver(() => CampaignStats)
  async stats(@Root() campaign: Campaign, @Ctx() ctx: ModuleContext): Promise<CampaignStats> {
    const stats = await ctx.loaders.matching.campaignStats.load(campaign.id);
    return Object.assign(new CampaignStats(), stats, { remaining: campaign.remaining });
  }
}
