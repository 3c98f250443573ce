import type { ClientBase } from 'pg';
import {
  copyOut,
  isNull,
  readBool,
  readBytes,
  readInt16,
  readInt32,
  readInt64,
  readIntArray,
  readTimestampMs,
} from '../../core/pg-binary-copy';
import { accountQuality, PARAMS, type ModelInput } from './score-model';

const DAY_MS = 86_400_000;

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

/** Typed arrays that double when full, so a stream of unknown length fills them without a count(*) first. */
class Growable<T extends Int32Array | Uint8Array | Float32Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}
  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }
  trimmed(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

/**
 * id -> position lookup. Post ids are an identity, so the window's posts form a nearly dense
 * range: an array indexed by (id - min) is far faster than a Map; a Map serves a sparse range.
 */
function denseIndex(ids: number[]): (id: number) => number {
  if (ids.length === 0) return () => -1;
  let min = Infinity;
  let max = -Infinity;
  for (const id of ids) {
    if (id < min) min = id;
    if (id > max) max = id;
  }
  if (max - min + 1 > 4 * ids.length + 1024) {
    const map = new Map(ids.map((id, i) => [id, i]));
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

/**
 * Reads everything a run needs with binary COPY: nodes, influencers with their accounts, posts
 * of the window (and of the window before it, which interactions may still refer to), and
 * interactions of the window. No entity is built per row.
 */
export async function loadModelInput(
  client: ClientBase,
  window: ScoreWindow,
  onProgress: (fraction: number) => void,
): Promise<LoadedInput> {
  const [{ max }] = (await client.query('SELECT coalesce(max(id), 0)::int AS max FROM actors')).rows;
  const nodes = max + 1;
  const quality = new Float64Array(nodes).fill(PARAMS.unknownQuality);

  // Influencers (opted in) and the nodes of their accounts.
  const ids: Buffer[] = [];
  const ownedStart: number[] = [0];
  const owned: number[] = [];
  const followers: number[] = [];
  let previous: Buffer | null = null;
  await copyOut(
    client,
    `SELECT i.id, sa.actor_id, sa.followers, sa.following, sa.account_created_at, sa.verified
     FROM influencers i LEFT JOIN social_accounts sa ON sa.influencer_id = i.id AND sa.actor_id IS NOT NULL
     WHERE i.opted_in_at IS NOT NULL ORDER BY i.id, sa.actor_id`,
    (row) => {
      const id = readBytes(row, 0);
      if (!previous || !previous.equals(id)) {
        ids.push(id);
        ownedStart.push(owned.length);
        followers.push(0);
        previous = id;
      }
      if (isNull(row, 1)) return;
      const node = readInt32(row, 1);
      const snapshot = {
        followers: readInt32(row, 2),
        following: readInt32(row, 3),
        accountAgeDays: (window.endMs - readTimestampMs(row, 4)) / DAY_MS,
        verified: readBool(row, 5),
      };
      owned.push(node);
      ownedStart[ownedStart.length - 1] = owned.length;
      followers[followers.length - 1] += snapshot.followers;
      quality[node] = accountQuality(snapshot);
    },
  );
  onProgress(0.1);

  // Posts: a dense index over their ids.
  const postIds: number[] = [];
  const postAuthor = new Growable(new Int32Array(1 << 16), (n) => new Int32Array(n));
  const postInWindow = new Growable(new Uint8Array(1 << 16), (n) => new Uint8Array(n));
  const topicStart = new Growable(new Int32Array(1 << 16), (n) => new Int32Array(n));
  const topicIds: number[] = [];
  topicStart.push(0);
  let maxTopicId = 0;
  await copyOut(
    client,
    `SELECT id, author_id, posted_at >= ${sqlTime(window.startMs)}, topic_ids FROM posts
     WHERE posted_at >= ${sqlTime(window.startMs - PARAMS.windowDays * DAY_MS)} AND posted_at < ${sqlTime(window.endMs)}`,
    (row) => {
      postIds.push(readInt64(row, 0));
      postAuthor.push(readInt32(row, 1));
      postInWindow.push(readBool(row, 2) ? 1 : 0);
      for (const topic of readIntArray(row, 3)) {
        topicIds.push(topic);
        if (topic > maxTopicId) maxTopicId = topic;
      }
      topicStart.push(topicIds.length);
    },
  );
  const postIndex = denseIndex(postIds);
  onProgress(0.25);

  // Interactions of the window, into arrays sized from the planner's row estimate.
  const [{ estimate }] = (
    await client.query(`SELECT greatest(reltuples, 1024)::bigint AS estimate FROM pg_class WHERE oid = 'interactions'::regclass`)
  ).rows;
  const capacity = Math.min(Number(estimate) + 1024, 2 ** 30);
  const actor = new Growable(new Int32Array(capacity), (n) => new Int32Array(n));
  const target = new Growable(new Int32Array(capacity), (n) => new Int32Array(n));
  const kind = new Growable(new Uint8Array(capacity), (n) => new Uint8Array(n));
  const ageDays = new Growable(new Float32Array(capacity), (n) => new Float32Array(n));
  const post = new Growable(new Int32Array(capacity), (n) => new Int32Array(n));
  await copyOut(
    client,
    `SELECT actor_id, target_id, kind, occurred_at, post_id FROM interactions
     WHERE occurred_at >= ${sqlTime(window.startMs)} AND occurred_at < ${sqlTime(window.endMs)}`,
    (row) => {
      actor.push(readInt32(row, 0));
      target.push(readInt32(row, 1));
      kind.push(readInt16(row, 2));
      ageDays.push((window.endMs - readTimestampMs(row, 3)) / DAY_MS);
      post.push(isNull(row, 4) ? -1 : postIndex(readInt64(row, 4)));
    },
  );
  onProgress(1);

  return {
    model: {
      nodes,
      edges: {
        count: actor.length,
        actor: actor.trimmed(),
        target: target.trimmed(),
        kind: kind.trimmed(),
        ageDays: ageDays.trimmed(),
        post: post.trimmed(),
      },
      quality,
      posts: {
        count: postAuthor.length,
        author: postAuthor.trimmed(),
        inWindow: postInWindow.trimmed(),
        topicStart: topicStart.trimmed(),
        topicIds: Uint16Array.from(topicIds),
      },
      influencers: {
        count: ids.length,
        ownedStart: Int32Array.from(ownedStart),
        ownedNodes: Int32Array.from(owned),
        followers: Float64Array.from(followers),
      },
      maxTopicId,
    },
    influencerIds: Buffer.concat(ids),
  };
}
