import { createUnionType, Field, Int, ObjectType } from 'type-graphql';
import { ErrorCode, ErrorResult } from '../../core/errors';
import { EligibilityReason } from '../campaigns/campaigns.types';
import { Claim } from './claim.entity';

@ObjectType({ implements: ErrorResult })
export class SoldOutError extends ErrorResult {
  constructor() {
    super(ErrorCode.SOLD_OUT, 'Every unit of this perk has been claimed');
  }
}

@ObjectType({ implements: ErrorResult })
export class OfferExpiredError extends ErrorResult {
  constructor() {
    super(ErrorCode.OFFER_EXPIRED, 'This offer has expired');
  }
}

@ObjectType({ implements: ErrorResult })
export class OfferWithdrawnError extends ErrorResult {
  constructor() {
    super(ErrorCode.OFFER_WITHDRAWN, 'This offer was withdrawn: you no longer meet the targeting, or the campaign is over');
  }
}

@ObjectType({ implements: ErrorResult })
export class OfferDeclinedError extends ErrorResult {
  constructor() {
    super(ErrorCode.OFFER_DECLINED, 'You declined this offer');
  }
}

@ObjectType({ implements: ErrorResult })
export class AlreadyClaimedError extends ErrorResult {
  constructor() {
    super(ErrorCode.ALREADY_CLAIMED, 'You already claimed this perk');
  }
}

@ObjectType({ implements: ErrorResult })
export class NotEligibleError extends ErrorResult {
  @Field(() => [EligibilityReason])
  reasons: EligibilityReason[];

  constructor(reasons: EligibilityReason[]) {
    super(ErrorCode.NOT_ELIGIBLE, `You no longer meet this campaign's targeting: ${reasons.map((r) => r.message).join('; ')}`);
    this.reasons = reasons;
  }
}

@ObjectType({ implements: ErrorResult })
export class CampaignNotActiveError extends ErrorResult {
  constructor(message = 'The campaign is not running now (paused, not started yet, or over)') {
    super(ErrorCode.CAMPAIGN_NOT_ACTIVE, message);
  }
}

@ObjectType({ implements: ErrorResult })
export class BudgetExhaustedError extends ErrorResult {
  constructor() {
    super(ErrorCode.BUDGET_EXHAUSTED, "The campaign's budget cannot cover one more unit of this perk");
  }
}

@ObjectType({ implements: ErrorResult })
export class ClaimCapReachedError extends ErrorResult {
  @Field(() => Int, { description: "The brand's limit on the active claims one influencer holds across its campaigns" })
  limit: number;

  constructor(limit: number) {
    super(
      ErrorCode.CLAIM_CAP_REACHED,
      `You hold ${limit} active claim${limit === 1 ? '' : 's'} of this brand's perks, its limit: redeem or cancel one before claiming another`,
    );
    this.limit = limit;
  }
}

@ObjectType({ implements: ErrorResult })
export class IdempotencyKeyReusedError extends ErrorResult {
  constructor() {
    super(ErrorCode.IDEMPOTENCY_KEY_REUSED, 'This idempotency key was used for another offer: use a new key for each claim');
  }
}

@ObjectType({ implements: ErrorResult })
export class AlreadyRedeemedError extends ErrorResult {
  constructor() {
    super(ErrorCode.ALREADY_REDEEMED, 'This code was already redeemed');
  }
}

@ObjectType({ implements: ErrorResult })
export class ClaimCancelledError extends ErrorResult {
  constructor() {
    super(ErrorCode.CLAIM_CANCELLED, 'This claim was cancelled');
  }
}

@ObjectType({ implements: ErrorResult })
export class InvalidCodeError extends ErrorResult {
  constructor() {
    // The same answer for an unknown code and another brand's code, so codes cannot be probed.
    super(ErrorCode.INVALID_CODE, 'No claim with this code in your campaigns');
  }
}

