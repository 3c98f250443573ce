import { Client } from 'pg';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../ormconfig';
import { logger } from '../../src/core/logger';
import { createRedis } from '../../src/core/redis';
import { notificationChannel, parseBatch } from '../../src/modules/notifications/live-feed';
import { NotificationRelay, type RelayOptions } from '../../src/modules/notifications/notification-relay';
import { createScratchDatabase } from '../helpers/database';
import { suitePrefix } from '../helpers/worker';

/** Waits for a condition with a generous deadline: the machine may be busy. */
async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the notification relay (real Postgres and Redis)', () => {
  let database: { url: string; drop: () => Promise<void> };
  let dataSource: DataSource;
  let redis: Redis;
  let listener: Redis;
  let prefix: string;
  let influencerId: string;
  let userId: string;
  /** Every notification published on the channel, in order, and the size of each message. */
  let published: Array<{ id: string; userId: string; kind: string }>;
  let messageSizes: number[];
  const relays: NotificationRelay[] = [];

  const relay = (options: Partial<RelayOptions> = {}) => {
    const r = new NotificationRelay(dataSource, redis, logger(), {
      prefix,
      pollMs: 50,
      leaseMs: 3_000,
      redisCommandTimeoutMs: 2_000,
      ...options,
    });
    relays.push(r);
    r.start();
    return r;
  };
  const insert = async (db: { query: (sql: string, params: unknown[]) => Promise<any> }, count = 1): Promise<string[]> => {
    const result = await db.query(
      `INSERT INTO notifications (influencer_id, kind, data)
       SELECT $1, 'CLAIM_REDEEMED', jsonb_build_object('claimId', g::text) FROM generate_series(1, $2::int) g RETURNING id::text`,
      [influencerId, count],
    );
    return (Array.isArray(result) ? result : result.rows).map((r: { id: string }) => r.id);
  };
  const times = (id: string) => published.filter((n) => n.id === id).length;

  beforeAll(async () => {
    database = await createScratchDatabase('relay');
    dataSource = await createDataSource(database.url, 4).initialize();
    redis = createRedis(process.env.REDIS_URL!);
    listener = createRedis(process.env.REDIS_URL!);
    // Subscribing before the connection is ready races ioredis' ready check (see api/live-feed.ts).
    await listener.ping();
    [{ id: userId }] = await dataSource.query(
      `INSERT INTO users (email, password_hash, role, name) VALUES ('relay@test.perks', 'x', 'INFLUENCER', 'R') RETURNING id`,
    );
    [{ id: influencerId }] = await dataSource.query(`INSERT INTO influencers (user_id, display_name) VALUES ($1, 'R') RETURNING id`, [
      userId,
    ]);
  });
  beforeEach(async () => {
    // A prefix per test: its own channel and lease.
    prefix = suitePrefix('relay');
    published = [];
    messageSizes = [];
    listener.removeAllListeners('message');
    listener.on('message', (_channel: string, message: string) => {
      const batch = parseBatch(message)!;
      messageSizes.push(batch.notifications.length);
      published.push(...batch.notifications);
    });
    await listener.subscribe(notificationChannel(prefix));
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await listener.unsubscribe();
  });
  afterAll(async () => {
    await listener?.quit();
    await redis?.quit();
    await dataSource?.destroy();
    await database?.drop();
  });

  it('publishes an id committed after a greater one was published, once, and nothing twice', async () => {
    const r = relay();
    await until('the relay to take its lease', () => r.active);
    const early = new Client({ connectionString: database.url });
    await early.connect();
    try {
      await early.query('BEGIN');
      const [n] = await insert(early);
      const [next] = await insert(dataSource);
      expect(BigInt(next)).toBeGreaterThan(BigInt(n));
      await until(`id ${next} to be published`, () => times(next) === 1);
      expect(times(n)).toBe(0);
      await early.query('COMMIT');
      await until(`id ${n} to be published`, () => times(n) === 1);
      expect(published.find((p) => p.id === n)).toEqual(expect.objectContaining({ userId, kind: 'CLAIM_REDEEMED' }));
    } finally {
      await early.end();
    }
    // Later polls (at least one more row published after) publish neither again.
    const [last] = await insert(dataSource);
    await until(`id ${last} to be published`, () => times(last) === 1);
    const ids = published.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('never publishes a rolled-back id, and keeps publishing past the gap it leaves', async () => {
    const r = relay({ gapTimeoutMs: 500 });
    await until('the relay to take its lease', () => r.active);
    const doomed = new Client({ connectionString: database.url });
    await doomed.connect();
    try {
      await doomed.query('BEGIN');
      const [n] = await insert(doomed);
      const [after] = await insert(dataSource);
      await until(`id ${after} to be published`, () => times(after) === 1);
      await doomed.query('ROLLBACK');
      // Past the gap's timeout, and some polls later: the rolled-back id is given up, others still flow.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const [later] = await insert(dataSource);
      await until(`id ${later} to be published`, () => times(later) === 1);
      expect(times(n)).toBe(0);
    } finally {
      await doomed.end();
    }
  });

  it('reads a statement of many rows in bounded batches, many notifications to a message, each once', async () => {
    const r = relay({ batchLimit: 400 });
    await until('the relay to take its lease', () => r.active);
    const ids = await insert(dataSource, 1_000);
    await until('the 1,000 rows to be published', () => published.length >= 1_000);
    expect(published.map((p) => p.id)).toEqual(ids);
    expect(Math.max(...messageSizes)).toBeLessThanOrEqual(400);
    expect(messageSizes.length).toBeLessThan(10);

    // The same when the 1,000 rows commit after a later row was published: a gap filled in batches.
    published.length = 0;
    messageSizes.length = 0;
    const big = new Client({ connectionString: database.url });
    await big.connect();
    try {
      await big.query('BEGIN');
      const held = await insert(big, 1_000);
      const [later] = await insert(dataSource);
      await until(`id ${later} to be published`, () => times(later) === 1);
      await big.query('COMMIT');
      await until('the 1,000 held rows to be published', () => published.length >= 1_001);
      expect(published.slice(1).map((p) => p.id)).toEqual(held);
      expect(Math.max(...messageSizes)).toBeLessThanOrEqual(400);
      const all = published.map((p) => p.id);
      expect(new Set(all).size).toBe(all.length);
    } finally {
      await big.end();
    }
  });

  it('publishes through one relay at a time; when it stops, another takes over from the newest id', async () => {
    const [a, b] = [relay(), relay()];
    await until('one relay to take the lease', () => a.active || b.active);
    // Long enough for the other to try the lease many times.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect([a.active, b.active].filter(Boolean)).toHaveLength(1);
    const [first] = await insert(dataSource);
    await until(`id ${first} to be published`, () => times(first) === 1);

    const [holder, standby] = a.active ? [a, b] : [b, a];
    await holder.stop();
    await until('the standby relay to take over', () => standby.active);
    const [second] = await insert(dataSource);
    await until(`id ${second} to be published`, () => times(second) === 1);
    const ids = published.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('does not publish notifications of influencers without an account (nobody could subscribe to them)', async () => {
    const r = relay();
    await until('the relay to take its lease', () => r.active);
    const [{ id: orphan }] = await dataSource.query(`INSERT INTO influencers (display_name) VALUES ('O') RETURNING id`);
    const [{ id: hidden }] = await dataSource.query(
      `INSERT INTO notifications (influencer_id, kind, data) VALUES ($1, 'CLAIM_REDEEMED', '{}') RETURNING id::text`,
      [orphan],
    );
    const [seen] = await insert(dataSource);
    await until(`id ${seen} to be published`, () => times(seen) === 1);
    expect(times(hidden)).toBe(0);
  });
});
