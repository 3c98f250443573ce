import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { InputText } from '../../core/input-text';

// Items carry network, kind and dates as strings on purpose: a bad value rejects that one item
// with a reason, instead of failing the whole batch at GraphQL coercion. Their text fields are
// `@InputText('item')`: the input boundary (api/input-boundary.ts) leaves them to the item's own
// validation (ingest-validation.ts), which rejects an item with broken Unicode or control
// characters on its own, as it does any other bad item.

@InputType({ description: 'A post; idempotent on (network, externalId)' })
export class IngestPostInput {
  @Field(() => String)
  @InputText('item')
  externalId: string;

  @Field(() => String, { description: 'One of the Network values, e.g. "X"' })
  @InputText('item')
  network: string;

  @Field(() => String)
  @InputText('item')
  authorHandle: string;

  @Field(() => [String], { defaultValue: [], description: 'Topic slugs, e.g. ["tech-ai"]; at most 10' })
  @InputText('item')
  topics: string[];

  @Field(() => String, { description: 'ISO 8601 date-time with a time zone, e.g. 2026-11-24T18:00:00Z' })
  @InputText('item')
  postedAt: string;
}

@InputType({ description: 'An action of actorHandle towards targetHandle; idempotent on (network, externalId)' })
export class IngestInteractionInput {
  @Field(() => String)
  @InputText('item')
  externalId: string;

  @Field(() => String)
  @InputText('item')
  network: string;

  @Field(() => String, { description: 'RESHARE, REPLY, MENTION or LIKE' })
  @InputText('item')
  kind: string;

  @Field(() => String)
  @InputText('item')
  actorHandle: string;

  @Field(() => String)
  @InputText('item')
  targetHandle: string;

  @Field(() => String, {
    nullable: true,
    description: "The post acted upon (RESHARE, REPLY, LIKE: the target's post) or the mentioning post (MENTION: the actor's post)",
  })
  @InputText('item')
  postExternalId?: string | null;

  @Field(() => String)
  @InputText('item')
  occurredAt: string;
}

@InputType({
  description:
    'A public profile snapshot of an account as a connector sees it, member or not: the newest observedAt wins, so sending it again changes nothing. ' +
    'Only the figures are kept (no handle, no bio): the bio is read for verification codes and dropped.',
})
export class IngestAccountInput {
  @Field(() => String)
  @InputText('item')
  network: string;

  @Field(() => String)
  @InputText('item')
  handle: string;

  // Counts are Float on purpose too: a fraction or a huge number rejects that one item with a reason.
  @Field(() => Float, { description: 'A whole number from 0 to 2,000,000,000' })
  followers: number;

  @Field(() => Float, { description: 'A whole number from 0 to 2,000,000,000' })
  following: number;

  @Field(() => Float, {
    description: 'Posts the account has published in all, as its profile counts them: a whole number from 0 to 2,000,000,000',
  })
  posts: number;

  @Field(() => String, { description: 'When the account was created: ISO 8601 date-time with a time zone' })
  @InputText('item')
  createdAt: string;

  @Field(() => Boolean, { description: 'Whether the network marks the account as verified' })
  verified: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'The profile text, at most 2,000 characters; an influencer proves ownership by putting their verification code in it',
  })
  @InputText('item')
  bio?: string | null;

  @Field(() => String, { nullable: true, description: 'When the connector read the profile (default: now); not in the future' })
  @InputText('item')
  observedAt?: string | null;
}

@InputType()
export class IngestActivityInput {
  @Field(() => [IngestPostInput], { defaultValue: [] })
  posts: IngestPostInput[];

  @Field(() => [IngestInteractionInput], { defaultValue: [] })
  interactions: IngestInteractionInput[];

  @Field(() => [IngestAccountInput], { defaultValue: [] })
  accounts: IngestAccountInput[];
}

export enum IngestList {
  POSTS = 'POSTS',
  INTERACTIONS = 'INTERACTIONS',
  ACCOUNTS = 'ACCOUNTS',
}
/** The order of the lists in the input and in reports. */
export const INGEST_LISTS = [IngestList.POSTS, IngestList.INTERACTIONS, IngestList.ACCOUNTS];
registerEnumType(IngestList, { name: 'IngestList' });

export enum RejectionCode {
  MALFORMED_ITEM = 'MALFORMED_ITEM',
  BAD_EXTERNAL_ID = 'BAD_EXTERNAL_ID',
  UNKNOWN_NETWORK = 'UNKNOWN_NETWORK',
  UNKNOWN_KIND = 'UNKNOWN_KIND',
  BAD_HANDLE = 'BAD_HANDLE',
  BAD_DATE = 'BAD_DATE',
  UNKNOWN_TOPIC = 'UNKNOWN_TOPIC',
  TOO_MANY_TOPICS = 'TOO_MANY_TOPICS',
  SELF_INTERACTION = 'SELF_INTERACTION',
  UNKNOWN_POST = 'UNKNOWN_POST',
  POST_AUTHOR_MISMATCH = 'POST_AUTHOR_MISMATCH',
  BAD_COUNT = 'BAD_COUNT',
  BIO_TOO_LONG = 'BIO_TOO_LONG',
}
registerEnumType(RejectionCode, { name: 'RejectionCode' });

@ObjectType()
export class IngestRejection {
  @Field(() => IngestList)
  list: IngestList;

  @Field(() => Int, { description: 'Position of the item in its list, from 0' })
  index: number;

  @Field(() => String, { nullable: true })
  externalId: string | null;

  @Field(() => RejectionCode)
  code: RejectionCode;

  @Field(() => String)
  reason: string;
}

@ObjectType({ description: 'The counts of one list of the batch' })
export class IngestListCounts {
  @Field(() => IngestList)
  list: IngestList;

  @Field(() => Int)
  accepted: number;

  @Field(() => Int, { description: 'Already known; for accounts, a snapshot no newer than the one held' })
  duplicates: number;

  @Field(() => Int)
  rejected: number;
}

@ObjectType({ description: 'What happened to each item: stored, already known (duplicate), or rejected with a reason' })
export class IngestReport {
  @Field(() => Int, { description: 'Over every list' })
  accepted: number;

  @Field(() => Int, { description: 'Over every list' })
  duplicates: number;

  @Field(() => Int, { description: 'Over every list' })
  rejected: number;

  @Field(() => [IngestListCounts], { description: 'The same counts per list: posts, interactions, accounts' })
  lists: IngestListCounts[];

  @Field(() => [IngestRejection], { description: 'One entry per rejected item, in list order' })
  rejections: IngestRejection[];
}
