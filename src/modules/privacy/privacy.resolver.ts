import { Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { Role, requireUser, type RequestContext } from '../../core/context';
import { EraseMyDataResult } from './privacy.errors';
import { PrivacyService } from './privacy.service';

@Resolver()
export class PrivacyResolver {
  constructor(private readonly privacy: PrivacyService) {}

  @Authorized(Role.INFLUENCER)
  @Mutation(() => EraseMyDataResult, {
    description:
      'Erases your account and everything about you, at once and for good (see ErasureReceipt). Your token stops working; ' +
      'an active claim stays redeemable with its code.',
  })
  eraseMyData(@Ctx() ctx: RequestContext): Promise<typeof EraseMyDataResult> {
    return this.privacy.eraseMyData(requireUser(ctx).userId, ctx.log);
  }
}
