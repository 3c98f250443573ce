import type { DataSource, EntityManager } from 'typeorm';
import type { InfluencerFacts } from './targeting';

/** The columns influencerFactsSql selects. */
export interface InfluencerFactsRow {
  id: string;
  country: string | null;
  language: string | null;
  score: number | null;
  reach: number | null;
  audience_quality: number | null;
  networks: string[];
  topics: Record<string, number> | null;
}

/**
 * The facts the targeting conditions read, as a SELECT over `influencers inf` restricted by
 * `where`, from the snapshot of run `runId` (SQL expressions, so the query can be part of a
 * larger statement). Only opted-in influencers are answered; only proven (VERIFIED) accounts count.
 */
export function influencerFactsSql(where: string, runId: string): string {
  return `SELECT inf.id, inf.country, inf.language, s.score, s.reach, s.audience_quality,
            ARRAY(SELECT DISTINCT sa.network::text FROM social_accounts sa
                  WHERE sa.influencer_id = inf.id AND sa.status = 'VERIFIED') AS networks,
            (SELECT jsonb_object_agg(tp.slug, ts.score) FROM influencer_topic_scores ts JOIN topics tp ON tp.id = ts.topic_id
              WHERE ts.run_id = ${runId} AND ts.influencer_id = inf.id) AS topics
     FROM influencers inf
     LEFT JOIN influencer_scores s ON s.run_id = ${runId} AND s.influencer_id = inf.id
     WHERE ${where} AND inf.opted_in_at IS NOT NULL`;
}

export function influencerFacts(row: InfluencerFactsRow): InfluencerFacts {
  return {
    influencerId: row.id,
    score: row.score,
    reach: row.reach,
    audienceQuality: row.audience_quality,
    country: row.country,
    language: row.language,
    networks: row.networks,
    topicScores: row.topics ?? {},
  };
}

/**
 * The facts for some opted-in influencers from one score snapshot (null: no run yet, so nobody
 * has a score). Influencers missing from the answer are unknown or have not opted in. Pass a
 * transaction's EntityManager to read inside it.
 */
export async function loadInfluencerFacts(
  db: DataSource | EntityManager,
  runId: number | null,
  ids: string[],
): Promise<Map<string, InfluencerFacts>> {
  const rows: InfluencerFactsRow[] = await db.query(influencerFactsSql('inf.id = ANY($1::uuid[])', '$2'), [ids, runId ?? -1]);
  return new Map(rows.map((r) => [r.id, influencerFacts(r)]));
}
