import type { DataSource, EntityManager } from 'typeorm';
import { businessMetrics } from '../../core/business-metrics';
import { verifyByBio } from '../influencers/ownership';
import { Topic } from '../topics/topic.entity';
import { BatchTooLargeError } from './activity.errors';
import { ensureActors } from './actor-key';
import {
  INGEST_LISTS,
  IngestList,
  IngestListCounts,
  IngestReport,
  RejectionCode,
  type IngestActivityInput,
  type IngestRejection,
} from './activity.types';
import {
  isRejection,
  KIND_CODES,
  validateAccount,
  validateInteraction,
  validatePost,
  type ValidAccount,
  type ValidInteraction,
  type ValidPost,
} from './ingest-validation';

export const MAX_BATCH_ITEMS = 10_000;

export interface MergeCounts {
  acceptedPosts: number;
  acceptedInteractions: number;
  duplicates: number;
  duplicatePosts: number;
  duplicateInteractions: number;
  /** Interactions refused once their references were looked up. */
  rejections: Array<{ index: number; externalId: string; code: RejectionCode; reason: string }>;
}

/**
 * Staging tables live for one transaction. Both entry points fill them (the API from arrays, the
 * bulk import with COPY) and share the merge below, so the rules are written once.
 */
export const STAGE_DDL = [
  `CREATE TEMP TABLE stage_posts (idx int NOT NULL, network network NOT NULL, external_id text NOT NULL,
     author_hash bytea NOT NULL, posted_at timestamptz NOT NULL, topic_ids smallint[] NOT NULL) ON COMMIT DROP`,
  `CREATE TEMP TABLE stage_interactions (idx int NOT NULL, network network NOT NULL, external_id text NOT NULL, kind smallint NOT NULL,
     actor_hash bytea NOT NULL, target_hash bytea NOT NULL, post_external_id text, occurred_at timestamptz NOT NULL) ON COMMIT DROP`,
];

/** Moves staged rows into posts and interactions: actors first, then posts, then interactions whose references hold. */
export async function mergeStaged(manager: EntityManager): Promise<MergeCounts> {
  await manager.query(`
    INSERT INTO actors (network, handle_hash)
    SELECT network, h FROM (
      SELECT network, author_hash AS h FROM stage_posts
      UNION SELECT network, actor_hash FROM stage_interactions
      UNION SELECT network, target_hash FROM stage_interactions
    ) k ORDER BY network, h
    ON CONFLICT DO NOTHING`);
  const [{ staged: stagedPosts, inserted: acceptedPosts }] = await manager.query(`
    WITH inserted AS (
      INSERT INTO posts (network, external_id, author_id, posted_at, topic_ids)
      SELECT s.network, s.external_id, a.id, s.posted_at, s.topic_ids
      FROM stage_posts s JOIN actors a ON a.network = s.network AND a.handle_hash = s.author_hash
      ORDER BY s.idx
      ON CONFLICT (network, external_id) DO NOTHING
      RETURNING 1)
    SELECT (SELECT count(*) FROM stage_posts)::int AS staged, (SELECT count(*) FROM inserted)::int AS inserted`);
  await manager.query(`
    CREATE TEMP TABLE stage_resolved ON COMMIT DROP AS
    SELECT s.idx, s.network, s.external_id, s.kind, s.occurred_at, s.post_external_id,
           aa.id AS actor_id, ta.id AS target_id, p.id AS post_id,
           CASE
             WHEN s.post_external_id IS NOT NULL AND p.id IS NULL THEN 'UNKNOWN_POST'
             WHEN p.id IS NOT NULL AND p.author_id <> CASE WHEN s.kind = ${KIND_CODES.MENTION} THEN aa.id ELSE ta.id END
               THEN 'POST_AUTHOR_MISMATCH'
           END AS rejection
    FROM stage_interactions s
    JOIN actors aa ON aa.network = s.network AND aa.handle_hash = s.actor_hash
    JOIN actors ta ON ta.network = s.network AND ta.handle_hash = s.target_hash
    LEFT JOIN posts p ON p.network = s.network AND p.external_id = s.post_external_id`);
  const refused: Array<{ idx: number; external_id: string; post_external_id: string; rejection: string }> = await manager.query(
    `SELECT idx, external_id, post_external_id, rejection FROM stage_resolved WHERE rejection IS NOT NULL ORDER BY idx`,
  );
  const [{ staged: stagedInteractions, inserted: acceptedInteractions }] = await manager.query(`
    WITH inserted AS (
      INSERT INTO interactions (network, external_id, kind, actor_id, target_id, post_id, occurred_at)
      SELECT network, external_id, kind, actor_id, target_id, post_id, occurred_at
      FROM stage_resolved WHERE rejection IS NULL ORDER BY idx
      ON CONFLICT (network, external_id) DO NOTHING
      RETURNING 1)
    SELECT (SELECT count(*) FROM stage_resolved WHERE rejection IS NULL)::int AS staged, (SELECT count(*) FROM inserted)::int AS inserted`);
  return {
    acceptedPosts,
    acceptedInteractions,
    duplicates: stagedPosts - acceptedPosts + (stagedInteractions - acceptedInteractions),
    duplicatePosts: stagedPosts - acceptedPosts,
    duplicateInteractions: stagedInteractions - acceptedInteractions,
    rejections: refused.map((r) => ({
      index: r.idx,
      externalId: r.external_id,
      code: r.rejection as RejectionCode,
      reason:
        r.rejection === RejectionCode.UNKNOWN_POST
          ? `post "${r.post_external_id}" is not known on this network: send it first or in the same batch`
          : `post "${r.post_external_id}" is not by the expected author (the target's post; for MENTION, the actor's)`,
    })),
  };
}

