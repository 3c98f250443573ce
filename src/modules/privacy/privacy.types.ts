import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    'What eraseMyData did. Your account, profile, social accounts, scores and score history are gone; your activity stays ' +
    "in the interaction graph as anonymous nodes (so other people's scores do not change) and your claims stay for the " +
    "brands' accounting, neither linked to you any more. Your token stops working.",
})
export class ErasureReceipt {
  @Field(() => Date)
  erasedAt: Date;

  @Field(() => Int, { description: 'Social accounts removed' })
  socialAccounts: number;

  @Field(() => Int, { description: 'Score rows removed, the current snapshot and every day of history' })
  scores: number;

  @Field(() => Int, { description: 'Topic score rows removed, the current snapshot and every day of history' })
  topicScores: number;

  @Field(() => Int, {
    description:
      'Your proven accounts kept in the interaction graph as anonymous nodes (their handles unlinked, their profile snapshots deleted)',
  })
  anonymousNodes: number;

  @Field(() => Int, { description: 'Posts and interactions of those nodes whose network ids were removed' })
  activityUnlinked: number;

  @Field(() => Int, { description: 'Open offers withdrawn' })
  offersWithdrawn: number;

  @Field(() => Int, { description: 'Claims kept for the brands, no longer linked to you' })
  claimsKept: number;

  @Field(() => Int, { description: 'Of those, active claims whose codes can still be redeemed with the brand' })
  activeClaimsKept: number;

  @Field(() => Int, { description: 'Notifications of your inbox removed (your notification settings go too)' })
  notifications: number;
}

@ObjectType({
  description:
    'What optOut did. While opted out no score is computed or shown, you are out of search and matching, and you cannot claim; ' +
    'nothing is erased: your claims stay valid (their codes still redeem), and optIn brings you back.',
})
export class OptOutReceipt {
  @Field(() => Date, { description: 'When you opted out (the first time, if you asked again)' })
  optedOutAt: Date;

  @Field(() => Int, { description: 'Open offers withdrawn now (0 when you were opted out already)' })
  offersWithdrawn: number;

  @Field(() => Int, { description: 'Active claims you hold, which stay valid' })
  activeClaimsKept: number;
}
