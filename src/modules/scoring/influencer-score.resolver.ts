import { Arg, createParameterDecorator, Ctx, FieldResolver, Float, Int, Resolver, Root, type ResolverData } from 'type-graphql';
import { Role } from '../../core/context';
import { Influencer } from '../influencers/influencer.entity';
import type { ModuleContext } from '../loaders';
import type { ScoreRow } from './score-reader';
import { ScoreExplanation, ScorePoint, TopicScore } from './scoring.types';

/**
 * The influencer's row of the request's current snapshot (null: not in it), from the request's
 * ScoreReader: rows a search page already read are at hand, others are batched into one query.
 * One parameter resolved here costs type-graphql less per call than @Root and @Ctx (a search
 * page resolves a hundred score fields).
 */
function ScoreRowOf() {
  return createParameterDecorator<ModuleContext>(scoreRowOf);
}

function scoreRowOf({ root, context }: ResolverData<ModuleContext>): ScoreRow | null | Promise<ScoreRow | null> {
  return context.loaders.scores.score((root as Influencer).id);
}

/** Score fields of Influencer, all read from the one snapshot that is current for the request. */
@Resolver(() => Influencer)
export class InfluencerScoreResolver {
  @FieldResolver(() => Int, {
    nullable: true,
    description: '1-100 (10 without engagement); null until a score run includes the influencer',
  })
  score(@ScoreRowOf() row: ScoreRow | null): number | null {
    return row?.score ?? null;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Distinct, selective engagers (1-100)' })
  reach(@ScoreRowOf() row: ScoreRow | null): number | null {
    return rounded(row?.reach);
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Engagement per post (1-100)' })
  amplification(@ScoreRowOf() row: ScoreRow | null): number | null {
    return rounded(row?.amplification);
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Weighted PageRank of the engagement graph (1-100)' })
  authority(@ScoreRowOf() row: ScoreRow | null): number | null {
    return rounded(row?.authority);
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description: 'Audience quality, 0-1: the credible share of the engagement behind the score (null before a run of score model 2)',
  })
  audienceQuality(@ScoreRowOf() row: ScoreRow | null): number | null {
    return row?.audienceQuality == null ? null : Math.round(row.audienceQuality * 1000) / 1000;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description:
      'Outreach, levels 1-10, beside the score and not part of it: how much and how widely the influencer engages others (1: no one in the window); null until a score run computes it',
  })
  outreach(@ScoreRowOf() row: ScoreRow | null): number | null {
    return row?.outreach ?? null;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description:
      'Activity, 1-100, beside the score and not part of it: posting volume and regularity in the window, ranked among the influencers who posted (1: no posts); null until a score run computes it',
  })
  activity(@ScoreRowOf() row: ScoreRow | null): number | null {
    return row?.activity ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'The run date of the scores shown' })
  scoredOn(@ScoreRowOf() row: ScoreRow | null): string | null {
    return row?.runDate ?? null;
  }

  @FieldResolver(() => [TopicScore], { description: 'Topic scores, strongest first' })
  topics(@Root() influencer: Influencer, @Ctx() ctx: ModuleContext): Promise<TopicScore[]> {
    return ctx.loaders.scores.topics.load(influencer.id);
  }

  @FieldResolver(() => [ScorePoint], { description: 'One point per run over the last `days` days up to the current run, oldest first' })
  scoreHistory(
    @Root() influencer: Influencer,
    @Arg('days', () => Int, { defaultValue: 30 }) days: number,
    @Ctx() ctx: ModuleContext,
  ): Promise<ScorePoint[]> {
    return ctx.loaders.scores.history(influencer.id, Math.min(Math.max(1, days), 365));
  }

  @FieldResolver(() => ScoreExplanation, {
    nullable: true,
    description:
      'Components, change since the previous run, top engagers and posts; for the influencer and operators only (null otherwise)',
  })
  scoreExplanation(@Root() influencer: Influencer, @Ctx() ctx: ModuleContext): Promise<ScoreExplanation | null> | null {
    const p = ctx.principal;
    const allowed = p?.kind === 'user' && (p.role === Role.ADMIN || p.userId === influencer.userId);
    return allowed ? ctx.loaders.scores.explanation(influencer.id) : null;
  }
}

function rounded(value: number | undefined): number | null {
  return value === undefined ? null : Math.round(value);
}