export const ClaimOfferResult = createUnionType({
  name: 'ClaimOfferResult',
  types: () =>
    [
      Claim,
      SoldOutError,
      OfferExpiredError,
      OfferWithdrawnError,
      OfferDeclinedError,
      AlreadyClaimedError,
      NotEligibleError,
      CampaignNotActiveError,
      BudgetExhaustedError,
      ClaimCapReachedError,
      IdempotencyKeyReusedError,
    ] as const,
});

export const CancelClaimResult = createUnionType({
  name: 'CancelClaimResult',
  types: () => [Claim, AlreadyRedeemedError, ClaimCancelledError] as const,
});

export const RedeemClaimResult = createUnionType({
  name: 'RedeemClaimResult',
  types: () => [Claim, AlreadyRedeemedError, ClaimCancelledError, InvalidCodeError] as const,
});

/** Every error claimOffer can answer, by code: a stored first answer is replayed from its code. */
export type ClaimFailure =
  | SoldOutError
  | OfferExpiredError
  | OfferWithdrawnError
  | OfferDeclinedError
  | AlreadyClaimedError
  | NotEligibleError
  | CampaignNotActiveError
  | BudgetExhaustedError
  | ClaimCapReachedError;

/** What is stored for an idempotency key that got a failure: enough for claimFailureFrom to rebuild it. */
export interface StoredFailure {
  errorCode: string;
  message: string;
  reasons?: EligibilityReason[];
  limit?: number;
}

export function storedFailure(failure: ClaimFailure): StoredFailure {
  return {
    errorCode: failure.errorCode,
    message: failure.message,
    ...(failure instanceof NotEligibleError ? { reasons: failure.reasons } : {}),
    ...(failure instanceof ClaimCapReachedError ? { limit: failure.limit } : {}),
  };
}

type ClaimFailureCode =
  | ErrorCode.SOLD_OUT
  | ErrorCode.OFFER_EXPIRED
  | ErrorCode.OFFER_WITHDRAWN
  | ErrorCode.OFFER_DECLINED
  | ErrorCode.ALREADY_CLAIMED
  | ErrorCode.NOT_ELIGIBLE
  | ErrorCode.CAMPAIGN_NOT_ACTIVE
  | ErrorCode.BUDGET_EXHAUSTED
  | ErrorCode.CLAIM_CAP_REACHED;

/** How each stored code is rebuilt, one entry per ClaimFailure (a code without one compiles to an error here). */
const REBUILD: Record<ClaimFailureCode, (stored: StoredFailure) => ClaimFailure> = {
  [ErrorCode.SOLD_OUT]: () => new SoldOutError(),
  [ErrorCode.OFFER_EXPIRED]: () => new OfferExpiredError(),
  [ErrorCode.OFFER_WITHDRAWN]: () => new OfferWithdrawnError(),
  [ErrorCode.OFFER_DECLINED]: () => new OfferDeclinedError(),
  [ErrorCode.ALREADY_CLAIMED]: () => new AlreadyClaimedError(),
  [ErrorCode.NOT_ELIGIBLE]: (s) => new NotEligibleError((s.reasons ?? []).map((r) => Object.assign(new EligibilityReason(), r))),
  [ErrorCode.CAMPAIGN_NOT_ACTIVE]: () => new CampaignNotActiveError(),
  [ErrorCode.BUDGET_EXHAUSTED]: () => new BudgetExhaustedError(),
  [ErrorCode.CLAIM_CAP_REACHED]: (s) => new ClaimCapReachedError(s.limit ?? 0),
};

/** Rebuilds a stored first answer; a code that is not a claim failure is a defect, not a default. */
export function claimFailureFrom(stored: StoredFailure): ClaimFailure {
  const rebuild = REBUILD[stored.errorCode as keyof typeof REBUILD];
  if (!rebuild) throw new Error(`stored claim answer with an unknown error code ${stored.errorCode}`);
  const failure = rebuild(stored);
  failure.message = stored.message;
  return failure;
}
