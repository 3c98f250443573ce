import { ArgsType, Field, Int, ObjectType } from 'type-graphql';
import { Connection, PageArgs } from '../../core/connection';
import { Offer, OfferStatus } from './offer.entity';

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
