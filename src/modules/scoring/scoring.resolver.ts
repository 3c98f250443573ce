import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Role, requireUser, type RequestContext } from '../../core/context';
import { InvalidRunDateError, RecomputeScoresResult } from './scoring.errors';
import { ScoringService } from './scoring.service';
import { PageArgs } from '../../core/connection';
import { ScoreRunConnection } from './scoring.types';
import { ScoreRun, ScoreRunTrigger } from './score-run.entity';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

@Resolver(() => ScoreRun)
export class ScoringResolver {
  constructor(private readonly scoring: ScoringService) {}

  @Authorized(Role.ADMIN)
  @Mutation(() => RecomputeScoresResult, {
    description:
      'Requests the score run for a date (default: yesterday, UTC). One run per date: asking again returns it; a failed run is retried.',
  })
  async recomputeScores(
    @Arg('date', () => String, { nullable: true, description: 'YYYY-MM-DD, not in the future' }) date: string | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<typeof RecomputeScoresResult> {
    const today = new Date().toISOString().slice(0, 10);
    const runDate = date ?? new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    if (
      !DATE.test(runDate) ||
      Number.isNaN(Date.parse(`${runDate}T00:00:00Z`)) ||
      new Date(`${runDate}T00:00:00Z`).toISOString().slice(0, 10) !== runDate
    ) {
      return new InvalidRunDateError(`date must be a calendar date like 2026-11-24 (got "${runDate}")`);
    }
    if (runDate > today) return new InvalidRunDateError(`date ${runDate} is in the future: a run scores a day that has begun`);
    if (runDate < '2000-01-01') return new InvalidRunDateError('date must be 2000-01-01 or later');
    return this.scoring.requestRun(runDate, ScoreRunTrigger.ADMIN, requireUser(ctx).userId);
  }

  @Authorized(Role.ADMIN)
  @Query(() => ScoreRun, { nullable: true })
  scoreRun(@Arg('id', () => ID) id: string): Promise<ScoreRun | null> {
    return /^\d{1,9}$/.test(id) ? this.scoring.runById(Number(id)) : Promise.resolve(null);
  }

  @Authorized(Role.ADMIN)
  @Query(() => ScoreRunConnection, { description: 'Newest run date first' })
  scoreRuns(@Args(() => PageArgs) { first, after }: PageArgs): Promise<ScoreRunConnection> {
    return this.scoring.listRuns(first, after);
  }
}
