import { Client } from 'pg';
import { loadModelInput, windowOf } from '../../src/modules/scoring/score-run-loader';
import { createScratchDatabase } from '../helpers/database';

/**
 * The loader reads interactions as two halves of the table's pages on two connections that share
 * one snapshot: every interaction of the window must arrive exactly once, with its post mapped.
 */
describe('score run loader (real Postgres)', () => {
  let db: { url: string; drop: () => Promise<void> };
  let client: Client;
  const runDate = '2026-11-20';

  beforeAll(async () => {
    db = await createScratchDatabase('loader');
    client = new Client({ connectionString: db.url });
    await client.connect();
    await client.query(`INSERT INTO actors (network, handle_hash) SELECT 'X', sha256(int4send(g)) FROM generate_series(1, 300) g`);
    await client.query(
      `INSERT INTO posts (network, external_id, author_id, posted_at, topic_ids)
       SELECT 'X', 'p' || g, 1 + g % 300, timestamptz '2026-11-01' + g * interval '1 minute', '{}' FROM generate_series(1, 500) g`,
    );
    // Long external ids spread 6,000 rows over many pages; every 10th row lies before the window.
    await client.query(
      `INSERT INTO interactions (network, external_id, kind, actor_id, target_id, post_id, occurred_at)
       SELECT 'X', repeat('x', 100) || g, 1 + g % 4, 1 + g % 300, 1 + (g * 7 + 1) % 300,
              CASE WHEN g % 3 = 0 THEN NULL ELSE 1 + g % 500 END,
              CASE WHEN g % 10 = 0 THEN timestamptz '2026-01-01' ELSE timestamptz '2026-11-10' + g * interval '1 second' END
       FROM generate_series(1, 6000) g WHERE 1 + g % 300 <> 1 + (g * 7 + 1) % 300`,
    );
    await client.query('ANALYZE');
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('reads every interaction of the window once across both halves, on a table of many pages', async () => {
    const [{ pages }] = (await client.query(`SELECT pg_relation_size('interactions') / 8192 AS pages`)).rows;
    expect(Number(pages)).toBeGreaterThan(10);
    const window = windowOf(runDate);
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
