import type { GraphQLObjectType, GraphQLSchema } from 'graphql';
import { Arg, Ctx, FieldResolver, Float, Int, Resolver, Root } from 'type-graphql';
import { Role } from '../../core/context';
import { Influencer } from '../influencers/influencer.entity';
import type { ModuleContext } from '../loaders';
import type { ScoreRow } from './score-reader';
import { ScoreExplanation, ScorePoint, TopicScore } from './scoring.types';

/** Score fields of Influencer, all read from the one snapshot that is current for the request. */
@Resolver(() => Influencer)
export class InfluencerScoreResolver {
  @FieldResolver(() => Int, {
    nullable: true,
    description: '1-100 (10 without engagement); null until a score run includes the influencer',
  })
  score(@Root() influencer: Influencer, @Ctx() ctx: ModuleContext): Maybe<number | null> {
    return withScore(ctx, influencer, SCORE_FIELDS.score);
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Distinct, selective engagers (1-100)' })
  reach(@Root() influencer: Influencer, @Ctx() ctx: ModuleContext): Maybe<number | null> {
    return withScore(ctx, influencer, SCORE_FIELDS.reach);
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Engagement per post (1-100)' })
  amplification(@Root() influencer: Influencer, @Ctx() ctx: ModuleContext): Maybe<number | null> {
    return withScore(ctx, influencer, SCORE_FIELDS.amplification);
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Weighted PageRank of the engagement graph (1-100)' })
  authority(@Root() influencer: Influencer, @Ctx() ctx: ModuleContext): Maybe<number | null> {
    return withScore(ctx, influencer, SCORE_FIELDS.authority);
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description: 'Audience quality, 0-1: the credible share of the engagement behind the score (null before a run of score model 2)',
  })
  audienceQuality(@Root() influencer: Influencer, @Ctx() ctx: ModuleContext): Maybe<number | null> {
    return withScore(ctx, influencer, SCORE_FIELDS.audienceQuality);
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description:
      'Outreach, levels 1-10, beside the score and not part of it: how much and how widely the influencer engages others (1: no one in the window); null until a score run computes it',
  })
  outreach(@Root() influencer: Influencer, @Ctx() ctx: ModuleContext): Maybe<number | null> {
    return withScore(ctx, influencer, SCORE_FIELDS.outreach);
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description:
      'Activity, 1-100, beside the score and not part of it: posting volume and regularity in the window, ranked among the influencers who posted (1: no posts); null until a score run computes it',
  })
  activity(@Root() influencer: Influencer, @Ctx() ctx: ModuleContext): Maybe<number | null> {
    return withScore(ctx, influencer, SCORE_FIELDS.activity);
  }

  @FieldResolver(() => String, { nullable: true, description: 'The run date of the scores shown' })
  scoredOn(@Root() influencer: Influencer, @Ctx() ctx: ModuleContext): Maybe<string | null> {
    return withScore(ctx, influencer, SCORE_FIELDS.scoredOn);
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

type Maybe<T> = T | Promise<T>;

/** The score fields, each picked from the influencer's score row (null: not in the current snapshot). */
const SCORE_FIELDS = {
  score: (row: ScoreRow | null) => row?.score ?? null,
  reach: (row: ScoreRow | null) => rounded(row?.reach),
  amplification: (row: ScoreRow | null) => rounded(row?.amplification),
  authority: (row: ScoreRow | null) => rounded(row?.authority),
  audienceQuality: (row: ScoreRow | null) => (row?.audienceQuality == null ? null : Math.round(row.audienceQuality * 1000) / 1000),
  outreach: (row: ScoreRow | null) => row?.outreach ?? null,
  activity: (row: ScoreRow | null) => row?.activity ?? null,
  scoredOn: (row: ScoreRow | null) => row?.runDate ?? null,
};

/**
 * Resolves the score fields with plain graphql-js resolvers instead of type-graphql's per-call
 * wrapper (resolver lookup, middleware chain, parameter sorting and conversion): a search page
 * resolves a hundred of them. The methods above still declare the fields (type, description);
 * both read the same SCORE_FIELDS. Call on the built schema.
 */
export function resolveScoreFieldsDirectly(schema: GraphQLSchema): void {
  const fields = (schema.getType('Influencer') as GraphQLObjectType).getFields();
  for (const [name, pick] of Object.entries(SCORE_FIELDS)) {
    fields[name].resolve = (influencer: Influencer, _args, ctx: ModuleContext) => withScore<unknown>(ctx, influencer, pick);
  }
}

/** A field of the influencer's score row: synchronous when the row is already at hand. */
function withScore<T>(ctx: ModuleContext, influencer: Influencer, pick: (row: ScoreRow | null) => T): Maybe<T> {
  const row = ctx.loaders.scores.score(influencer.id);
  return row instanceof Promise ? row.then(pick) : pick(row);
}

function rounded(value: number | undefined): number | null {
  return value === undefined ? null : Math.round(value);
}
