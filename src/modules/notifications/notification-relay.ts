import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import type { Logger } from '../../core/logger';
import { failFastOptions } from '../../core/redis';
import { IdGaps } from './id-gaps';
import { notificationChannel, relayLeaseKey, type LiveNotification, type LiveNotificationBatch } from './live-feed';
import type { NotificationKind } from './notification-events';

export interface RelayOptions {
  /** The BullMQ prefix: the channel and the lease live under it. */
  prefix: string;
  /** Pause between two polls that found less than a full batch. */
  pollMs: number;
  /** How long the lease lasts unrenewed: a dead relay's successor starts within about this long. */
  leaseMs: number;
  /** At most this many rows read (and published, as one message) per poll. */
  batchLimit?: number;
  /** How long an id skipped in the sequence is looked for before it is taken for a rollback. */
  gapTimeoutMs?: number;
  /** Bounds the work of every poll when many transactions are in flight at once. */
  maxGaps?: number;
  redisCommandTimeoutMs: number;
}

interface Row {
  id: string;
  user_id: string | null;
  kind: NotificationKind;
  data: Record<string, unknown>;
  created_at: Date;
  read_at: Date | null;
}

const COLUMNS = `n.id::text AS id, i.user_id, n.kind, n.data, n.created_at, n.read_at`;

