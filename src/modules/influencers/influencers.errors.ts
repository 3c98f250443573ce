import { createUnionType, ObjectType } from 'type-graphql';
import { ErrorCode, ErrorResult } from '../../core/errors';
import { Influencer } from './influencer.entity';
import { SocialAccount } from './social-account.entity';

@ObjectType({ implements: ErrorResult })
export class HandleTakenError extends ErrorResult {
  constructor(message = 'Another influencer has proven they own this account; contact support if it is yours') {
    super(ErrorCode.HANDLE_TAKEN, message);
  }
}

export const ConnectSocialAccountResult = createUnionType({
  name: 'ConnectSocialAccountResult',
  types: () => [SocialAccount, HandleTakenError] as const,
});

export const VerifySocialAccountResult = createUnionType({
  name: 'VerifySocialAccountResult',
  types: () => [SocialAccount, HandleTakenError] as const,
});

/** Room for expected failures to come; today every refusal is a validation error (BAD_USER_INPUT). */
export const UpdateMyProfileResult = createUnionType({
  name: 'UpdateMyProfileResult',
  types: () => [Influencer] as const,
});
