import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { ApiKeyScope, Role, requirePrincipal, requireUser, scope } from '../../core/context';
import { RateLimited, RateLimitPolicy } from '../../core/rate-limited';
import type { ModuleContext } from '../loaders';
import { Claim } from './claim.entity';
import { isClaimHolder } from './claims-ledger.loaders';
import { CancelClaimResult, ClaimOfferResult, RedeemClaimResult } from './claims.errors';
import { ClaimsService } from './claims.service';

@Resolver(() => Claim)
export class ClaimResolver {
  constructor(private readonly claims: ClaimsService) {}

  @Authorized(Role.INFLUENCER)
  @RateLimited(RateLimitPolicy.CLAIM)
  @Mutation(() => ClaimOfferResult, {
    description:
      'Claims one unit of an offered perk. With an idempotencyKey a retry gets the first answer back; the same key for another offer is refused.',
  })
  claimOffer(
    @Arg('offerId', () => ID) offerId: string,
    @Arg('idempotencyKey', () => String, { nullable: true, description: 'A fresh key per claim, e.g. a UUID' })
    idempotencyKey: string | undefined,
    @Ctx() ctx: ModuleContext,
  ): Promise<typeof ClaimOfferResult> {
    return this.claims.claimOffer(requireUser(ctx), offerId, idempotencyKey ?? undefined);
  }

  @Authorized(Role.INFLUENCER, Role.BRAND, Role.AGENCY, Role.ADMIN, scope(ApiKeyScope.CAMPAIGNS))
  @Mutation(() => CancelClaimResult, { description: 'Cancels an unredeemed claim (yours, or one of your campaigns) and returns its unit' })
  cancelClaim(@Arg('claimId', () => ID) claimId: string, @Ctx() ctx: ModuleContext): Promise<typeof CancelClaimResult> {
    return this.claims.cancelClaim(requirePrincipal(ctx), claimId);
  }

  @Authorized(Role.BRAND, Role.AGENCY, Role.ADMIN, scope(ApiKeyScope.REDEEM))
  @Mutation(() => RedeemClaimResult, { description: "Redeems a claim's code, once, for the campaign's brand" })
  redeemClaim(@Arg('code', () => String) code: string, @Ctx() ctx: ModuleContext): Promise<typeof RedeemClaimResult> {
    return this.claims.redeemClaim(requirePrincipal(ctx), code);
  }

  @FieldResolver(() => String, { nullable: true, description: 'The redemption code: shown to the influencer who holds the claim only' })
  async code(@Root() claim: Claim, @Ctx() ctx: ModuleContext): Promise<string | null> {
    // Batched per request: a page of claims is one lookup of the caller's profile, not one per claim.
    return (await isClaimHolder(ctx.loaders.claims, ctx.principal, claim)) ? claim.code : null;
  }
}
