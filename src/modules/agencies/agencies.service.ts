import type { DataSource } from 'typeorm';
import { decodeKeysetCursor, encodeCursor, toConnection } from '../../core/connection';
import type { Principal } from '../../core/context';
import { badInput, notFound } from '../../core/errors';
import { TtlCache } from '../../core/ttl-cache';
import { isUuid } from '../../core/ids';
import { UnknownTopicError } from '../campaigns/campaigns.errors';
import type { CampaignsService } from '../campaigns/campaigns.service';
import type { MatchingService } from '../matching/matching.service';
import { explainTargeting, SqlParams, targetingSql, type Targeting } from '../campaigns/targeting';
import { EligibilityReason } from '../campaigns/campaigns.types';
import { loadInfluencerFacts } from '../campaigns/targeting-facts';
import { Influencer } from '../influencers/influencer.entity';
import { FIGURE_COLUMNS, type ScoreReader, type ScoreRow } from '../scoring/score-reader';
import { snapshotTables } from '../scoring/score-run-writer';
import { Eligibility, InfluencerConnection, InfluencerOrderBy, type EligibleInfluencersArgs } from './agencies.types';

/** Total counts of a targeting over one (immutable) snapshot are cached briefly: counting a million rows is the slow part. */
const COUNT_TTL_MS = 60_000;
const COUNT_CACHE_SIZE = 1_000;
/**
 * Pages are cached per snapshot, targeting and cursor for a few seconds: popular searches (the
 * first pages of broad targetings) repeat across agencies, and the snapshot they read never
 * changes. What can change meanwhile is the influencer's profile (an opt-out, a new display
 * name), seen within PAGE_TTL_MS. About 10 kB a page, so the cache stays under ~40 MB.
 */
export const PAGE_TTL_MS = 5_000;
const PAGE_CACHE_SIZE = 4_000;

interface SearchRow extends ScoreRow {
  sort: number;
  userId: string | null;
  displayName: string;
  country: string | null;
  language: string | null;
  optedInAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** One row of a search page as it is cached: shared by the requests that read it, so never mutated. */
interface SearchHit {
  influencer: Influencer;
  score: ScoreRow;
  cursor: string;
}

function searchHit(r: SearchRow, run: { id: number; runDate: string }): SearchHit {
  const influencer = Object.assign(new Influencer(), {
    id: r.influencerId,
    userId: r.userId,
    displayName: r.displayName,
    country: r.country,
    language: r.language,
    optedInAt: r.optedInAt,
    optedOutAt: null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  });
  const score: ScoreRow = {
    influencerId: r.influencerId,
    runId: run.id,
    runDate: run.runDate,
    score: r.score,
    reach: r.reach,
    amplification: r.amplification,
    authority: r.authority,
    reachRaw: r.reachRaw,
    amplificationRaw: r.amplificationRaw,
    authorityRaw: r.authorityRaw,
    engagers: r.engagers,
    reactions: r.reactions,
    posts: r.posts,
    audienceQuality: r.audienceQuality,
    credibleEngagers: r.credibleEngagers,
    confidence: r.confidence,
    outreach: r.outreach,
    outreachRaw: r.outreachRaw,
    engagedAccounts: r.engagedAccounts,
    engagedInteractions: r.engagedInteractions,
    activity: r.activity,
    activeWeeks: r.activeWeeks,
  };
  return { influencer, score, cursor: encodeCursor([Number(r.sort), r.influencerId]) };
}

export class AgenciesService {
  private readonly counts = new TtlCache<string, Promise<number>>(COUNT_TTL_MS, COUNT_CACHE_SIZE);
  private readonly pages = new TtlCache<string, Promise<SearchHit[]>>(PAGE_TTL_MS, PAGE_CACHE_SIZE);

  constructor(
    private readonly dataSource: DataSource,
    private readonly campaigns: CampaignsService,
    private readonly matching: MatchingService,
  ) {}

