import { createUnionType, Field, ObjectType } from 'type-graphql';
import { ErrorCode, ErrorResult } from '../../core/errors';
import { EligibilityReason } from '../agencies/agencies.types';
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
  | CampaignNotActiveError;

export function claimFailureFrom(stored: { errorCode: string; message: string; reasons?: EligibilityReason[] }): ClaimFailure {
  const failure = (() => {
    switch (stored.errorCode) {
      case ErrorCode.SOLD_OUT:
        return new SoldOutError();
      case ErrorCode.OFFER_EXPIRED:
        return new OfferExpiredError();
      case ErrorCode.OFFER_WITHDRAWN:
        return new OfferWithdrawnError();
      case ErrorCode.OFFER_DECLINED:
        return new OfferDeclinedError();
      case ErrorCode.ALREADY_CLAIMED:
        return new AlreadyClaimedError();
      case ErrorCode.NOT_ELIGIBLE:
        return new NotEligibleError((stored.reasons ?? []).map((r) => Object.assign(new EligibilityReason(), r)));
      default:
        return new CampaignNotActiveError();
    }
  })();
  failure.message = stored.message;
  return failure;
}
