import { ValidateNested } from 'class-validator';
import { ArgsType, Field, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, PageArgs } from '../../core/connection';
import { EligibilityReason, TargetingInput } from '../campaigns/campaigns.types';
import { Influencer } from '../influencers/influencer.entity';
import { OfferState } from '../matching/matching.types';

export enum InfluencerOrderBy {
  SCORE = 'SCORE',
  TOPIC_SCORE = 'TOPIC_SCORE',
  REACH = 'REACH',
}
registerEnumType(InfluencerOrderBy, {
  name: 'InfluencerOrderBy',
  description: 'Highest first; TOPIC_SCORE orders by the score on `topic` (default: the first targeted topic)',
});

@ArgsType()
export class EligibleInfluencersArgs extends PageArgs {
  @Field(() => TargetingInput, { defaultValue: {} })
  @ValidateNested()
  targeting: TargetingInput;

  @Field(() => InfluencerOrderBy, { defaultValue: InfluencerOrderBy.SCORE })
  orderBy: InfluencerOrderBy;

  @Field(() => String, { nullable: true, description: 'The topic slug TOPIC_SCORE orders by' })
  topic?: string;
}

@ObjectType({ description: 'Influencers in the current score snapshot, best first' })
export class InfluencerConnection extends Connection(Influencer) {}

@ObjectType({ description: "Whether an influencer meets a campaign's targeting now, and if not, why" })
export class Eligibility {
  @Field(() => Boolean)
  eligible: boolean;

  @Field(() => [EligibilityReason], { description: 'Every failed condition; empty when eligible' })
  reasons: EligibilityReason[];

  @Field(() => String, { nullable: true, description: 'The run date of the scores checked' })
  scoredOn: string | null;

  @Field(() => OfferState, { description: 'Whether the influencer has an open offer of the campaign, and if not, why' })
  offerState: OfferState;
}
