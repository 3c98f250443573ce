import { Max, Min } from 'class-validator';
import { ArgsType, Field, Int, ObjectType } from 'type-graphql';
import { Connection } from '../../core/connection';
import { ScoreRun } from './score-run.entity';

@ObjectType()
export class ScoreRunConnection extends Connection(ScoreRun) {}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 20, description: 'At most 100' })
  @Min(1, { message: 'first must be at least 1' })
  @Max(100, { message: 'first must be at most 100' })
  first: number;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page' })
  after?: string;
}
