import { createHash } from 'node:crypto';
import { Client } from 'pg';
import type { Logger } from '../../../core/logger';
import { copyIn } from '../../../core/pg-binary-copy';
import { handleHash } from '../actor-key';
import { COUNTRIES, generateNetwork, LANGUAGES, NETWORKS, type AttackOptions, type SyntheticNetwork } from './network-generator';

export interface SeedOptions {
  influencers: number;
  interactions: number;
  seed: number;
  /** End of the activity window (exclusive); default: today 00:00 UTC, so yesterday's run sees it all. */
  endMs?: number;
  /** Planted attacks (see network-generator.ts); none by default. */
  attacks?: AttackOptions;
}

export interface SeedReport {
  influencers: number;
  actors: number;
  /** Accounts a connector has described (rows of account_snapshots). */
  snapshots: number;
  posts: number;
  interactions: number;
  seconds: number;
  /** The date whose score run covers the whole seeded window. */
  runDate: string;
}

const DAY_MS = 86_400_000;
const ROWS_PER_YIELD = 8192;

/** A stable UUID from a name (SHA-256, version 8 bits), so the same seed gives the same ids. */
function stableUuid(name: string): Buffer {
  const bytes = createHash('sha256').update(name).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  return Buffer.from(bytes);
}

/** Moves an identity sequence past a block of ids and returns the first one (the block is base+1 .. base+count). */
async function reserveIds(client: Client, table: string, count: number): Promise<number> {
  const { rows } = await client.query(
    `SELECT setval(pg_get_serial_sequence($1, 'id'), greatest((SELECT coalesce(max(id), 0) FROM ${table}), nextval(pg_get_serial_sequence($1, 'id'))) + $2) - $2 AS base`,
    [table, count],
  );
  return Number(rows[0].base);
}

/**
 * Writes a deterministic synthetic network (see network-generator.ts) with binary COPY, in one
 * transaction: opted-in influencers without logins, their social accounts (VERIFIED by an
 * operator; a planted squatter's claim PENDING), the actors (graph nodes) of everyone, the
 * connector snapshots of every account that has one, posts and interactions. Secondary indexes of the activity tables are
 * dropped for the load and rebuilt after it, which is much faster than maintaining them row by
 * row; the transaction makes that safe. Needs empty activity tables.
 */
