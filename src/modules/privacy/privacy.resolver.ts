import { GraphQLJSONObject } from 'graphql-scalars';
import { Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Role, requireUser, type RequestContext } from '../../core/context';
import { Influencer } from '../influencers/influencer.entity';
import type { ConsentService } from './consent.service';
import type { DataExportService } from './data-export';
import { EraseMyDataResult, OptOutResult } from './privacy.errors';
import { PrivacyService } from './privacy.service';

@Resolver()
export class PrivacyResolver {
  constructor(
    private readonly privacy: PrivacyService,
    private readonly consent: ConsentService,
    private readonly dataExport: DataExportService,
  ) {}

  @Authorized(Role.INFLUENCER)
  @Mutation(() => EraseMyDataResult, {
    description:
      'Erases your account and everything about you, at once and for good (see ErasureReceipt). Your token stops working; ' +
      'an active claim stays redeemable with its code.',
  })
  eraseMyData(@Ctx() ctx: RequestContext): Promise<typeof EraseMyDataResult> {
    return this.privacy.eraseMyData(requireUser(ctx).userId, ctx.log);
  }

  @Authorized(Role.INFLUENCER)
  @Mutation(() => OptOutResult, {
    description:
      'Stops profiling you without erasing anything: no score is computed or shown, you leave search and matching and your ' +
      'open offers are withdrawn, at once. Claims you hold stay valid. Idempotent; optIn reverses it.',
  })
  optOut(@Ctx() ctx: RequestContext): Promise<typeof OptOutResult> {
    return this.consent.optOut(requireUser(ctx).userId, ctx.log);
  }

  @Authorized(Role.INFLUENCER)
  @Mutation(() => Influencer, {
    description:
      'Opts you in again (idempotent). Scores of the current run that were computed before you opted out show again at once; ' +
      'otherwise you are scored by the next run. Offers come with the next match of each campaign.',
  })
  optIn(@Ctx() ctx: RequestContext): Promise<Influencer> {
    return this.consent.optIn(requireUser(ctx).userId, ctx.log);
  }

  @Authorized(Role.INFLUENCER)
  @Query(() => GraphQLJSONObject, {
    description:
      'Everything held about you as one JSON document (GDPR articles 15 and 20): account, profile, social accounts, activity of ' +
      'your proven accounts, every score row with topic scores, the latest explanation, offers, claims with their codes, what ' +
      'brands were told about you, notifications. See docs/privacy.md.',
  })
  exportMyData(@Ctx() ctx: RequestContext): Promise<Record<string, unknown>> {
    return this.dataExport.exportMyData(requireUser(ctx).userId);
  }
}
