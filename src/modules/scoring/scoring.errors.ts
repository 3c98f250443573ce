import { createUnionType, ObjectType } from 'type-graphql';
import { ErrorCode, ErrorResult } from '../../core/errors';
import { ScoreRun } from './score-run.entity';

@ObjectType({ implements: ErrorResult })
export class InvalidRunDateError extends ErrorResult {
  constructor(message: string) {
    super(ErrorCode.INVALID_RUN_DATE, message);
  }
}

export const RecomputeScoresResult = createUnionType({
  name: 'RecomputeScoresResult',
  types: () => [ScoreRun, InvalidRunDateError] as const,
});
