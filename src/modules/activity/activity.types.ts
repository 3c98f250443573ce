import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

// Items carry network, kind and dates as strings on purpose: a bad value rejects that one item
// with a reason, instead of failing the whole batch at GraphQL coercion.

@InputType({ description: 'A post; idempotent on (network, externalId)' })
export class IngestPostInput {
  @Field(() => String)
  externalId: string;

  @Field(() => String, { description: 'One of the Network values, e.g. "X"' })
  network: string;

  @Field(() => String)
  authorHandle: string;

  @Field(() => [String], { defaultValue: [], description: 'Topic slugs, e.g. ["tech-ai"]; at most 10' })
  topics: string[];

  @Field(() => String, { description: 'ISO 8601 date-time with a time zone, e.g. 2026-11-24T18:00:00Z' })
  postedAt: string;
}

@InputType({ description: 'An action of actorHandle towards targetHandle; idempotent on (network, externalId)' })
export class IngestInteractionInput {
  @Field(() => String)
  externalId: string;

  @Field(() => String)
  network: string;

  @Field(() => String, { description: 'RESHARE, REPLY, MENTION or LIKE' })
  kind: string;

  @Field(() => String)
  actorHandle: string;

  @Field(() => String)
  targetHandle: string;

  @Field(() => String, {
    nullable: true,
    description: "The post acted upon (RESHARE, REPLY, LIKE: the target's post) or the mentioning post (MENTION: the actor's post)",
  })
  postExternalId?: string | null;

  @Field(() => String)
  occurredAt: string;
}

@InputType()
export class IngestActivityInput {
  @Field(() => [IngestPostInput], { defaultValue: [] })
  posts: IngestPostInput[];

  @Field(() => [IngestInteractionInput], { defaultValue: [] })
  interactions: IngestInteractionInput[];
}

export enum IngestList {
  POSTS = 'POSTS',
  INTERACTIONS = 'INTERACTIONS',
}
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

@ObjectType({ description: 'What happened to each item: stored, already known (duplicate), or rejected with a reason' })
export class IngestReport {
  @Field(() => Int)
  accepted: number;

  @Field(() => Int)
  duplicates: number;

  @Field(() => Int)
  rejected: number;

  @Field(() => [IngestRejection], { description: 'One entry per rejected item, in list order' })
  rejections: IngestRejection[];
}
