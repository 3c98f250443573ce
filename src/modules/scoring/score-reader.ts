import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { Topic } from '../topics/topic.entity';
import type { CurrentRunCache } from './current-run';
import { CREDIBILITY, FIGURES, PARAMS, weeksOf, weightsOf, type ModelVersion } from './score-model';
import { windowOf } from './score-run-loader';
import { Engager, PostMoment, ScoreComponent, ScoreDelta, ScoreExplanation, ScorePoint, TopicScore } from './scoring.types';

export interface ScoreRow {
  influencerId: string;
  runId: number;
  runDate: string;
  score: number;
  reach: number;
  amplification: number;
  authority: number;
  reachRaw: number;
  amplificationRaw: number;
  authorityRaw: number;
  engagers: number;
  reactions: number;
  posts: number;
  /** Null for runs of score model 1, which did not measure them. */
  audienceQuality: number | null;
  credibleEngagers: number | null;
  confidence: number | null;
  /** Beside the score (docs/scoring.md, "Outreach and activity"); null for runs before they were computed. */
  outreach: number | null;
  outreachRaw: number | null;
  engagedAccounts: number | null;
  engagedInteractions: number | null;
  activity: number | null;
  activeWeeks: number | null;
}

/** The columns of the figures beside the score, as ScoreRow names them (s: influencer_scores). */
export const FIGURE_COLUMNS = `s.outreach, s.outreach_raw AS "outreachRaw", s.engaged_accounts AS "engagedAccounts",
  s.engaged_interactions AS "engagedInteractions", s.activity, s.active_weeks AS "activeWeeks"`;

const SCORE_COLUMNS = `s.influencer_id AS "influencerId", s.run_id AS "runId", to_char(r.run_date, 'YYYY-MM-DD') AS "runDate",
  s.score, s.reach, s.amplification, s.authority, s.reach_raw AS "reachRaw", s.amplification_raw AS "amplificationRaw",
  s.authority_raw AS "authorityRaw", s.engagers, s.reactions, s.posts, s.audience_quality AS "audienceQuality",
  s.credible_engagers AS "credibleEngagers", s.confidence, ${FIGURE_COLUMNS}`;

/** The decayed kind weight of an interaction row `i` at the end of a window, in SQL (same constants as the model). */
function weightSql(windowEndIso: string): string {
  const kinds = PARAMS.kindWeight.slice(1).join(', ');
  return `(ARRAY[${kinds}]::float8[])[i.kind] * power(2, -extract(epoch FROM ('${windowEndIso}'::timestamptz - i.occurred_at)) / 86400 / ${PARAMS.halfLifeDays})`;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Scores are shown only while their influencer is opted in: an opted-out person's rows stay (opting
 * out erases nothing) but nobody sees them, the person included, until they opt in again.
 */
const OPTED_IN = (influencerId: string) =>
  `EXISTS (SELECT 1 FROM influencers inf WHERE inf.id = ${influencerId} AND inf.opted_in_at IS NOT NULL)`;

/**
 * Reads snapshots. One instance per request: the current run is resolved once, so every field of
 * one answer comes from the same snapshot even if a run switches in the middle of the request.
 */
export class ScoreReader {
  private currentRun: Promise<{ id: number; runDate: string } | null> | undefined;
  private readonly known = new Map<string, ScoreRow>();
  readonly scores: DataLoader<string, ScoreRow | null>;
  readonly topics: DataLoader<string, TopicScore[]>;

  /** `owner`: reading for the person themself in their data export, who sees their scores opted in or out. */
  constructor(
    private readonly dataSource: DataSource,
    private readonly currentRuns: CurrentRunCache,
    private readonly owner = false,
  ) {
    this.scores = new DataLoader((ids) => this.loadScores(ids));
    this.topics = new DataLoader((ids) => this.loadTopics(ids));
  }

  /** The SQL condition under which an influencer's score rows are shown. */
  private shown(influencerId: string): string {
    return this.owner ? 'true' : OPTED_IN(influencerId);
  }

  /**
   * The influencer's score row, at once when a search already read it (no promise per field:
   * a page of 20 influencers with 5 score fields would otherwise make 100), else through the loader.
   */
  score(influencerId: string): ScoreRow | null | Promise<ScoreRow | null> {
    const known = this.known.get(influencerId);
    return known !== undefined ? known : this.scores.load(influencerId);
  }

  /** Remembers a row read by another query of this request. */
  prime(row: ScoreRow): void {
    this.known.set(row.influencerId, row);
  }

  current(): Promise<{ id: number; runDate: string } | null> {
    this.currentRun ??= this.currentRuns.get();
    return this.currentRun;
  }

