import { Client } from 'pg';
import { accountQuality, evidenceQuality, NO_EVIDENCE, PARAMS } from '../../src/modules/scoring/score-model';
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

  it("reads connectors' snapshots as evidence, and only proven accounts as an influencer's", async () => {
    const DAY = 86_400_000;
    const snapshot = { followers: 1234, following: 321, posts: 77, verified: true, createdMs: window.endMs - 200 * DAY };
    await client.query(
      `INSERT INTO account_snapshots (actor_id, followers, following, posts, account_created_at, verified, observed_at)
       VALUES (1, $1, $2, $3, $4, $5, now()), (2, 10, 5000, 0, now() - interval '3 days', false, now()),
              (3, 2000000000, 0, 2000000000, '2006-03-21T00:00:00Z', false, now())`,
      [snapshot.followers, snapshot.following, snapshot.posts, new Date(snapshot.createdMs), snapshot.verified],
    );
    // Node 4 belonged to someone who erased their data: it keeps what the model read from its snapshot.
    await client.query(`UPDATE actors SET erased_quality = 0.7, erased_evidence = 0.3 WHERE id = 4`);
    await client.query(`UPDATE actors SET erased_quality = 0.6 WHERE id = 5`);
    const owner = '00000000-0000-4000-8000-000000000001';
    const squatter = '00000000-0000-4000-8000-000000000002';
    await client.query(`INSERT INTO influencers (id, display_name, opted_in_at) VALUES ($1, 'owner', now()), ($2, 'squatter', now())`, [
      owner,
      squatter,
    ]);
    // The figures influencers declare (999999 followers) must not be read.
    const link = (influencer: string, actor: number, status: string) =>
      client.query(
        `INSERT INTO social_accounts (influencer_id, network, handle, followers, following, account_created_at, actor_id, status,
                                      verification_code, verified_at, verification_method)
         VALUES ($1, 'X', 'h' || $2::int, 999999, 0, '2001-01-01', $2, $3::social_account_status,
                 CASE WHEN $3 = 'PENDING' THEN 'perks-abcdefghij' END,
                 CASE WHEN $3 = 'VERIFIED' THEN now() END, CASE WHEN $3 = 'VERIFIED' THEN 'OPERATOR'::social_account_verification_method END)`,
        [influencer, actor, status],
      );
    await link(owner, 1, 'VERIFIED');
    await link(owner, 3, 'VERIFIED');
    await link(owner, 2, 'PENDING');
    await link(squatter, 1, 'PENDING');
    await link(squatter, 6, 'REVOKED');

    const { model, influencerIds } = await loadModelInput(client, window, () => undefined);
    const age = (ms: number) => (window.endMs - ms) / DAY;
    const first = { ...snapshot, accountAgeDays: age(snapshot.createdMs) };
    expect(model.evidence[1]).toBe(evidenceQuality(first));
    expect(model.quality[1]).toBe(accountQuality(first));
    expect(model.evidence[2]).toBeLessThan(0.05); // days old, nothing posted, a follow-spam ratio
    expect(model.evidence[3]).toBeGreaterThan(0.99);
    expect([model.quality[4], model.evidence[4]]).toEqual([0.7, 0.3]);
    expect([model.quality[5], model.evidence[5]]).toEqual([0.6, NO_EVIDENCE]);
    expect([model.quality[6], model.evidence[6]]).toEqual([PARAMS.unknownQuality, NO_EVIDENCE]);
    expect(model.evidence.length).toBe(model.nodes);

    const ids = Array.from({ length: model.influencers.count }, (_, i) =>
      influencerIds
        .subarray(16 * i, 16 * i + 16)
        .toString('hex')
        .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
    );
    expect(ids).toEqual([owner, squatter]);
    const { ownedStart, ownedNodes, followers } = model.influencers;
    const owned = (i: number) => Array.from(ownedNodes.subarray(ownedStart[i], ownedStart[i + 1]));
    expect([owned(0), owned(1)]).toEqual([[1, 3], []]);
    expect(Array.from(followers)).toEqual([1234 + 2_000_000_000, 0]);
  });
});
