import type { ClientBase } from 'pg';
import { copyOut, forEachInt, isNull, onSideConnections, readInt32, readInt64, readTimestampMs } from '../../core/pg-binary-copy';
import {
  accountQuality,
  evidenceQuality,
  NO_EVIDENCE,
  PARAMS,
  type AccountEvidence,
  type ModelInput,
  type ModelVersion,
} from './score-model';

const DAY_MS = 86_400_000;
/** Milliseconds from the Unix epoch to Postgres' epoch (2000-01-01), as in readTimestampMs. */
const PG_EPOCH_MS = 946_684_800_000;

export interface ScoreWindow {
  /** Inclusive start and exclusive end, epoch ms. */
  startMs: number;
  endMs: number;
}

/** The window of a run date: the windowDays days that end when the date ends (UTC). */
export function windowOf(runDate: string): ScoreWindow {
  const endMs = Date.parse(`${runDate}T00:00:00Z`) + DAY_MS;
  return { startMs: endMs - PARAMS.windowDays * DAY_MS, endMs };
}

export interface LoadedInput {
  model: ModelInput;
  /** Influencer i's id is influencerIds[16i .. 16i+16) (uuid bytes), in uuid order. */
  influencerIds: Buffer;
}

type Column = Int32Array | Uint8Array | Uint16Array | Float32Array | Float64Array;

/** A copy of `column` with room for `length` values (in shared memory if it was). */
function grown<T extends Column>(column: T, length: number): T {
  const bigger =
    column.buffer instanceof SharedArrayBuffer
      ? sharedColumn(column.constructor as ColumnType<T>, length)
      : new (column.constructor as new (n: number) => T)(length);
  bigger.set(column);
  return bigger;
}

/**
 * id -> position lookup. Post ids are an identity, so the window's posts form a nearly dense
 * range: an array indexed by (id - min) is far faster than a Map; a Map serves a sparse range.
 */
function denseIndex(ids: Float64Array): (id: number) => number {
  if (ids.length === 0) return () => -1;
  let min = Infinity;
  let max = -Infinity;
  for (const id of ids) {
    if (id < min) min = id;
    if (id > max) max = id;
  }
  if (max - min + 1 > 4 * ids.length + 1024) {
    const map = new Map<number, number>();
    ids.forEach((id, i) => map.set(id, i));
    return (id) => map.get(id) ?? -1;
  }
  const slots = new Int32Array(max - min + 1).fill(-1);
  ids.forEach((id, i) => (slots[id - min] = i));
  return (id) => {
    const k = id - min;
    return k >= 0 && k < slots.length ? slots[k] : -1;
  };
}

const sqlTime = (ms: number) => `'${new Date(ms).toISOString()}'::timestamptz`;

/** Room above the planner's estimate: ANALYZE samples, so the estimate can fall short of the count. */
const ESTIMATE_MARGIN = 1.1;

/**
 * The planner's row estimate of a table, with a margin: arrays sized from it rarely grow (and
 * untouched room costs no memory, while growing doubles an array and copies it, and holds both
 * for a moment: 20M interactions estimated at 19,998,820 once made the run's peak 40M rows wide).
 */
async function estimatedRows(client: ClientBase, table: string): Promise<number> {
  const [{ estimate }] = (
    await client.query(`SELECT greatest(reltuples, 1024)::bigint AS estimate FROM pg_class WHERE oid = $1::regclass`, [table])
  ).rows;
  return Math.min(Math.ceil(Number(estimate) * ESTIMATE_MARGIN) + 1024, 2 ** 30);
}

/**
 * Reads everything a run needs with binary COPY: nodes, influencers with their proven accounts,
 * posts of the window (and of the window before it, which interactions may still refer to),
 * interactions of the window, and the connectors' account snapshots. Rows go straight into typed
 * arrays: no object per row. The reads run side by side on five connections that share one
 * snapshot (so they see the same data): interactions, by far the largest, as two halves of the
 * pages that hold the window, then posts, influencers and account snapshots. Interactions carry
 * post ids, which become post indexes once both are in; influencers' follower counts come from
 * the snapshots of the nodes they own, once both are in.
 */
