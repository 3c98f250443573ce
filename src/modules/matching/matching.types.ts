import { ArgsType, Field, ID, Int, ObjectType } from 'type-graphql';
import { Connection, PageArgs } from '../../core/connection';
import { Offer, OfferStatus } from './offer.entity';
import { NoOfferReason } from './offer-rules';

@ObjectType()
export class OfferConnection extends Connection(Offer) {}

@ArgsType()
export class MyOffersArgs extends PageArgs {
  @Field(() => OfferStatus, { nullable: true })
  status?: OfferStatus;
}

@ObjectType({ description: "A campaign's funnel; the units always add up: inventory - remaining = claimed" })
export class CampaignStats {
  @Field(() => Int, { description: 'Offers made, whatever became of them' })
  offered: number;

  @Field(() => Int, { description: 'Offers open now' })
  outstanding: number;

  @Field(() => Int, { description: 'Units held by claims (active or redeemed)' })
  claimed: number;

  @Field(() => Int)
  redeemed: number;

  @Field(() => Int, { description: 'Claims cancelled (their units went back)' })
  cancelled: number;

  @Field(() => Int)
  expired: number;

  @Field(() => Int)
  declined: number;

  @Field(() => Int)
  withdrawn: number;

  @Field(() => Int)
  remaining: number;
}

@ObjectType({ description: "An offer as its campaign's managers see it in eligibility" })
export class OfferSummary {
  @Field(() => ID)
  id: string;

  @Field(() => OfferStatus)
  status: OfferStatus;

  @Field(() => Date)
  offeredAt: Date;

  @Field(() => Date)
  expiresAt: Date;

  @Field(() => Date, { nullable: true })
  closedAt: Date | null;
}

@ObjectType({ description: 'Whether an influencer has an open offer of a campaign, and if not, why (the rules the matcher follows)' })
export class OfferState {
  @Field(() => Boolean)
  hasOpenOffer: boolean;

  @Field(() => OfferSummary, { nullable: true, description: 'The offer made, open or closed; null when none was made' })
  offer: OfferSummary | null;

  @Field(() => NoOfferReason, { nullable: true, description: 'Why there is no open offer; null when there is one' })
  reason: NoOfferReason | null;

  @Field(() => String, { nullable: true })
  message: string | null;
}
