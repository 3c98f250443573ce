import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One BullMQ queue as Redis holds it now, and the jobs waiting in Postgres for Redis' })
export class QueueState {
  @Field(() => String)
  name: string;

  @Field(() => Boolean, { description: 'Whether Redis answered; the counts are null when it did not' })
  reachable: boolean;

  @Field(() => Boolean, { nullable: true })
  paused: boolean | null;

  @Field(() => Int, { nullable: true })
  waiting: number | null;

  @Field(() => Int, { nullable: true })
  prioritized: number | null;

  @Field(() => Int, { nullable: true })
  active: number | null;

  @Field(() => Int, { nullable: true, description: 'Waiting for their time (retries with backoff, scheduled runs)' })
  delayed: number | null;

  @Field(() => Int, { nullable: true, description: 'Failed for good and kept (BullMQ keeps the latest)' })
  failed: number | null;

  @Field(() => Int, { nullable: true, description: 'Completed and kept (BullMQ keeps the latest)' })
  completed: number | null;

  @Field(() => Int, { description: 'Jobs saved in the Postgres job outbox while Redis refused them, not yet handed to Redis' })
  outboxed: number;
}
