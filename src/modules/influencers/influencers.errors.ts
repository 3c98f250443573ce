import { createUnionType, ObjectType } from 'type-graphql';
import { ErrorCode, ErrorResult } from '../../core/errors';
import { SocialAccount } from './social-account.entity';

@ObjectType({ implements: ErrorResult })
export class HandleTakenError extends ErrorResult {
  constructor() {
    super(ErrorCode.HANDLE_TAKEN, 'This handle is already connected to another influencer; contact support if it is yours');
  }
}

export const ConnectSocialAccountResult = createUnionType({
  name: 'ConnectSocialAccountResult',
  types: () => [SocialAccount, HandleTakenError] as const,
});
