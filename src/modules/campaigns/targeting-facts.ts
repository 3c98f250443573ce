import type { DataSource, EntityManager } from 'typeorm';
import type { InfluencerFacts } from './targeting';

/**
 * The facts the targeting conditions read, for some opted-in influencers, from one score
 * snapshot (null: no run yet, so nobody has a score). Influencers missing from the answer are
 * unknown or have not opted in. Pass a transaction's EntityManager to read inside it.
 */
export async function loadInfluencerFacts(
  db: DataSource | EntityManager,
  runId: number | null,
  ids: string[],
): Promise<Map<string, InfluencerFacts>> {
  const rows: Array<{
    id: string;
    country: string | null;
    score: number | null;
    reach: number | null;
    networks: string[];
    topics: Record<string, number> | null;
  }> = await db.query(
    `SELECT inf.id, inf.country, s.score, s.reach,
            ARRAY(SELECT DISTINCT sa.network::text FROM social_accounts sa WHERE sa.influencer_id = inf.id) AS networks,
            (SELECT jsonb_object_agg(tp.slug, ts.score) FROM influencer_topic_scores ts JOIN topics tp ON tp.id = ts.topic_id
              WHERE ts.run_id = $2 AND ts.influencer_id = inf.id) AS topics
     FROM influencers inf
     LEFT JOIN influencer_scores s ON s.run_id = $2 AND s.influencer_id = inf.id
     WHERE inf.id = ANY($1::uuid[]) AND inf.opted_in_at IS NOT NULL`,
    [ids, runId ?? -1],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        influencerId: r.id,
        score: r.score,
        reach: r.reach,
        country: r.country,
        networks: r.networks,
        topicScores: r.topics ?? {},
      } satisfies InfluencerFacts,
    ]),
  );
}
