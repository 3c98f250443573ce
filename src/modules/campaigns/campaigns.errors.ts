import { createUnionType, Field, Int, ObjectType } from 'type-graphql';
import { ErrorCode, ErrorResult } from '../../core/errors';
import { Campaign, CampaignStatus } from './campaign.entity';

@ObjectType({ implements: ErrorResult })
export class InvalidScheduleError extends ErrorResult {
  constructor(message: string) {
    super(ErrorCode.INVALID_SCHEDULE, message);
  }
}

@ObjectType({ implements: ErrorResult })
export class UnknownTopicError extends ErrorResult {
  @Field(() => [String])
  slugs: string[];

  constructor(slugs: string[]) {
    super(ErrorCode.UNKNOWN_TOPIC, `Unknown topic${slugs.length > 1 ? 's' : ''} ${slugs.join(', ')}: the query \`topics\` lists the slugs`);
    this.slugs = slugs;
  }
}

@ObjectType({ implements: ErrorResult })
export class InvalidCampaignStateError extends ErrorResult {
  @Field(() => CampaignStatus)
  status: CampaignStatus;

  constructor(status: CampaignStatus, message: string) {
    super(ErrorCode.INVALID_CAMPAIGN_STATE, message);
    this.status = status;
  }
}

@ObjectType({ implements: ErrorResult })
export class InventoryBelowClaimedError extends ErrorResult {
  @Field(() => Int)
  claimed: number;

  constructor(claimed: number) {
    super(ErrorCode.INVENTORY_BELOW_CLAIMED, `${claimed} units are already claimed: inventory cannot go below ${claimed}`);
    this.claimed = claimed;
  }
}

export const CreateCampaignResult = createUnionType({
  name: 'CreateCampaignResult',
  types: () => [Campaign, InvalidScheduleError, UnknownTopicError] as const,
});

export const UpdateCampaignResult = createUnionType({
  name: 'UpdateCampaignResult',
  types: () => [Campaign, InvalidScheduleError, UnknownTopicError, InvalidCampaignStateError, InventoryBelowClaimedError] as const,
});

export const CampaignTransitionResult = createUnionType({
  name: 'CampaignTransitionResult',
  description: 'The result of launchCampaign, pauseCampaign and endCampaign',
  types: () => [Campaign, InvalidCampaignStateError, InvalidScheduleError] as const,
});
