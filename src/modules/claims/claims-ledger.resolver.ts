import { Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { CAMPAIGN_MANAGERS } from '../../core/access';
import { Role, requirePrincipal, requireUser } from '../../core/context';
import { notFound } from '../../core/errors';
import { Campaign } from '../campaigns/campaign.entity';
import type { ModuleContext } from '../loaders';
import { Offer } from '../matching/offer.entity';
import { Claim } from './claim.entity';
import { ClaimsLedger } from './claims-ledger';
import { canSeeClaim } from './claims-ledger.loaders';
import { ClaimConnection, ClaimInfluencer, ClaimsArgs } from './claims-ledger.types';

@Resolver(() => Campaign)
export class CampaignClaimsResolver {
  constructor(private readonly ledger: ClaimsLedger) {}

  /**
   * Checked here as well as where the Campaign came from: a Campaign reached some other way (today
   * only `campaign`, `campaigns` and the campaign mutations, all for its managers) still shows its
   * ledger to its managers only, with the answer `campaign(id)` gives anyone else.
   */
  @Authorized(...CAMPAIGN_MANAGERS)
  @FieldResolver(() => ClaimConnection, {
    description: "The campaign's claims, newest first, for its managers: who holds each one, never the code",
  })
  async claims(@Root() campaign: Campaign, @Args(() => ClaimsArgs) args: ClaimsArgs, @Ctx() ctx: ModuleContext): Promise<ClaimConnection> {
    if (!(await ctx.loaders.claims.managesCampaign(requirePrincipal(ctx)).load(campaign.id))) throw notFound('Campaign');
    return this.ledger.campaignClaims(campaign.id, args);
  }
}

@Resolver(() => Claim)
export class ClaimLedgerResolver {
  constructor(private readonly ledger: ClaimsLedger) {}

  @Authorized(Role.INFLUENCER)
  @Query(() => ClaimConnection, { description: 'Your claims, newest first, with their codes' })
  myClaims(@Args(() => ClaimsArgs) args: ClaimsArgs, @Ctx() ctx: ModuleContext): Promise<ClaimConnection> {
    return this.ledger.myClaims(requireUser(ctx).userId, args);
  }

  @FieldResolver(() => ClaimInfluencer, {
    nullable: true,
    description: "Who holds the claim, for its holder and the campaign's managers; null once they erased their data",
  })
  async influencer(@Root() claim: Claim, @Ctx() ctx: ModuleContext): Promise<ClaimInfluencer | null> {
    if (!(await canSeeClaim(ctx.loaders.claims, ctx.principal, claim))) return null;
    return ctx.loaders.claims.influencers.load(claim.influencerId);
  }

  @FieldResolver(() => Offer, {
    nullable: true,
    description: "The offer claimed, with the campaign's name and perk, for the holder and the campaign's managers",
  })
  async offer(@Root() claim: Claim, @Ctx() ctx: ModuleContext): Promise<Offer | null> {
    if (!(await canSeeClaim(ctx.loaders.claims, ctx.principal, claim))) return null;
    return ctx.loaders.claims.offers.load(claim.offerId);
  }
}
