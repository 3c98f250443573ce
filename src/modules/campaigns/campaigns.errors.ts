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

@ObjectType({ implements: ErrorResult })
export class BudgetBelowSpentError extends ErrorResult {
  @Field(() => Int, { description: "Money already spent, in minor units of the perk's currency" })
  spent: number;

  constructor(spent: number) {
    super(ErrorCode.BUDGET_BELOW_SPENT, `${spent} (minor units) is already spent: the budget cannot go below ${spent}`);
    this.spent = spent;
  }
}

export const CreateCampaignResult = createUnionType({
  name: 'CreateCampaignResult',
  types: () => [Campaign, InvalidScheduleError, UnknownTopicError] as const,
});

export const UpdateCampaignResult = createUnionType({
  name: 'UpdateCampaignResult',
  types: () =>
    [
      Campaign,
      InvalidScheduleError,
      UnknownTopicError,
      InvalidCampaignStateError,
      InventoryBelowClaimedError,
      BudgetBelowSpentError,
    ] as const,
});

export const CampaignTransitionResult = createUnionType({
  name: 'CampaignTransitionResult',
  description: 'The result of launchCampaign, pauseCampaign and endCampaign',
  types: () => [Campaign, InvalidCampaignStateError, InvalidScheduleError] as const,
});
