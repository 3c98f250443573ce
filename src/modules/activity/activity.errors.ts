import { createUnionType, Int, ObjectType, Field } from 'type-graphql';
import { ErrorCode, ErrorResult } from '../../core/errors';
import { IngestReport } from './activity.types';

@ObjectType({ implements: ErrorResult })
export class BatchTooLargeError extends ErrorResult {
  @Field(() => Int)
  maxItems: number;

  constructor(maxItems: number, got: number) {
    super(
      ErrorCode.BATCH_TOO_LARGE,
      `A batch holds at most ${maxItems} items (posts, interactions and accounts together); got ${got}: split it`,
    );
    this.maxItems = maxItems;
  }
}

export const IngestActivityResult = createUnionType({
  name: 'IngestActivityResult',
  types: () => [IngestReport, BatchTooLargeError] as const,
});