// Publishes only while this relay holds the lease, and renews it, in one atomic step: a relay
// whose lease lapsed (a long pause, a partition) can never publish beside its successor.
const PUBLISH_IF_HOLDER = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if ARGV[3] ~= '' then redis.call('PUBLISH', KEYS[2], ARGV[3]) end
return 1`;
const RELEASE_IF_HOLDER = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * The notification relay: follows the notifications COMMITTED to Postgres and publishes them to
 * Redis pub/sub, where every API process hears them and hands each to its subscribers
 * (`notificationAdded`). Notifications are written by SQL inside the statements that make each
 * change, so nothing can publish there, and a publish from inside a transaction could announce
 * what then rolls back; the relay reads only what committed.
 *
 * It polls `notifications` for ids above its high-water mark and re-reads the gaps in the sequence
 * (ids of transactions still open when a later id was read; see id-gaps.ts), each id published
 * once at most. One relay per deployment publishes: each worker runs one, and the one holding a
 * Redis lease (SET NX PX, renewed at every poll) does the work while the others wait to take over.
 *
 * Delivery is at most once and best effort, by design: a relay that takes the lease starts from
 * the newest id then committed, so what was committed during a failover (or while Redis was away)
 * is not published; a subscriber not connected at the time hears nothing. The inbox is the source
 * of truth: a client catches up with `notifications` when it (re)connects.
 */
export class NotificationRelay {
  private readonly owner = randomUUID();
  private readonly redis: Redis;
  private readonly batchLimit: number;
  private readonly gapTimeoutMs: number;
  private gaps: IdGaps | null = null;
  private stopped = false;
  private stopping: Promise<void> | undefined;
  private failing = false;
  private running: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataSource: DataSource,
    redis: Redis,
    private readonly log: Logger,
    private readonly options: RelayOptions,
  ) {
    // Its own fail-fast connection: a poll must fail (and be retried) while Redis is away, not hang
    // on the blocking connection the workers share.
    this.redis = redis.duplicate(failFastOptions(options.redisCommandTimeoutMs));
    this.batchLimit = options.batchLimit ?? 1_000;
    this.gapTimeoutMs = options.gapTimeoutMs ?? 120_000;
  }

  /** Whether this relay holds the lease (and publishes). */
  get active(): boolean {
    return this.gaps !== null;
  }

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.running = this.step()
        .then((full) => (full ? 0 : this.options.pollMs))
        .catch((error: unknown) => {
          if (!this.failing) this.log.warn({ err: messageOf(error) }, 'notification relay: poll failed; will retry');
          this.failing = true;
          return this.options.pollMs;
        })
        .then((delay) => {
          if (!this.stopped) this.timer = setTimeout(tick, delay);
        });
    };
    // The first poll once the new connection is up: a fail-fast command sent before would only fail.
    if (this.redis.status === 'ready') this.timer = setTimeout(tick, 0);
    else this.redis.once('ready', () => (this.timer = setTimeout(tick, 0)));
  }

  /** Stops polling, gives the lease up (a successor need not wait for it to lapse) and closes the connection. */
  stop(): Promise<void> {
    this.stopping ??= this.shutDown();
    return this.stopping;
  }

  private async shutDown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    if (this.gaps) {
      await this.redis.eval(RELEASE_IF_HOLDER, 1, relayLeaseKey(this.options.prefix), this.owner).catch(() => undefined);
      this.gaps = null;
    }
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** One poll: takes the lease if free, else publishes what committed since the last. Answers whether the batch was full. */
  async step(): Promise<boolean> {
    if (!this.gaps) {
      const taken = await this.redis.set(relayLeaseKey(this.options.prefix), this.owner, 'PX', this.options.leaseMs, 'NX');
      if (taken !== 'OK') return false;
      const [{ max }] = await this.dataSource.query(`SELECT coalesce(max(id), 0)::text AS max FROM notifications`);
      this.gaps = new IdGaps(BigInt(max), this.options.maxGaps);
      this.log.info({ from: max }, 'notification relay: took the lease; publishing notifications committed from now on');
    }
    const gaps = this.gaps;
    const now = Date.now();
    const abandoned = gaps.expire(now - this.gapTimeoutMs);
    if (abandoned > 0n) this.log.info({ ids: abandoned.toString() }, 'notification relay: gave up on ids never committed (rolled back)');

    const rows = await this.read(gaps);
    const fresh = new Set(
      gaps
        .accept(
          rows.map((r) => BigInt(r.id)),
          now,
        )
        .map(String),
    );
    const batch: LiveNotificationBatch = {
      notifications: rows.filter((r) => fresh.has(r.id) && r.user_id !== null).map(toLive),
    };
    // Deduplicated rows (a gap row read twice) were dropped above; `fresh` is ascending, and so are rows.
    const message = batch.notifications.length ? JSON.stringify(batch) : '';
    const held = await this.redis.eval(
      PUBLISH_IF_HOLDER,
      2,
      relayLeaseKey(this.options.prefix),
      notificationChannel(this.options.prefix),
      this.owner,
      String(this.options.leaseMs),
      message,
    );
    if (this.failing) this.log.info('notification relay: polling again');
    this.failing = false;
    if (held !== 1) {
      // Another relay holds it (ours lapsed): what was read here is left to it, unpublished (at most once).
      this.gaps = null;
      this.log.warn('notification relay: lost the lease; standing by');
      return false;
    }
    return rows.length >= this.batchLimit;
  }

  /** The rows filling gaps first (they are older), then new ones, at most batchLimit in all. */
  private async read(gaps: IdGaps): Promise<Row[]> {
    let rows: Row[] = [];
    if (gaps.gaps.length) {
      // At most batchLimit rows per gap (an index range scan each): a gap of 100,000 ids that one
      // large statement filled at its commit is read a batch per poll, not whole at every poll.
      rows = await this.dataSource.query(
        `SELECT ${COLUMNS}
         FROM unnest($1::bigint[], $2::bigint[]) AS g(lo, hi)
         CROSS JOIN LATERAL (
           SELECT * FROM notifications WHERE id BETWEEN g.lo AND g.hi ORDER BY id LIMIT $3
         ) n
         LEFT JOIN influencers i ON i.id = n.influencer_id
         ORDER BY n.id LIMIT $3`,
        [gaps.gaps.map((g) => g.from.toString()), gaps.gaps.map((g) => g.to.toString()), this.batchLimit],
      );
    }
    const room = this.batchLimit - rows.length;
    if (room > 0) {
      const fresh: Row[] = await this.dataSource.query(
        `SELECT ${COLUMNS} FROM notifications n LEFT JOIN influencers i ON i.id = n.influencer_id
         WHERE n.id > $1::bigint ORDER BY n.id LIMIT $2`,
        [gaps.highWater.toString(), room],
      );
      rows = rows.concat(fresh);
    }
    return rows;
  }
}

function toLive(row: Row): LiveNotification {
  return {
    id: row.id,
    userId: row.user_id!,
    kind: row.kind,
    data: row.data,
    createdAt: row.created_at.toISOString(),
    readAt: row.read_at?.toISOString() ?? null,
  };
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}
