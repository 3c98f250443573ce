import { Client } from 'pg';
import { loadModelInput, windowMidPage, windowOf } from '../../src/modules/scoring/score-run-loader';
import { createScratchDatabase } from '../helpers/database';

/**
 * The loader reads interactions as two halves of the pages that hold the window, on two
 * connections that share one snapshot: every interaction of the window must arrive exactly once,
 * with its post mapped.
 */
describe('score run loader (real Postgres)', () => {
  let db: { url: string; drop: () => Promise<void> };
  let client: Client;
  const runDate = '2026-11-20';
  const window = windowOf(runDate);

  /** `n` interactions from row `from` on, at `at` (SQL, may use g) with long external ids, so they fill many pages. */
  const addInteractions = (from: number, n: number, at: string) =>
    client.query(
      `INSERT INTO interactions (network, external_id, kind, actor_id, target_id, post_id, occurred_at)
       SELECT 'X', repeat('x', 100) || g, 1 + g % 4, 1 + g % 300, 1 + (g * 7 + 1) % 300,
              CASE WHEN g % 3 = 0 THEN NULL ELSE 1 + g % 500 END, ${at}
       FROM generate_series($1::int, $2::int) g WHERE 1 + g % 300 <> 1 + (g * 7 + 1) % 300`,
      [from, from + n - 1],
    );
  const pageOf = async (where: string) =>
    Number((await client.query(`SELECT max((ctid::text::point)[0])::int AS page FROM interactions WHERE ${where}`)).rows[0].page);

  beforeAll(async () => {
    db = await createScratchDatabase('loader');
    client = new Client({ connectionString: db.url });
    await client.connect();
    await client.query(`INSERT INTO actors (network, handle_hash) SELECT 'X', sha256(int4send(g)) FROM generate_series(1, 300) g`);
    await client.query(
      `INSERT INTO posts (network, external_id, author_id, posted_at, topic_ids)
       SELECT 'X', 'p' || g, 1 + g % 300, timestamptz '2026-11-01' + g * interval '1 minute', '{}' FROM generate_series(1, 500) g`,
    );
    // A long history first (as interactions are appended when they happen), then the window,
    // where every 10th row is a late arrival from before it.
    await addInteractions(1, 12_000, `timestamptz '2025-06-01' + g * interval '1 minute'`);
    await addInteractions(
      100_000,
      6_000,
      `CASE WHEN g % 10 = 0 THEN timestamptz '2026-01-01' ELSE timestamptz '2026-11-10' + g % 6000 * interval '1 second' END`,
    );
    await client.query('ANALYZE');
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('splits where the window lies, not in the middle of the table', async () => {
    const historyEnds = await pageOf(`occurred_at < '2025-12-01'::timestamptz`);
    const tableEnds = await pageOf('true');
    expect(historyEnds).toBeGreaterThan(40);
    const mid = await windowMidPage(client, window);
    expect(mid).toBeGreaterThan(historyEnds);
    expect(mid).toBeLessThan(tableEnds);
  });

  it('reads every interaction of the window once across both halves', async () => {
    const { model } = await loadModelInput(client, window, () => undefined);

    // Posts are loaded as indexes: compare each interaction's post by its author.
    const expected = (
      await client.query(
        `SELECT i.actor_id, i.target_id, i.kind, p.author_id FROM interactions i LEFT JOIN posts p ON p.id = i.post_id
         WHERE i.occurred_at >= $1 AND i.occurred_at < $2`,
        [new Date(window.startMs), new Date(window.endMs)],
      )
    ).rows
      .map((r) => `${r.actor_id}>${r.target_id}:${r.kind}:${r.author_id ?? '-'}`)
      .sort();
    expect(expected.length).toBeGreaterThan(5000);
    const { edges, posts } = model;
    const loaded = Array.from({ length: edges.count }, (_, e) => {
      const post = edges.post[e];
      return `${edges.actor[e]}>${edges.target[e]}:${edges.kind[e]}:${post < 0 ? '-' : posts.author[post]}`;
    }).sort();
    expect(loaded).toEqual(expected);
  });
});
