import { createUnionType, Field, Int, ObjectType } from 'type-graphql';
import { failureRegistry, rebuiltBy, type FailureIn } from '../../core/error-registry';
import { ErrorCode, ErrorResult } from '../../core/errors';
import { EligibilityReason } from '../campaigns/campaigns.types';
import { Claim, ClaimStatus } from './claim.entity';

@ObjectType({ implements: ErrorResult })
export class SoldOutError extends ErrorResult<ErrorCode.SOLD_OUT> {
  constructor() {
    super(ErrorCode.SOLD_OUT, 'Every unit of this perk has been claimed');
  }
}

@ObjectType({ implements: ErrorResult })
export class OfferExpiredError extends ErrorResult<ErrorCode.OFFER_EXPIRED> {
  constructor() {
    super(ErrorCode.OFFER_EXPIRED, 'This offer has expired');
  }
}

@ObjectType({ implements: ErrorResult })
export class OfferWithdrawnError extends ErrorResult<ErrorCode.OFFER_WITHDRAWN> {
  constructor() {
    super(ErrorCode.OFFER_WITHDRAWN, 'This offer was withdrawn: you no longer meet the targeting, or the campaign is over');
  }
}

@ObjectType({ implements: ErrorResult })
export class OfferDeclinedError extends ErrorResult<ErrorCode.OFFER_DECLINED> {
  constructor() {
    super(ErrorCode.OFFER_DECLINED, 'You declined this offer');
  }
}

@ObjectType({ implements: ErrorResult })
export class AlreadyClaimedError extends ErrorResult<ErrorCode.ALREADY_CLAIMED> {
  constructor() {
    super(ErrorCode.ALREADY_CLAIMED, 'You already claimed this perk');
  }
}

@ObjectType({ implements: ErrorResult })
export class NotEligibleError extends ErrorResult<ErrorCode.NOT_ELIGIBLE> {
  @Field(() => [EligibilityReason])
  reasons: EligibilityReason[];

  constructor(reasons: EligibilityReason[]) {
    super(ErrorCode.NOT_ELIGIBLE, `You no longer meet this campaign's targeting: ${reasons.map((r) => r.message).join('; ')}`);
    this.reasons = reasons;
  }
}

@ObjectType({ implements: ErrorResult })
export class CampaignNotActiveError extends ErrorResult<ErrorCode.CAMPAIGN_NOT_ACTIVE> {
  constructor(message = 'The campaign is not running now (paused, not started yet, or over)') {
    super(ErrorCode.CAMPAIGN_NOT_ACTIVE, message);
  }
}

@ObjectType({ implements: ErrorResult })
export class BudgetExhaustedError extends ErrorResult<ErrorCode.BUDGET_EXHAUSTED> {
  constructor() {
    super(ErrorCode.BUDGET_EXHAUSTED, "The campaign's budget cannot cover one more unit of this perk");
  }
}

@ObjectType({ implements: ErrorResult })
export class ClaimCapReachedError extends ErrorResult<ErrorCode.CLAIM_CAP_REACHED> {
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
export class IdempotencyKeyReusedError extends ErrorResult<ErrorCode.IDEMPOTENCY_KEY_REUSED> {
  constructor() {
    super(ErrorCode.IDEMPOTENCY_KEY_REUSED, 'This idempotency key was used for another offer: use a new key for each claim');
  }
}

@ObjectType({ implements: ErrorResult })
export class AlreadyRedeemedError extends ErrorResult<ErrorCode.ALREADY_REDEEMED> {
  constructor() {
    super(ErrorCode.ALREADY_REDEEMED, 'This code was already redeemed');
  }
}

@ObjectType({ implements: ErrorResult })
export class ClaimCancelledError extends ErrorResult<ErrorCode.CLAIM_CANCELLED> {
  constructor() {
    super(ErrorCode.CLAIM_CANCELLED, 'This claim was cancelled');
  }
}

@ObjectType({ implements: ErrorResult })
export class InvalidCodeError extends ErrorResult<ErrorCode.INVALID_CODE> {
  constructor() {
    // The same answer for an unknown code and another brand's code, so codes cannot be probed.
    super(ErrorCode.INVALID_CODE, 'No claim with this code in your campaigns');
  }
}

/**
 * Every failure claimOffer stores as a key's first answer, by code: the union, the stored JSON
 * (claim_requests.result) and its replay all come from here. Rows written before this registry
 * hold the same JSON ({ errorCode, message, reasons?, limit? }).
 */
export const CLAIM_FAILURES = failureRegistry('claimOffer', {
  [ErrorCode.SOLD_OUT]: SoldOutError,
  [ErrorCode.OFFER_EXPIRED]: OfferExpiredError,
  [ErrorCode.OFFER_WITHDRAWN]: OfferWithdrawnError,
  [ErrorCode.OFFER_DECLINED]: OfferDeclinedError,
  [ErrorCode.ALREADY_CLAIMED]: AlreadyClaimedError,
  [ErrorCode.NOT_ELIGIBLE]: rebuiltBy(
    NotEligibleError,
    (stored) => new NotEligibleError(stored.reasons.map((r) => Object.assign(new EligibilityReason(), r))),
  ),
  [ErrorCode.CAMPAIGN_NOT_ACTIVE]: CampaignNotActiveError,
  [ErrorCode.BUDGET_EXHAUSTED]: BudgetExhaustedError,
  [ErrorCode.CLAIM_CAP_REACHED]: rebuiltBy(ClaimCapReachedError, (stored) => new ClaimCapReachedError(stored.limit)),
});

/** A failure claimOffer stores and replays. */
export type ClaimFailure = FailureIn<typeof CLAIM_FAILURES>;

export const ClaimOfferResult = createUnionType({
  name: 'ClaimOfferResult',
  // The key reused for another offer answers the retry only: it is never stored.
  types: () => [Claim, ...CLAIM_FAILURES.types, IdempotencyKeyReusedError] as const,
});

/** Why a claim that is no longer ACTIVE can be neither cancelled nor redeemed (cancelClaim and redeemClaim alike). */
export function closedClaimError(status: ClaimStatus): AlreadyRedeemedError | ClaimCancelledError {
  return status === ClaimStatus.REDEEMED ? new AlreadyRedeemedError() : new ClaimCancelledError();
}

export const CancelClaimResult = createUnionType({
  name: 'CancelClaimResult',
  types: () => [Claim, AlreadyRedeemedError, ClaimCancelledError] as const,
});

export const RedeemClaimResult = createUnionType({
  name: 'RedeemClaimResult',
  types: () => [Claim, AlreadyRedeemedError, ClaimCancelledError, InvalidCodeError] as const,
});