/**
 * Stores a batch's account snapshots (mergeAccounts) and checks the ownership proofs their bios
 * carry (verifyByBio), in the caller's transaction: both commit, or neither. Returns how many
 * snapshots brought something new.
 */
export async function storeAccounts(manager: EntityManager, accounts: ValidAccount[]): Promise<number> {
  const stored = await mergeAccounts(manager, accounts);
  await verifyByBio(
    manager,
    accounts.flatMap((a) => a.codes.map((code) => ({ network: a.network, handle: a.handle, code }))),
  );
  return stored;
}

/**
 * Stores account snapshots: one row per graph node, the newest observedAt wins. Returns how many
 * brought something new. The others are duplicates: a snapshot older than the one held, the older
 * of two snapshots of one account in a batch, and a newer one with the same figures (sent again
 * without observedAt, say), which only moves observed_at on, so that a late older one still loses.
 */
export async function mergeAccounts(manager: EntityManager, accounts: ValidAccount[]): Promise<number> {
  if (!accounts.length) return 0;
  await ensureActors(
    manager,
    accounts.map((a) => a.network),
    accounts.map((a) => a.hash),
  );
  const [{ stored }] = await manager.query(
    `WITH newest AS (
       SELECT DISTINCT ON (a.id) a.id AS actor_id, s.followers, s.following, s.posts, s.created_at, s.verified, s.observed_at
       FROM unnest($1::int[], $2::network[], $3::bytea[], $4::int[], $5::int[], $6::int[], $7::timestamptz[], $8::bool[], $9::timestamptz[])
         AS s(idx, network, hash, followers, following, posts, created_at, verified, observed_at)
       JOIN actors a ON a.network = s.network AND a.handle_hash = s.hash
       ORDER BY a.id, s.observed_at DESC, s.idx DESC),
     stored AS (
       INSERT INTO account_snapshots (actor_id, followers, following, posts, account_created_at, verified, observed_at)
       SELECT * FROM newest ORDER BY actor_id
       ON CONFLICT (actor_id) DO UPDATE
         SET followers = EXCLUDED.followers, following = EXCLUDED.following, posts = EXCLUDED.posts,
             account_created_at = EXCLUDED.account_created_at, verified = EXCLUDED.verified, observed_at = EXCLUDED.observed_at
         WHERE account_snapshots.observed_at < EXCLUDED.observed_at
       RETURNING actor_id)
     -- held: the rows as they were before this statement (every part of it reads the same snapshot)
     SELECT count(*)::int AS stored
     FROM stored JOIN newest n USING (actor_id) LEFT JOIN account_snapshots held USING (actor_id)
     WHERE held.actor_id IS NULL
        OR (held.followers, held.following, held.posts, held.account_created_at, held.verified)
           IS DISTINCT FROM (n.followers, n.following, n.posts, n.created_at, n.verified)`,
    [
      accounts.map((a) => a.index),
      accounts.map((a) => a.network),
      accounts.map((a) => a.hash),
      accounts.map((a) => a.followers),
      accounts.map((a) => a.following),
      accounts.map((a) => a.posts),
      accounts.map((a) => a.createdAt),
      accounts.map((a) => a.verified),
      accounts.map((a) => a.observedAt),
    ],
  );
  return stored;
}

const NOTHING_MERGED: MergeCounts = {
  acceptedPosts: 0,
  acceptedInteractions: 0,
  duplicates: 0,
  duplicatePosts: 0,
  duplicateInteractions: 0,
  rejections: [],
};

export class ActivityService {
  private topicIds: Promise<Map<string, number>> | undefined;

  constructor(private readonly dataSource: DataSource) {}

  /** slug -> id. The taxonomy only changes through migrations, so one read per process is enough. */
  topicMap(): Promise<Map<string, number>> {
    this.topicIds ??= this.dataSource
      .getRepository(Topic)
      .find()
      .then((topics) => new Map(topics.map((t) => [t.slug, t.id])));
    return this.topicIds;
  }