export async function loadModelInput(
  client: ClientBase,
  window: ScoreWindow,
  onProgress: (rowsRead: number, rowsExpected: number) => void,
  options: { version?: ModelVersion } = {},
): Promise<LoadedInput> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const [{ snapshot, max }] = (
      await client.query(`SELECT pg_export_snapshot() AS snapshot, (SELECT coalesce(max(id), 0)::int FROM actors) AS max`)
    ).rows;
    const nodes = max + 1;
    // Only the prior the run's version reads (8 bytes a node at the run's peak); both without one.
    const quality = new Float64Array(options.version === 2 ? 0 : nodes).fill(PARAMS.unknownQuality);
    const evidence = new Float64Array(options.version === 1 ? 0 : nodes).fill(NO_EVIDENCE);
    const nodeFollowers = new Int32Array(nodes);
    const interactions = new InteractionColumns(await estimatedRows(client, 'interactions'));
    const sample = await windowSample(client, window);
    const half = sample.page;
    let posts: Posts | undefined;
    let influencers: Influencers | undefined;
    // Rows read per read, of the planner's and the sample's estimates; a finished read's estimate
    // becomes its count.
    const expected = [sample.rows / 2, sample.rows / 2, ...(await plannerRows(client, ['posts', 'influencers', 'account_snapshots']))];
    const read = expected.map(() => 0);
    const finished = -1;
    const report = () => {
      let done = 0;
      let total = 0;
      let reading = false;
      for (let i = 0; i < read.length; i++) {
        done += read[i];
        total += Math.max(read[i], expected[i]);
        reading ||= expected[i] !== finished;
      }
      // An estimate can fall short (a table never analysed estimates 0): a read still going is
      // never shown as all done.
      onProgress(done, reading ? Math.max(total, done / 0.99) : total);
    };
    const counting = (i: number) => (rows: number) => {
      read[i] = rows;
      report();
    };
    const inSnapshot = (task: (c: ClientBase) => Promise<void>) => async (c: ClientBase) => {
      if (c === client) return task(c);
      await c.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '${snapshot}'`);
      await task(c);
      await c.query('COMMIT');
    };
    const reads: Array<(c: ClientBase) => Promise<unknown>> = [
      async (c) => loadInteractions(c, window, `ctid < '(${half},0)'::tid`, interactions, false, counting(0)),
      async (c) => loadInteractions(c, window, `ctid >= '(${half},0)'::tid`, interactions, true, counting(1)),
      async (c) => (posts = await loadPosts(c, window, counting(2))),
      async (c) => (influencers = await loadInfluencers(c, counting(3))),
      async (c) => loadAccountEvidence(c, window, { quality, evidence, followers: nodeFollowers }, counting(4)),
    ];
    await onSideConnections(
      client,
      reads.map((task, i) =>
        inSnapshot(async (c) => {
          await task(c);
          expected[i] = finished;
          report();
        }),
      ),
    );
    await client.query('COMMIT');
    const { edges, wideIds } = interactions.joined();
    const postIndex = posts!.index;
    for (let e = 0; e < edges.count; e++) {
      const id = wideIds ? wideIds[e] : edges.post[e];
      edges.post[e] = id < 0 ? -1 : postIndex(id);
    }
    const { ownedStart, ownedNodes, followers } = influencers!.model;
    for (let i = 0; i < influencers!.model.count; i++) {
      for (let k = ownedStart[i]; k < ownedStart[i + 1]; k++) followers[i] += nodeFollowers[ownedNodes[k]];
    }
    return {
      model: { nodes, edges, quality, evidence, posts: posts!.model, influencers: influencers!.model, maxTopicId: posts!.maxTopicId },
      influencerIds: influencers!.ids,
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Pages the split point is estimated from: enough for a median within a few percent. */
const SAMPLED_PAGES = 256;

/**
 * The page that splits the window's interactions into two halves of about equal size, from a
 * sample of the table's pages. Interactions are appended as they happen, so on a table with a long
 * history the window lies in its last pages, and half of the table's pages would hold none of it.
 */
export async function windowMidPage(client: ClientBase, window: ScoreWindow): Promise<number> {
  return (await windowSample(client, window)).page;
}

/** The split page, and the window's interactions estimated from the same sample (for progress). */
async function windowSample(client: ClientBase, window: ScoreWindow): Promise<{ page: number; rows: number }> {
  const [{ pages }] = (await client.query(`SELECT (pg_relation_size('interactions') / current_setting('block_size')::int)::int AS pages`))
    .rows;
  const percent = Math.min(100, (100 * SAMPLED_PAGES) / Math.max(1, pages));
  const [{ page, n }] = (
    await client.query(
      `SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY (ctid::text::point)[0])::int AS page, count(*)::int AS n
       FROM interactions TABLESAMPLE SYSTEM (${percent}) REPEATABLE (1)
       WHERE occurred_at >= ${sqlTime(window.startMs)} AND occurred_at < ${sqlTime(window.endMs)}`,
    )
  ).rows;
  return { page: page ?? Math.ceil(pages / 2), rows: Math.round((n * 100) / percent) };
}

/** The planner's row counts (0 for a table never analysed), without estimatedRows' margins. */
async function plannerRows(client: ClientBase, tables: string[]): Promise<number[]> {
  const { rows } = await client.query(
    `SELECT greatest(c.reltuples, 0)::float8 AS n FROM unnest($1::text[]) WITH ORDINALITY t(name, i) JOIN pg_class c ON c.oid = t.name::regclass ORDER BY t.i`,
    [tables],
  );
  return rows.map((r: { n: number }) => r.n);
}

interface Influencers {
  model: ModelInput['influencers'];
  ids: Buffer;
}

/**
 * Influencers (opted in) and the nodes of their VERIFIED accounts: an account nobody proved is
 * nobody's. Followers are filled in later, from the connectors' snapshots of those nodes.
 */
async function loadInfluencers(client: ClientBase, onRows: (rows: number) => void): Promise<Influencers> {
  let capacity = await estimatedRows(client, 'influencers');
  let ids = Buffer.alloc(16 * capacity);
  // Shared, like the posts' topics: the model's worker threads read them without a copy.
  let ownedStart = sharedColumn(Int32Array, capacity + 1);
  let owned = sharedColumn(Int32Array, 1024);
  let count = 0;
  let ownedCount = 0;
  await copyOut(
    client,
    `SELECT i.id, sa.actor_id
     FROM influencers i LEFT JOIN social_accounts sa ON sa.influencer_id = i.id AND sa.status = 'VERIFIED' AND sa.actor_id IS NOT NULL
     WHERE i.opted_in_at IS NOT NULL ORDER BY i.id, sa.actor_id`,
    (row) => {
      const at = row.offset[0];
      const last = 16 * (count - 1);
      if (count === 0 || row.buffer.compare(ids, last, last + 16, at, at + 16) !== 0) {
        if (count === capacity) {
          capacity *= 2;
          const biggerIds = Buffer.alloc(16 * capacity);
          ids.copy(biggerIds);
          ids = biggerIds;
          ownedStart = grown(ownedStart, capacity + 1);
        }
        row.buffer.copy(ids, 16 * count, at, at + 16);
        count++;
        ownedStart[count] = ownedCount;
      }
      if (isNull(row, 1)) return;
      if (ownedCount === owned.length) owned = grown(owned, 2 * owned.length);
      owned[ownedCount++] = readInt32(row, 1);
      ownedStart[count] = ownedCount;
    },
    onRows,
  );
  return {
    model: {
      count,
      ownedStart: ownedStart.subarray(0, count + 1),
      ownedNodes: owned.subarray(0, ownedCount),
      followers: sharedColumn(Float64Array, count),
    },
    ids: ids.subarray(0, 16 * count),
  };
}

interface NodeEvidence {
  /** Version 1's teleport prior (accountQuality), PARAMS.unknownQuality where no snapshot; empty when not read. */
  quality: Float64Array;
  /** Version 2's evidenceQuality, NO_EVIDENCE where no snapshot; empty when not read. */
  evidence: Float64Array;
  /** The snapshot's follower count, 0 where none. */
  followers: Int32Array;
}

/**
 * The connectors' newest snapshot of each account that has one (a million rows or more), into
 * per-node arrays; ages are measured at the window's end. Four fields per row instead of six
 * (COPY's cost is mostly per field): followers and following pack into one int8, and so do posts
 * and verified. Nodes of influencers who erased their data have no snapshot any more: they keep
 * the prior and the evidence their snapshot gave them (frozen at erasure), so erasing one person
 * moves nobody else's score. A few rows, by a partial index.
 */
async function loadAccountEvidence(
  client: ClientBase,
  window: ScoreWindow,
  into: NodeEvidence,
  onRows: (rows: number) => void,
): Promise<void> {
  const { quality, evidence, followers } = into;
  const nodes = followers.length;
  const [withQuality, withEvidence] = [quality.length > 0, evidence.length > 0];
  const account: AccountEvidence = { followers: 0, following: 0, posts: 0, accountAgeDays: 0, verified: false };
  await copyOut(
    client,
    `SELECT actor_id, (followers::int8 << 32) | following, posts::int8 * 2 + verified::int, account_created_at FROM account_snapshots`,
    (row) => {
      const node = readInt32(row, 0);
      if (node >= nodes) return;
      const v = row.view;
      const counts = row.offset[1];
      account.followers = v.getInt32(counts);
      account.following = v.getInt32(counts + 4);
      const postsVerified = readInt64(row, 2);
      account.posts = Math.floor(postsVerified / 2);
      account.verified = postsVerified % 2 === 1;
      account.accountAgeDays = (window.endMs - readTimestampMs(row, 3)) / DAY_MS;
      if (withQuality) quality[node] = accountQuality(account);
      if (withEvidence) evidence[node] = evidenceQuality(account);
      followers[node] = account.followers;
    },
    onRows,
  );
  const erased = await client.query(`SELECT id, erased_quality, erased_evidence FROM actors WHERE erased_quality IS NOT NULL`);
  for (const row of erased.rows) {
    if (row.id >= nodes) continue;
    if (withQuality) quality[row.id] = row.erased_quality;
    if (withEvidence && row.erased_evidence !== null) evidence[row.id] = row.erased_evidence;
  }
}

interface Posts {
  model: ModelInput['posts'];
  maxTopicId: number;
  /** Post id -> index in model, or -1. */
  index: (id: number) => number;
}

/** Posts of the window and of the window before it, with a dense index over their ids. */
async function loadPosts(client: ClientBase, window: ScoreWindow, onRows: (rows: number) => void): Promise<Posts> {
  let capacity = await estimatedRows(client, 'posts');
  let ids = new Float64Array(capacity);
  let author = new Int32Array(capacity);
  let inWindow = new Uint8Array(capacity);
  let ageDays = new Uint8Array(capacity);
  let topicStart = sharedColumn(Int32Array, capacity + 1);
  let topicIds = sharedColumn(Uint16Array, capacity);
  let count = 0;
  let topics = 0;
  let maxTopicId = 0;
  const [start, end] = [sqlTime(window.startMs), sqlTime(window.endMs)];
  const addTopic = (topic: number) => {
    if (topics === topicIds.length) topicIds = grown(topicIds, 2 * topicIds.length);
    topicIds[topics++] = topic;
    if (topic > maxTopicId) maxTopicId = topic;
  };
  await copyOut(
    client,
    `SELECT id, author_id,
            CASE WHEN posted_at >= ${start} THEN least(${PARAMS.windowDays - 1}, floor(extract(epoch FROM ${end} - posted_at) / 86400))::int ELSE -1 END,
            topic_ids FROM posts
     WHERE posted_at >= ${sqlTime(window.startMs - PARAMS.windowDays * DAY_MS)} AND posted_at < ${end}`,
    (row) => {
      if (count === capacity) {
        capacity *= 2;
        ids = grown(ids, capacity);
        author = grown(author, capacity);
        inWindow = grown(inWindow, capacity);
        ageDays = grown(ageDays, capacity);
        topicStart = grown(topicStart, capacity + 1);
      }
      ids[count] = readInt64(row, 0);
      author[count] = readInt32(row, 1);
      // Whole days before the window's end for a post in the window (its week, for activity); -1 before it.
      const age = readInt32(row, 2);
      inWindow[count] = age >= 0 ? 1 : 0;
      ageDays[count] = Math.max(0, age);
      forEachInt(row, 3, addTopic);
      topicStart[++count] = topics;
    },
    onRows,
  );
  return {
    model: {
      count,
      author: author.subarray(0, count),
      inWindow: inWindow.subarray(0, count),
      ageDays: ageDays.subarray(0, count),
      topicStart: topicStart.subarray(0, count + 1),
      topicIds: topicIds.subarray(0, topics),
    },
    maxTopicId,
    index: denseIndex(ids.subarray(0, count)),
  };
}

type ColumnType<T extends Column> = { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number };

/** A column in shared memory, which the model's worker threads read without a copy. */
function sharedColumn<T extends Column>(type: ColumnType<T>, length: number): T {
  return new type(new SharedArrayBuffer(type.BYTES_PER_ELEMENT * length));
}

/**
 * The five columns of `capacity` rows in one shared buffer (4-byte columns first, so each is
 * aligned): once the model has grouped the interactions by target in place, the whole buffer is
 * memory it can reuse (computeScores' consumeEdges). Target and kind come last: the grouped edges
 * no longer read them, so with the rows past the last one of the age column (its weights) they
 * are one free run of 5 bytes a row and more, where the pairs' weights (8 bytes a pair, about 0.6
 * pairs a row) fit.
 */
function interactionBuffer(capacity: number) {
  const buffer = new SharedArrayBuffer(17 * capacity);
  return {
    actor: new Int32Array(buffer, 0, capacity),
    post: new Int32Array(buffer, 4 * capacity, capacity),
    ageDays: new Float32Array(buffer, 8 * capacity, capacity),
    target: new Int32Array(buffer, 12 * capacity, capacity),
    kind: new Uint8Array(buffer, 16 * capacity, capacity),
  };
}

/**
 * The interaction columns, filled by two readers at once: one from the bottom up, the other from
 * the top down, so neither waits for the other and no column is copied to join them (only the
 * gap between the two ends is closed, by moving the top's last rows into it). Post ids are held
 * in `post` until one is 2^31 or more, then in `wide`.
 */
export class InteractionColumns {
  actor: Int32Array;
  target: Int32Array;
  kind: Uint8Array;
  ageDays: Float32Array;
  post: Int32Array;
  wide: Float64Array | null = null;
  /** Rows [0, low) are the bottom reader's, [high, capacity) the top reader's. */
  private low = 0;
  private high: number;

  constructor(private capacity: number) {
    ({ actor: this.actor, target: this.target, kind: this.kind, ageDays: this.ageDays, post: this.post } = interactionBuffer(capacity));
    this.high = capacity;
  }

  /** The index of a new row, at the bottom or at the top. */
  slot(fromTop: boolean): number {
    if (this.low === this.high) this.grow();
    return fromTop ? --this.high : this.low++;
  }

  setPostId(i: number, postId: number): void {
    if (postId > 0x7fffffff && !this.wide) this.wide = Float64Array.from(this.post);
    if (this.wide) this.wide[i] = postId;
    else this.post[i] = postId;
  }

  private grow(): void {
    const capacity = 2 * this.capacity;
    const topRows = this.capacity - this.high;
    const regrown = <T extends Column>(column: T, bigger: T = sharedColumn(column.constructor as ColumnType<T>, capacity)): T => {
      bigger.set(column.subarray(0, this.low) as never);
      bigger.set(column.subarray(this.high) as never, capacity - topRows);
      return bigger;
    };
    const into = interactionBuffer(capacity);
    this.actor = regrown(this.actor, into.actor);
    this.target = regrown(this.target, into.target);
    this.kind = regrown(this.kind, into.kind);
    this.ageDays = regrown(this.ageDays, into.ageDays);
    this.post = regrown(this.post, into.post);
    if (this.wide) this.wide = regrown(this.wide);
    this.capacity = capacity;
    this.high = capacity - topRows;
  }

  /** The rows as one run [0, count): the top's rows past count move down into the gap. */
  joined(): { edges: ModelInput['edges']; wideIds: Float64Array | null } {
    const count = this.low + (this.capacity - this.high);
    const from = Math.max(this.high, count);
    for (const column of [this.actor, this.target, this.kind, this.ageDays, this.post, this.wide]) {
      column?.copyWithin(this.low, from, this.capacity);
    }
    return {
      edges: {
        count,
        actor: this.actor.subarray(0, count),
        target: this.target.subarray(0, count),
        kind: this.kind.subarray(0, count),
        ageDays: this.ageDays.subarray(0, count),
        post: this.post.subarray(0, count),
      },
      wideIds: this.wide ? this.wide.subarray(0, count) : null,
    };
  }
}

/**
 * Interactions of the window in the pages that `pages` selects, into `columns` from the bottom or
 * the top. Three int8 columns instead of five fields per row: COPY's cost is mostly per field. Ids
 * are int4, so (actor, target) packs into one int8 whose halves are the two ids; kind is 1-4 (a
 * CHECK), so post * 8 + kind carries both (post -1: none).
 */
async function loadInteractions(
  client: ClientBase,
  window: ScoreWindow,
  pages: string,
  columns: InteractionColumns,
  fromTop: boolean,
  onRows: (rows: number) => void,
): Promise<void> {
  const endMs = window.endMs;
  await copyOut(
    client,
    `SELECT (actor_id::int8 << 32) | (target_id::int8 & 4294967295), occurred_at, coalesce(post_id, -1) * 8 + kind
     FROM interactions WHERE occurred_at >= ${sqlTime(window.startMs)} AND occurred_at < ${sqlTime(endMs)} AND ${pages}`,
    (row) => {
      const i = columns.slot(fromTop);
      const v = row.view;
      const ids = row.offset[0];
      columns.actor[i] = v.getInt32(ids);
      columns.target[i] = v.getInt32(ids + 4);
      // As readTimestampMs, then the age as the model reads it.
      const at = row.offset[1];
      const occurredMs = (v.getInt32(at) * 4294967296 + v.getUint32(at + 4)) / 1000 + PG_EPOCH_MS;
      columns.ageDays[i] = (endMs - occurredMs) / DAY_MS;
      const packed = row.offset[2];
      const low = v.getUint32(packed + 4);
      const k = low & 7;
      columns.kind[i] = k;
      columns.setPostId(i, (v.getInt32(packed) * 4294967296 + low - k) / 8);
    },
    onRows,
  );
}