export async function seedSyntheticNetwork(databaseUrl: string, options: SeedOptions, log: Logger): Promise<SeedReport> {
  const started = performance.now();
  const endMs = options.endMs ?? Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const client = new Client({ connectionString: databaseUrl, application_name: 'perks-seed' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows: existing } = await client.query(
      `SELECT (SELECT count(*) FROM (SELECT 1 FROM interactions LIMIT 1) i)::int + (SELECT count(*) FROM (SELECT 1 FROM posts LIMIT 1) p)::int AS n`,
    );
    if (existing[0].n > 0) throw new Error('seeding a synthetic network needs empty posts and interactions: use a fresh database');

    const topics: Array<{ id: number; family: string }> = (await client.query(`SELECT id, family FROM topics ORDER BY family, slug`)).rows;
    const families = [...new Set(topics.map((t) => t.family))];
    const network = generateNetwork({
      influencers: options.influencers,
      interactions: options.interactions,
      seed: options.seed,
      topics: topics.length,
      topicFamilies: topics.map((t) => families.indexOf(t.family)),
      endMs,
      idPrefix: `s${options.seed}-`,
      attacks: options.attacks,
    });
    // Generated topic t (1-based) is topics[t - 1] in the database.
    const topicId = (t: number) => topics[t - 1].id;

    await client.query('BEGIN');
    await client.query('SET LOCAL synchronous_commit = off');
    const indexes: Array<{ indexname: string; indexdef: string }> = (
      await client.query(
        `SELECT indexname, indexdef FROM pg_indexes
         WHERE schemaname = 'public' AND tablename IN ('actors', 'posts', 'interactions') AND indexname NOT LIKE '%\\_pkey'`,
      )
    ).rows;
    for (const index of indexes) await client.query(`DROP INDEX ${index.indexname}`);

    const actorBase = await reserveIds(client, 'actors', network.actors);
    const postBase = await reserveIds(client, 'posts', network.postCount);
    await writeInfluencers(client, network, options.seed, actorBase, endMs);
    const snapshots = await writeSnapshots(client, network, actorBase, endMs);
    log.info({ seconds: seconds(started), snapshots }, 'seed: influencers, accounts, actors and snapshots written');
    await writePosts(client, network, actorBase, postBase, topicId);
    log.info({ seconds: seconds(started), posts: network.postCount }, 'seed: posts written');
    await writeInteractions(client, network, actorBase, postBase);
    log.info({ seconds: seconds(started), interactions: network.interactionCount }, 'seed: interactions written');

    for (const index of indexes) await client.query(index.indexdef);
    await client.query('COMMIT');
    await client.query('ANALYZE actors, posts, interactions, influencers, social_accounts, account_snapshots');
    log.info({ seconds: seconds(started) }, 'seed: indexes rebuilt');
    return {
      influencers: options.influencers,
      actors: network.actors,
      snapshots,
      posts: network.postCount,
      interactions: network.interactionCount,
      seconds: seconds(started),
      runDate: new Date(endMs - DAY_MS).toISOString().slice(0, 10),
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

function seconds(fromMs: number): number {
  return Math.round((performance.now() - fromMs) / 100) / 10;
}

async function writeInfluencers(client: Client, network: SyntheticNetwork, seed: number, actorBase: number, endMs: number): Promise<void> {
  const inf = network.influencers;
  const count = network.options.influencers;
  const ids = Array.from({ length: count }, (_, i) => stableUuid(`influencer:${seed}:${i}`));
  const createdAt = endMs - 120 * DAY_MS;

  await copyIn(
    client,
    'influencers',
    ['id', 'display_name', 'country', 'language', 'opted_in_at', 'created_at', 'updated_at'],
    function* (w) {
      for (let i = 0; i < count; i++) {
        w.row(120)
          .bytes(ids[i])
          .text(`Creator ${network.handle(i)}`)
          .text(COUNTRIES[inf.country[i]])
          .text(LANGUAGES[inf.language[i]])
          .timestampMs(createdAt)
          .timestampMs(createdAt)
          .timestampMs(createdAt);
        if (i % ROWS_PER_YIELD === 0) yield;
      }
    },
  );
  await copyIn(client, 'actors', ['id', 'network', 'handle_hash'], function* (w) {
    for (let a = 0; a < network.actors; a++) {
      const net = NETWORKS[network.actorNetwork(a)];
      w.row(80)
        .int32(actorBase + 1 + a)
        .text(net)
        .bytes(handleHash(net, network.handle(a)));
      if (a % ROWS_PER_YIELD === 0) yield;
    }
  });
  // Every influencer's own account, proven by an operator; then each planted squatter's claim on a
  // popular account it does not own, unproven (the figures it declares are the account's own).
  const { squatters, squatted } = network.planted;
  const acc = network.accounts;
  await copyIn(
    client,
    'social_accounts',
    [
      'id',
      'influencer_id',
      'network',
      'handle',
      'followers',
      'following',
      'account_created_at',
      'verified',
      'actor_id',
      'status',
      'verification_code',
      'verified_at',
      'verification_method',
      'created_at',
      'updated_at',
    ],
    function* (w) {
      for (let k = 0; k < count + squatters.length; k++) {
        const claim = k >= count;
        const influencer = claim ? squatters[k - count] : k;
        const account = claim ? squatted[k - count] : k;
        w.row(240)
          .bytes(stableUuid(claim ? `social-account-claim:${seed}:${k - count}` : `social-account:${seed}:${k}`))
          .bytes(ids[influencer])
          .text(NETWORKS[network.actorNetwork(account)])
          .text(network.handle(account).toLowerCase())
          .int32(acc.followers[account])
          .int32(acc.following[account])
          .timestampMs(endMs - acc.accountAgeDays[account] * DAY_MS)
          .bool(acc.verified[account] === 1)
          .int32(actorBase + 1 + account);
        if (claim)
          w.text('PENDING')
            .text(verificationCode(`claim:${seed}:${k - count}`))
            .null()
            .null();
        else w.text('VERIFIED').null().timestampMs(createdAt).text('OPERATOR');
        w.timestampMs(createdAt).timestampMs(createdAt);
        if (k % ROWS_PER_YIELD === 0) yield;
      }
    },
  );
}

/** A one-time code in the format social_accounts holds (perks- and 10 base-32 letters), stable per name. */
function verificationCode(name: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const bytes = createHash('sha256').update(name).digest();
  return `perks-${Array.from(bytes.subarray(0, 10), (b) => alphabet[b & 31]).join('')}`;
}

/** The connector snapshot of every account that has one, observed at the end of the window. */
async function writeSnapshots(client: Client, network: SyntheticNetwork, actorBase: number, endMs: number): Promise<number> {
  const acc = network.accounts;
  let rows = 0;
  await copyIn(
    client,
    'account_snapshots',
    ['actor_id', 'followers', 'following', 'posts', 'account_created_at', 'verified', 'observed_at'],
    function* (w) {
      for (let a = 0; a < network.actors; a++) {
        if (!acc.hasEvidence[a]) continue;
        w.row(80)
          .int32(actorBase + 1 + a)
          .int32(acc.followers[a])
          .int32(acc.following[a])
          .int32(acc.posts[a])
          .timestampMs(endMs - acc.accountAgeDays[a] * DAY_MS)
          .bool(acc.verified[a] === 1)
          .timestampMs(endMs);
        if (++rows % ROWS_PER_YIELD === 0) yield;
      }
    },
  );
  return rows;
}

async function writePosts(
  client: Client,
  network: SyntheticNetwork,
  actorBase: number,
  postBase: number,
  topicId: (t: number) => number,
): Promise<void> {
  await copyIn(client, 'posts', ['id', 'network', 'external_id', 'author_id', 'posted_at', 'topic_ids'], function* (w) {
    for (const chunk of network.posts()) {
      for (let k = 0; k < chunk.author.length; k++) {
        const post = chunk.firstPostId + k;
        const author = chunk.author[k];
        w.row(120)
          .int64(postBase + 1 + post)
          .text(NETWORKS[network.actorNetwork(author)])
          .text(network.postExternalId(post))
          .int32(actorBase + 1 + author)
          .timestampMs(chunk.postedAtMs[k])
          .int16Array(chunk.topic[k] === 0 ? [] : [topicId(chunk.topic[k])]);
        if (k % ROWS_PER_YIELD === 0) yield;
      }
      yield;
    }
  });
}

async function writeInteractions(client: Client, network: SyntheticNetwork, actorBase: number, postBase: number): Promise<void> {
  await copyIn(
    client,
    'interactions',
    ['network', 'external_id', 'kind', 'actor_id', 'target_id', 'post_id', 'occurred_at'],
    function* (w) {
      let n = 0;
      for (const chunk of network.interactions()) {
        for (let k = 0; k < chunk.actor.length; k++, n++) {
          const target = chunk.target[k];
          w.row(120)
            .text(NETWORKS[network.actorNetwork(target)])
            .text(network.interactionExternalId(n))
            .int16(chunk.kind[k])
            .int32(actorBase + 1 + chunk.actor[k])
            .int32(actorBase + 1 + target);
          if (chunk.post[k] < 0) w.null();
          else w.int64(postBase + 1 + chunk.post[k]);
          w.timestampMs(chunk.occurredAtMs[k]);
          if (k % ROWS_PER_YIELD === 0) yield;
        }
        yield;
      }
    },
  );
}
