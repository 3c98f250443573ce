import type { ClientBase } from 'pg';
import { copyIn, onSideConnections } from '../../core/pg-binary-copy';
import type { ModelResult } from './score-model';

const ROWS_PER_YIELD = 4096;
const FREEZE = { freeze: true };
/** Per connection, for the index builds (three at once). */
const MAINTENANCE_WORK_MEM = '256MB';

/** The tables one run writes; they become partitions of the parents when the run switches. */
export function snapshotTables(runId: number) {
  return {
    scores: `influencer_scores_r${runId}`,
    topics: `influencer_topic_scores_r${runId}`,
    ranks: `actor_ranks_r${runId}`,
  };
}

/** The columns of influencer_scores a run writes, in the order each row writes them. */
const SCORE_COLUMNS = [
  'run_id',
  'influencer_id',
  'score',
  'reach',
  'amplification',
  'authority',
  'reach_raw',
  'amplification_raw',
  'authority_raw',
  'engagers',
  'reactions',
  'posts',
  'audience_quality',
  'credible_engagers',
  'confidence',
  'outreach',
  'outreach_raw',
  'engaged_accounts',
  'engaged_interactions',
  'activity',
  'active_weeks',
];

/**
 * Writes a run's snapshot into tables of its own with binary COPY, then indexes them. The tables
 * carry the CHECK (run_id = id) from the start, which lets ATTACH PARTITION skip a validation
 * scan. Each table loads and is indexed on its own connection, side by side with the others.
 * Leftovers of an earlier, interrupted attempt are dropped first, so a retry starts clean.
 */
export async function writeSnapshot(
  client: ClientBase,
  runId: number,
  result: ModelResult,
  influencerIds: Buffer,
  onProgress: (rowsWritten: number, rowsTotal: number) => void,
): Promise<void> {
  const t = snapshotTables(runId);
  const s = result.influencers;
  await dropSnapshotTables(client, runId);

  // Rows handed to COPY, counted at each yield (every ROWS_PER_YIELD rows), of the exact total.
  // Building indexes after the loads is work too: counted as a tenth of a table's rows, plus one
  // unit per table, so the phase is not complete while a table (even an empty one) is still to come.
  const counts = [s.score.length, s.topicIds.length, result.nodeRank.length];
  const written = [0, 0, 0];
  const total = counts.reduce((a, b) => a + b * 1.1 + 1, 0);
  const wrote = (table: number, rows: number) => {
    written[table] = rows;
    onProgress(written[0] + written[1] + written[2], total);
  };
  const tableDone = (table: number) => wrote(table, counts[table] * 1.1 + 1);
  // Each table is created, loaded and indexed in one transaction on its own connection: COPY
  // FREEZE (which needs the table created in the same transaction) marks its pages all-visible,
  // so search and matching read the scores through index-only scans without the VACUUM that a
  // plain COPY's table needs first (new tables have an empty visibility map); ANALYZE after.
  // Indexes after the load: building a btree once is far cheaper than maintaining it per row;
  // with more maintenance_work_mem than the default 64MB, the sorts of millions of rows spill less.
  const inTable = (table: string, parent: string, load: (c: ClientBase) => Promise<void>) => async (c: ClientBase) => {
    await c.query('BEGIN');
    try {
      await c.query(`SET LOCAL maintenance_work_mem = '${MAINTENANCE_WORK_MEM}'`);
      await c.query(`CREATE TABLE ${table} (LIKE ${parent}, CONSTRAINT ${table}_run_check CHECK (run_id = ${runId}))`);
      await load(c);
      await c.query('COMMIT');
    } catch (error) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    await c.query(`ANALYZE ${table}`);
  };
  await onSideConnections(client, [
    inTable(t.scores, 'influencer_scores', async (c) => {
      await copyIn(
        c,
        t.scores,
        SCORE_COLUMNS,
        function* (w) {
          for (let i = 0; i < s.score.length; i++) {
            w.row(180)
              .int32(runId)
              .bytesAt(influencerIds, i * 16, 16)
              .int16(s.score[i])
              .float4(s.reach[i])
              .float4(s.amplification[i])
              .float4(s.authority[i])
              .float4(s.reachRaw[i])
              .float4(s.amplificationRaw[i])
              .float4(s.authorityRaw[i])
              .int32(s.engagers[i])
              .int32(s.reactions[i])
              .int32(s.posts[i])
              .float4(s.audienceQuality[i])
              .int32(s.credibleEngagers[i])
              .float4(s.confidence[i])
              .int16(s.outreach[i])
              .float4(s.outreachRaw[i])
              .int32(s.engagedAccounts[i])
              .int32(s.engagedInteractions[i])
              .int16(s.activity[i])
              .int16(s.activeWeeks[i]);
            if (i % ROWS_PER_YIELD === 0) {
              wrote(0, i);
              yield;
            }
          }
        },
        FREEZE,
      );
      await c.query(`ALTER TABLE ${t.scores} ADD CONSTRAINT ${t.scores}_pkey PRIMARY KEY (influencer_id)`);
      // Keyset search pages walk these backwards: ORDER BY key DESC, influencer_id DESC.
      await c.query(`CREATE INDEX ${t.scores}_score_idx ON ${t.scores} (score, influencer_id)`);
      await c.query(`CREATE INDEX ${t.scores}_reach_idx ON ${t.scores} (reach, influencer_id)`);
      tableDone(0);
    }),
    inTable(t.topics, 'influencer_topic_scores', async (c) => {
      await copyIn(
        c,
        t.topics,
        ['run_id', 'influencer_id', 'topic_id', 'score', 'engagement'],
        function* (w) {
          for (let i = 0; i < s.score.length; i++) {
            for (let k = s.topicStart[i]; k < s.topicStart[i + 1]; k++) {
              w.row(60)
                .int32(runId)
                .bytesAt(influencerIds, i * 16, 16)
                .int16(s.topicIds[k])
                .int16(s.topicScores[k])
                .float4(s.topicEngagement[k]);
            }
            if (i % ROWS_PER_YIELD === 0) {
              wrote(1, s.topicStart[i]);
              yield;
            }
          }
        },
        FREEZE,
      );
      await c.query(`ALTER TABLE ${t.topics} ADD CONSTRAINT ${t.topics}_pkey PRIMARY KEY (influencer_id, topic_id)`);
      await c.query(`CREATE INDEX ${t.topics}_topic_score_idx ON ${t.topics} (topic_id, score, influencer_id)`);
      tableDone(1);
    }),
    inTable(t.ranks, 'actor_ranks', async (c) => {
      await copyIn(
        c,
        t.ranks,
        ['run_id', 'actor_id', 'rank', 'credibility'],
        function* (w) {
          const { nodeRank: rank, credibility } = result;
          for (let n = 0; n < rank.length; n++) {
            w.row(48).int32(runId).int32(n).float8(rank[n]).float4(credibility[n]);
            if (n % ROWS_PER_YIELD === 0) {
              wrote(2, n);
              yield;
            }
          }
        },
        FREEZE,
      );
      await c.query(`ALTER TABLE ${t.ranks} ADD CONSTRAINT ${t.ranks}_pkey PRIMARY KEY (actor_id)`);
      tableDone(2);
    }),
  ]);
}

/** Drops a run's tables whether attached (partitions) or not. */
export async function dropSnapshotTables(client: ClientBase, runId: number): Promise<void> {
  const t = snapshotTables(runId);
  await client.query(`DROP TABLE IF EXISTS ${t.scores}, ${t.topics}, ${t.ranks}`);
}
