import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Connection, PageArgs } from '../../core/connection';
import { NotificationKind } from './notification-events';

@ObjectType({
  description:
    'Something that happened to you: an offer made, expiring or withdrawn, a claim cancelled by the brand or redeemed, your score ' +
    'moved. The fields that do not apply to the kind are null.',
})
export class Notification {
  @Field(() => ID, { description: 'Increasing: a newer notification has a greater id' })
  id: string;

  @Field(() => NotificationKind)
  kind: NotificationKind;

  @Field(() => String, { description: 'One sentence for the inbox' })
  message: string;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'When you marked it read; null while unread' })
  readAt: Date | null;

  @Field(() => ID, { nullable: true })
  offerId: string | null;

  @Field(() => ID, { nullable: true })
  claimId: string | null;

  @Field(() => ID, { nullable: true })
  campaignId: string | null;

  @Field(() => String, { nullable: true })
  campaignName: string | null;

  @Field(() => String, { nullable: true })
  perkTitle: string | null;

  @Field(() => Date, { nullable: true, description: 'OFFER_NEW, OFFER_EXPIRING, OFFER_WITHDRAWN: when the offer expires (expired)' })
  expiresAt: Date | null;

  @Field(() => Int, { nullable: true, description: 'SCORE_CHANGED: the score of the previous run' })
  scoreBefore: number | null;

  @Field(() => Int, { nullable: true, description: 'SCORE_CHANGED: the score of the new run' })
  scoreAfter: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'SCORE_CHANGED: what moved the score, as scoreExplanation words it ("authority +8, reach +2, amplification 0; 3 more credible engagers"); ' +
      'OFFER_WITHDRAWN: NOT_ELIGIBLE or CAMPAIGN_OVER',
  })
  reason: string | null;
}

@ObjectType()
export class NotificationConnection extends Connection(Notification) {}

@ArgsType()
export class NotificationsArgs extends PageArgs {
  @Field(() => Boolean, { defaultValue: false, description: 'Only notifications not marked read' })
  unreadOnly: boolean;
}

@ObjectType({ description: 'What markNotificationsRead did' })
export class MarkNotificationsReadPayload {
  @Field(() => Int, { description: 'Notifications marked read now (ids already read, unknown or not yours are ignored)' })
  marked: number;

  @Field(() => Int, { description: 'Your unread notifications left' })
  unreadCount: number;
}

@ObjectType({ description: 'How you want to hear about one kind of notification' })
export class NotificationPreference {
  @Field(() => NotificationKind)
  kind: NotificationKind;

  @Field(() => Boolean, { description: 'Shown in the inbox (default: on). Off: no notification of this kind is written.' })
  inApp: boolean;

  @Field(() => Boolean, { description: 'Sent by e-mail (default: off); only new and expiring offers are ever mailed' })
  email: boolean;
}

@InputType()
export class NotificationPreferenceInput {
  @Field(() => NotificationKind)
  kind: NotificationKind;

  @Field(() => Boolean, { nullable: true, description: 'Omitted: unchanged' })
  inApp?: boolean;

  @Field(() => Boolean, { nullable: true, description: 'Omitted: unchanged' })
  email?: boolean;
}

@ArgsType()
export class MarkNotificationsReadArgs {
  @Field(() => [ID], { description: 'Up to 100 notification ids' })
  ids: string[];
}

@ArgsType()
export class UpdateNotificationPreferencesArgs {
  @Field(() => [NotificationPreferenceInput], { description: 'One entry per kind to change; kinds not listed stay as they are' })
  input: NotificationPreferenceInput[];
}