  /**
   * Opted-in influencers of the current snapshot who meet the targeting, best first, in keyset
   * pages (sort value, influencer id). The page query reads the snapshot's own partition and its
   * (sort, id) index; totalCount runs only when asked for, and is cached per snapshot and targeting.
   */
  async eligibleInfluencers(reader: ScoreReader, args: EligibleInfluencersArgs): Promise<InfluencerConnection> {
    const targeting = await this.campaigns.normalizeTargeting(args.targeting ?? {});
    if (targeting instanceof UnknownTopicError) throw badInput(targeting.message, 'targeting.topics.slugs');
    const run = await reader.current();
    if (!run) return toConnection(new InfluencerConnection(), [] as Influencer[], args.first, 0, () => '', Boolean(args.after));

    const tables = snapshotTables(run.id);
    let sort = 's.score';
    let cursorCast: 'int' | 'float4' = 'int';
    let topicId: number | null = null;
    if (args.orderBy === InfluencerOrderBy.REACH) {
      sort = 's.reach';
      cursorCast = 'float4';
    } else if (args.orderBy === InfluencerOrderBy.TOPIC_SCORE) {
      const slug = (args.topic ?? targeting.find((c) => c.code === 'TOPICS')?.args.slugs[0])?.toLowerCase();
      if (!slug) throw badInput('orderBy TOPIC_SCORE needs a topic: pass topic, or target topics', 'topic');
      const [topic] = await this.dataSource.query(`SELECT id FROM topics WHERE slug = $1`, [slug]);
      if (!topic) throw badInput(`Unknown topic ${slug}: the query \`topics\` lists the slugs`, 'topic');
      topicId = topic.id;
      sort = 'ot.score';
    }
    const keyset = args.after ? decodeKeysetCursor(args.after, cursorCast === 'int' ? 'int' : 'real') : null;
    /** The rows searched, as SQL (FROM ... WHERE ...) with its parameters added to `params`. */
    const searched = (params: SqlParams): string => {
      const from =
        topicId === null
          ? `${tables.scores} s`
          : `${tables.topics} ot JOIN ${tables.scores} s ON s.influencer_id = ot.influencer_id AND ot.topic_id = ${params.add(topicId, 'int')}`;
      const where = targetingSql(targeting, { scores: 's', influencer: 'inf', topicScores: tables.topics, params });
      return `FROM ${from} JOIN influencers inf ON inf.id = s.influencer_id WHERE inf.opted_in_at IS NOT NULL AND ${where}`;
    };
    // The caches are keyed by what the SQL is made of, which is far shorter than the SQL (hashing a
    // 1.5 kB key on every request shows under load); the SQL is built only when a cache misses.
    const searchKey = `${run.id}|${topicId}|${JSON.stringify(targeting)}`;
    const pageKey = `${searchKey}|${sort}|${args.first}|${keyset ? JSON.stringify(keyset) : ''}`;
    const page = await this.pages.getOrLoad(pageKey, async () => {
      const params = new SqlParams();
      const rows = searched(params);
      const after = keyset
        ? `AND (${sort}, s.influencer_id) < (${params.add(keyset[0], cursorCast)}, ${params.add(keyset[1], 'uuid')})`
        : '';
      const pageSql = `SELECT s.influencer_id AS "influencerId", ${sort} AS sort, s.score, s.reach, s.amplification, s.authority,
              s.reach_raw AS "reachRaw", s.amplification_raw AS "amplificationRaw", s.authority_raw AS "authorityRaw",
              s.engagers, s.reactions, s.posts, s.audience_quality AS "audienceQuality", s.credible_engagers AS "credibleEngagers", s.confidence,
              ${FIGURE_COLUMNS},
              inf.user_id AS "userId", inf.display_name AS "displayName", inf.country,
              inf.language, inf.opted_in_at AS "optedInAt", inf.created_at AS "createdAt", inf.updated_at AS "updatedAt"
       ${rows} ${after}
       ORDER BY ${sort} DESC, s.influencer_id DESC
       LIMIT ${params.add(args.first + 1, 'int')}`;
      const found: SearchRow[] = await this.dataSource.query(pageSql, params.values);
      return found.map((r) => searchHit(r, run));
    });
    for (const hit of page) reader.prime(hit.score);
    const cursors = new Map(page.map((hit) => [hit.influencer, hit.cursor]));
    const connection = toConnection(
      new InfluencerConnection(),
      page.map((hit) => hit.influencer),
      args.first,
      0,
      (i) => cursors.get(i)!,
      Boolean(args.after),
    );
    let total: Promise<number> | undefined;
    // Counted only when the client selects totalCount.
    Object.defineProperty(connection, 'totalCount', {
      enumerable: true,
      get: () =>
        (total ??= this.counts.getOrLoad(searchKey, async () => {
          const params = new SqlParams();
          const rows: Array<{ n: number }> = await this.dataSource.query(`SELECT count(*)::int AS n ${searched(params)}`, params.values);
          return rows[0].n;
        })),
    });
    return connection;
  }

  /** Whether an influencer meets a campaign's targeting on the current snapshot, with every failed condition. */
  async eligibility(principal: Principal, reader: ScoreReader, campaignId: string, influencerId: string): Promise<Eligibility> {
    const campaign = await this.campaigns.visibleCampaign(principal, campaignId);
    const eligibility = await this.check(reader, campaign.targeting, influencerId);
    eligibility.offerState = await this.matching.offerState(campaign.id, influencerId, eligibility.eligible);
    return eligibility;
  }

  /** The targeting's verdict alone (offerState is filled by `eligibility`). */
  async check(reader: ScoreReader, targeting: Targeting, influencerId: string): Promise<Eligibility> {
    const run = await reader.current();
    const facts = isUuid(influencerId)
      ? (await loadInfluencerFacts(this.dataSource, run?.id ?? null, [influencerId])).get(influencerId)
      : undefined;
    if (!facts) throw notFound('Influencer');
    const failed = explainTargeting(targeting, facts);
    return Object.assign(new Eligibility(), {
      eligible: failed.length === 0,
      reasons: failed.map((f) => Object.assign(new EligibilityReason(), f)),
      scoredOn: facts.score === null ? null : (run?.runDate ?? null),
    });
  }
}