  /**
   * Stores a batch in one transaction: every valid item is stored or recognised as a duplicate,
   * every invalid one comes back with its index and reason, and nothing is half-written.
   */
  async ingest(input: IngestActivityInput): Promise<IngestReport | BatchTooLargeError> {
    const rawAccounts = input.accounts ?? [];
    const total = input.posts.length + input.interactions.length + rawAccounts.length;
    if (total > MAX_BATCH_ITEMS) return new BatchTooLargeError(MAX_BATCH_ITEMS, total);
    const topics = await this.topicMap();
    const now = Date.now();
    const rejections: IngestRejection[] = [];
    const posts: ValidPost[] = [];
    const interactions: ValidInteraction[] = [];
    const accounts: ValidAccount[] = [];
    input.posts.forEach((raw, i) => {
      const result = validatePost(raw, i, topics, now);
      if (isRejection(result)) rejections.push({ list: IngestList.POSTS, ...result });
      else posts.push(result);
    });
    input.interactions.forEach((raw, i) => {
      const result = validateInteraction(raw, i, now);
      if (isRejection(result)) rejections.push({ list: IngestList.INTERACTIONS, ...result });
      else interactions.push(result);
    });
    rawAccounts.forEach((raw, i) => {
      const result = validateAccount(raw, i, now);
      if (isRejection(result)) rejections.push({ list: IngestList.ACCOUNTS, ...result });
      else accounts.push(result);
    });

    const { merged, storedAccounts } = await this.dataSource.transaction(async (manager) => {
      let merged: MergeCounts = NOTHING_MERGED;
      if (posts.length || interactions.length) {
        for (const ddl of STAGE_DDL) await manager.query(ddl);
        await stageArrays(manager, posts, interactions);
        merged = await mergeStaged(manager);
      }
      // Ownership proofs are checked with the batch that carries them.
      const storedAccounts = await storeAccounts(manager, accounts);
      return { merged, storedAccounts };
    });
    for (const r of merged.rejections) rejections.push({ list: IngestList.INTERACTIONS, ...r });
    countIngested(merged, storedAccounts, rejections);
    const order = (list: IngestList) => INGEST_LISTS.indexOf(list);
    rejections.sort((a, b) => (a.list === b.list ? a.index - b.index : order(a.list) - order(b.list)));
    const rejectedIn = (list: IngestList) => rejections.filter((r) => r.list === list).length;
    const lists = [
      { list: IngestList.POSTS, accepted: merged.acceptedPosts, duplicates: merged.duplicatePosts },
      { list: IngestList.INTERACTIONS, accepted: merged.acceptedInteractions, duplicates: merged.duplicateInteractions },
      { list: IngestList.ACCOUNTS, accepted: storedAccounts, duplicates: accounts.length - storedAccounts },
    ].map((counts) => Object.assign(new IngestListCounts(), { ...counts, rejected: rejectedIn(counts.list) }));
    return Object.assign(new IngestReport(), {
      accepted: lists.reduce((n, l) => n + l.accepted, 0),
      duplicates: lists.reduce((n, l) => n + l.duplicates, 0),
      rejected: rejections.length,
      lists,
      rejections,
    });
  }
}

async function stageArrays(manager: EntityManager, posts: ValidPost[], interactions: ValidInteraction[]): Promise<void> {
  if (posts.length) {
    await manager.query(
      `INSERT INTO stage_posts SELECT i, n, e, h, t, tp::smallint[]
       FROM unnest($1::int[], $2::network[], $3::text[], $4::bytea[], $5::timestamptz[], $6::text[]) AS s(i, n, e, h, t, tp)`,
      [
        posts.map((p) => p.index),
        posts.map((p) => p.network),
        posts.map((p) => p.externalId),
        posts.map((p) => p.authorHash),
        posts.map((p) => p.postedAt),
        posts.map((p) => `{${p.topicIds.join(',')}}`),
      ],
    );
  }
  if (interactions.length) {
    await manager.query(
      `INSERT INTO stage_interactions
       SELECT * FROM unnest($1::int[], $2::network[], $3::text[], $4::smallint[], $5::bytea[], $6::bytea[], $7::text[], $8::timestamptz[])`,
      [
        interactions.map((x) => x.index),
        interactions.map((x) => x.network),
        interactions.map((x) => x.externalId),
        interactions.map((x) => x.kind),
        interactions.map((x) => x.actorHash),
        interactions.map((x) => x.targetHash),
        interactions.map((x) => x.postExternalId),
        interactions.map((x) => x.occurredAt),
      ],
    );
  }
}

/** The batch's stored items and rejections on /metrics (after the commit: a rolled-back batch counts nothing). */
function countIngested(merged: MergeCounts, storedAccounts: number, rejections: IngestRejection[]): void {
  const { ingested, ingestRejected } = businessMetrics;
  if (merged.acceptedPosts) ingested.inc({ kind: 'posts' }, merged.acceptedPosts);
  if (merged.acceptedInteractions) ingested.inc({ kind: 'interactions' }, merged.acceptedInteractions);
  if (storedAccounts) ingested.inc({ kind: 'accounts' }, storedAccounts);
  for (const r of rejections) ingestRejected.inc({ reason: r.code });
}