  private async loadScores(ids: readonly string[]): Promise<Array<ScoreRow | null>> {
    const run = await this.current();
    if (!run) return ids.map(() => null);
    const rows: ScoreRow[] = await this.dataSource.query(
      `SELECT ${SCORE_COLUMNS} FROM influencer_scores s JOIN score_runs r ON r.id = s.run_id
       WHERE s.run_id = $1 AND s.influencer_id = ANY($2::uuid[]) AND ${this.shown('s.influencer_id')}`,
      [run.id, ids],
    );
    const byId = new Map(rows.map((r) => [r.influencerId, r]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  private async loadTopics(ids: readonly string[]): Promise<TopicScore[][]> {
    const run = await this.current();
    if (!run) return ids.map(() => []);
    const rows: Array<{
      influencer_id: string;
      topic_id: number;
      score: number;
      engagement: number;
      slug: string;
      name: string;
      family: string;
    }> = await this.dataSource.query(
      `SELECT t.influencer_id, t.topic_id, t.score, t.engagement, tp.slug, tp.name, tp.family
         FROM influencer_topic_scores t JOIN topics tp ON tp.id = t.topic_id
         WHERE t.run_id = $1 AND t.influencer_id = ANY($2::uuid[]) AND ${this.shown('t.influencer_id')}
         ORDER BY t.influencer_id, t.score DESC, t.engagement DESC, t.topic_id`,
      [run.id, ids],
    );
    const byId = new Map<string, TopicScore[]>();
    for (const r of rows) {
      const topic = Object.assign(new Topic(), { id: r.topic_id, slug: r.slug, name: r.name, family: r.family });
      const list = byId.get(r.influencer_id) ?? [];
      list.push(Object.assign(new TopicScore(), { topic, score: r.score, engagement: round1(r.engagement) }));
      byId.set(r.influencer_id, list);
    }
    return ids.map((id) => byId.get(id) ?? []);
  }

  async history(influencerId: string, days: number): Promise<ScorePoint[]> {
    const rows: ScorePoint[] = await this.dataSource.query(
      `SELECT to_char(r.run_date, 'YYYY-MM-DD') AS "runDate", s.score, round(s.reach)::int AS reach,
              round(s.amplification)::int AS amplification, round(s.authority)::int AS authority
       FROM influencer_scores s JOIN score_runs r ON r.id = s.run_id
       WHERE s.influencer_id = $1 AND r.status = 'SUCCEEDED' AND ${this.shown('s.influencer_id')}
         AND r.run_date > (SELECT run_date FROM score_runs WHERE is_current) - $2::int
         AND r.run_date <= (SELECT run_date FROM score_runs WHERE is_current)
       ORDER BY r.run_date`,
      [influencerId, days],
    );
    return rows.map((r) => Object.assign(new ScorePoint(), r));
  }

  async explanation(influencerId: string): Promise<ScoreExplanation | null> {
    const current = await this.score(influencerId);
    if (!current) return null;
    // The weights of the model that computed this run (version 1 and 2 weigh the components differently).
    const [{ model_version: modelVersion }] = await this.dataSource.query(`SELECT model_version FROM score_runs WHERE id = $1`, [
      current.runId,
    ]);
    const version: ModelVersion = modelVersion === 1 ? 1 : 2;
    const weights = weightsOf(version);
    const [previous]: ScoreRow[] = await this.dataSource.query(
      `SELECT ${SCORE_COLUMNS} FROM influencer_scores s JOIN score_runs r ON r.id = s.run_id
       WHERE s.influencer_id = $1 AND r.status = 'SUCCEEDED' AND r.run_date < $2::date
       ORDER BY r.run_date DESC LIMIT 1`,
      [influencerId, current.runDate],
    );
    const window = windowOf(current.runDate);
    const [start, end] = [new Date(window.startMs).toISOString(), new Date(window.endMs).toISOString()];
    // Only proven accounts count toward a score, so only theirs explain it.
    const nodes = `SELECT actor_id FROM social_accounts WHERE influencer_id = $1 AND status = 'VERIFIED' AND actor_id IS NOT NULL`;

    const engagers: Array<{
      network: string;
      handle: string | null;
      display_name: string | null;
      interactions: number;
      credibility: number | null;
      contribution: number;
    }> = await this.dataSource.query(
      `WITH e AS (
           SELECT i.actor_id, count(*)::int AS interactions, ln(1 + sum(${weightSql(end)})) AS weight
           FROM interactions i
           WHERE i.target_id IN (${nodes}) AND i.occurred_at >= $2 AND i.occurred_at < $3
           GROUP BY i.actor_id)
         SELECT a.network, sa.handle, inf.display_name, e.interactions, ar.credibility,
                e.weight * coalesce(ar.rank, 0) * coalesce(ar.credibility, 1) AS contribution
         FROM e JOIN actors a ON a.id = e.actor_id
         LEFT JOIN actor_ranks ar ON ar.run_id = $4 AND ar.actor_id = e.actor_id
         LEFT JOIN social_accounts sa ON sa.actor_id = e.actor_id AND sa.status = 'VERIFIED'
         LEFT JOIN influencers inf ON inf.id = sa.influencer_id AND inf.opted_in_at IS NOT NULL
         ORDER BY contribution DESC, e.interactions DESC, e.actor_id
         LIMIT 5`,
      [influencerId, start, end, current.runId],
    );
    const total = engagers.reduce((sum, e) => sum + e.contribution, 0);

    const posts: Array<{ external_id: string; network: string; posted_at: Date; topics: string[]; reactions: number; engagement: number }> =
      await this.dataSource.query(
        `SELECT p.external_id, p.network, p.posted_at,
                ARRAY(SELECT slug FROM topics WHERE id = ANY(p.topic_ids) ORDER BY slug) AS topics,
                count(*)::int AS reactions, sum(${weightSql(end)}) AS engagement
         FROM interactions i JOIN posts p ON p.id = i.post_id
         WHERE i.target_id IN (${nodes}) AND i.occurred_at >= $2 AND i.occurred_at < $3
         GROUP BY p.id ORDER BY engagement DESC, p.id LIMIT 5`,
        [influencerId, start, end],
      );

    const component = (score: number, raw: number, weight: number, explanation: string) =>
      Object.assign(new ScoreComponent(), { score: Math.round(score), raw: round1(raw), weight, explanation });
    const reach = component(
      current.reach,
      current.reachRaw,
      weights.reach,
      `${engagersSentence(current)}; weighted for how selective ${current.credibleEngagers === null ? 'they are' : 'and how credible they are'}, with followers as a small bonus, that is ${round1(current.reachRaw)} (40 points at ${PARAMS.reference.reach}, +20 per tenfold)`,
    );
    const amplification = component(
      current.amplification,
      current.amplificationRaw,
      weights.amplification,
      `${current.reactions} reactions over ${current.posts} posts: ${round1(current.amplificationRaw)} saturated, selectivity-weighted reactions per post (40 points at ${PARAMS.reference.amplification})`,
    );
    const authority = component(
      current.authority,
      current.authorityRaw,
      weights.authority,
      `Your accounts hold ${round1(current.authorityRaw)} times an average account's share of attention in the engagement graph; being reshared by high-authority accounts raises it most (40 points at ${PARAMS.reference.authority})`,
    );
    const delta = previous ? scoreDelta(previous.runDate, current, previous) : null;
    const summary = [
      current.engagers === 0
        ? `No engagement in the ${PARAMS.windowDays} days to ${current.runDate}: the score is the floor, ${PARAMS.floor}.`
        : `Score ${current.score} = ${weights.authority} x authority ${authority.score} + ${weights.reach} x reach ${reach.score} + ${weights.amplification} x amplification ${amplification.score}${confidenceClause(current)}, rounded, within ${PARAMS.floor}-100.`,
      ...(delta
        ? [
            `${delta.score === 0 ? 'Unchanged' : delta.score > 0 ? `Up ${delta.score}` : `Down ${-delta.score}`} since ${delta.previousRunDate}: ${movedBy(delta)}.`,
          ]
        : []),
      reach.explanation,
      amplification.explanation,
      authority.explanation,
      ...(current.audienceQuality === null
        ? []
        : [
            `Audience quality ${Math.round(current.audienceQuality * 100)}%: the credible share of your engagement. Engagement from new, empty or unproven accounts, and from people you engage back in a closed circle, counts for less.`,
          ]),
      ...figureLines(current),
    ];
    return Object.assign(new ScoreExplanation(), {
      runDate: current.runDate,
      score: current.score,
      reach,
      amplification,
      authority,
      audienceQuality: current.audienceQuality === null ? null : Math.round(current.audienceQuality * 1000) / 1000,
      credibleEngagers: current.credibleEngagers,
      delta,
      topEngagers: engagers.map((e) =>
        Object.assign(new Engager(), {
          network: e.network,
          handle: e.display_name === null ? null : e.handle,
          displayName: e.display_name,
          interactions: e.interactions,
          credibility: e.credibility === null ? null : Math.round(e.credibility * 100) / 100,
          share: total > 0 ? Math.round((e.contribution / total) * 1000) / 1000 : 0,
        }),
      ),
      topPosts: posts.map((p) =>
        Object.assign(new PostMoment(), {
          externalId: p.external_id,
          network: p.network,
          postedAt: p.posted_at,
          topics: p.topics,
          reactions: p.reactions,
          engagement: round1(p.engagement),
        }),
      ),
      summary,
    });
  }
}

/**
 * Version 2 keeps only part of a score's distance above the floor until the credible engagement
 * reaches CREDIBILITY.fullSignal (the confidence ramp): say so when it did.
 */
function confidenceClause(row: ScoreRow): string {
  if (row.confidence === null || row.confidence >= 1) return '';
  return ` (of which ${Math.round(row.confidence * 100)}% counts above ${PARAMS.floor}: the credible engagement is below ${CREDIBILITY.fullSignal} engagers' worth)`;
}

/**
 * One line per figure beside the score, with its inputs: "Outreach 6 of 10 (beside the score, not
 * part of it): you engaged 42 accounts with 130 interactions ...". None for runs before them.
 */
function figureLines(row: ScoreRow): string[] {
  const lines: string[] = [];
  const days = `the ${PARAMS.windowDays} days to ${row.runDate}`;
  if (row.outreach !== null) {
    lines.push(
      row.engagedInteractions === 0
        ? `Outreach ${row.outreach} of 10 (beside the score, not part of it): you engaged no one else's content in ${days}.`
        : `Outreach ${row.outreach} of 10 (beside the score, not part of it): you engaged ${counted(row.engagedAccounts ?? 0, 'account')} with ${counted(row.engagedInteractions ?? 0, 'interaction')} in ${days}, that is ${round1(row.outreachRaw ?? 0)} saturated, weighted interactions, counted in full up to ${FIGURES.outreach.breadthCap} accounts and as your average beyond (level 2 at ${FIGURES.outreach.unit}, +1 per doubling).`,
    );
  }
  if (row.activity !== null) {
    lines.push(
      row.posts === 0 || row.activeWeeks === 0
        ? `Activity ${row.activity} of 100 (beside the score, not part of it): no posts in ${days}.`
        : `Activity ${row.activity} of 100 (beside the score, not part of it): ${counted(row.posts, 'post')} in ${days}, in ${row.activeWeeks} of its ${weeksOf(PARAMS.windowDays)} weeks; ranked on volume (log) times regularity among the influencers who posted.`,
    );
  }
  return lines;
}

/** "1 post", "24 posts". */
function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

/** "37 accounts engaged with you in the 90 days to 2026-12-01, 12 of them credible". */
function engagersSentence(row: ScoreRow): string {
  const credible = row.credibleEngagers === null ? '' : `, ${row.credibleEngagers} of them credible`;
  return `${row.engagers} accounts engaged with you in the ${PARAMS.windowDays} days to ${row.runDate}${credible}`;
}

/** What a delta compares of two runs' rows (a ScoreRow, or the figures a SCORE_CHANGED notification keeps). */
export type ScoreFigures = Pick<ScoreRow, 'score' | 'reach' | 'amplification' | 'authority' | 'engagers' | 'credibleEngagers'>;

/** The change since the previous run, components as shown (rounded), as the explanation and the inbox report it. */
export function scoreDelta(previousRunDate: string, current: ScoreFigures, previous: ScoreFigures): ScoreDelta {
  return Object.assign(new ScoreDelta(), {
    previousRunDate,
    score: current.score - previous.score,
    reach: Math.round(current.reach) - Math.round(previous.reach),
    amplification: Math.round(current.amplification) - Math.round(previous.amplification),
    authority: Math.round(current.authority) - Math.round(previous.authority),
    engagers: current.engagers - previous.engagers,
    credibleEngagers:
      current.credibleEngagers === null || previous.credibleEngagers === null ? null : current.credibleEngagers - previous.credibleEngagers,
  });
}

/** What moved a score, largest component change first: "authority +8, reach +2, amplification 0; 3 more credible engagers". */
export function movedBy(delta: ScoreDelta): string {
  const parts = (
    [
      ['authority', delta.authority],
      ['reach', delta.reach],
      ['amplification', delta.amplification],
    ] as const
  )
    .slice()
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
    .map(([name, change]) => `${name} ${signed(change)}`);
  const people = delta.credibleEngagers ?? delta.engagers;
  const who = delta.credibleEngagers === null ? 'engagers' : 'credible engagers';
  const engagers = people === 0 ? `no change in ${who}` : `${Math.abs(people)} ${people > 0 ? 'more' : 'fewer'} ${who}`;
  return `${parts.join(', ')}; ${engagers}`;
}
