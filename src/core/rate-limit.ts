import { createHash } from 'node:crypto';
import type DataLoader from 'dataloader';
import type { Redis } from 'ioredis';
import type { RateLimitSetting } from './env';
import type { Logger } from './logger';
import { failFastOptions } from './redis';
import { withTimeout } from './timeout';
import { turnBatcher } from './turn-batch';

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** One counter to bump: which limit, and whose calls it counts (an email, an IP, a user or key id). */
export interface RateLimitHit {
  rule: string;
  subject: string;
  limit: RateLimitSetting;
}

// Fixed windows: one INCR per counter, the window starting at its first call. A burst across a
// window's edge can pass up to twice the limit; that is enough against guessing and flooding, and
// costs one round trip for any number of counters. PEXPIRE is also set when a key somehow has no
// TTL, so no counter can live forever.
const HIT_SCRIPT = `
local out = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then
    ttl = tonumber(ARGV[i])
    redis.call('PEXPIRE', key, ttl)
  end
  out[#out + 1] = count
  out[#out + 1] = ttl
end
return out
`;

type ScriptedRedis = Redis & { rateLimitHit(numKeys: number, ...args: Array<string | number>): Promise<number[]> };

const WARN_EVERY_MS = 30_000;

/**
 * Redis-backed counters shared by every API process. When Redis is away or slow the limiter lets
 * calls through (and warns): claims must keep working without Redis, and a missed limit for a
 * while costs less than refusing everyone.
 */
export class RateLimiter {
  private readonly redis: ScriptedRedis;
  /**
   * Settles at the connection's first 'ready' or first error. Until then a call waits for it (at
   * most timeoutMs) instead of failing open: without an offline queue, a command sent while the
   * connection is still being opened fails at once, and the calls right after boot would pass uncounted.
   */
  private connecting: Promise<void> | undefined;
  private lastWarning = 0;
  private readonly noAnswer = () => new Error(`no answer from Redis within ${this.timeoutMs} ms`);
  /**
   * The calls of one turn of the event loop go to Redis as one script call (the script counts any
   * number of keys, in order): every counter is bumped exactly as one call each would bump it.
   */
  private readonly batches: DataLoader<RateLimitHit[], RateLimitDecision> = turnBatcher((calls) => this.hitAll(calls));

  /**
   * Opens its own connection to `redis`'s server: without an offline queue a command fails at once
   * while Redis is unreachable, and `timeoutMs` bounds a Redis that accepts connections but does not answer.
   */
  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly log: Logger,
    private readonly timeoutMs = 250,
  ) {
    this.redis = redis.duplicate({
      ...failFastOptions(timeoutMs),
      lazyConnect: false,
      maxRetriesPerRequest: 0,
      connectTimeout: Math.max(timeoutMs, 1_000),
    }) as ScriptedRedis;
    this.redis.defineCommand('rateLimitHit', { lua: HIT_SCRIPT });
    this.redis.on('error', (err) => this.warn(err));
    this.connecting = new Promise<void>((resolve) => {
      const settle = () => {
        this.redis.off('ready', settle).off('error', settle);
        this.connecting = undefined;
        resolve();
      };
      this.redis.on('ready', settle).on('error', settle);
    });
  }

  /** Resolves once connected, or after `waitMs` (the limiter then fails open until Redis answers). */
  async ready(waitMs = 2_000): Promise<void> {
    if (this.redis.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.redis.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, waitMs);
      this.redis.once('ready', done);
    });
  }

  /** Counts one call against every hit; refused when any counter is over its limit. */
  async hit(hits: RateLimitHit[]): Promise<RateLimitDecision> {
    if (hits.length === 0) return { allowed: true };
    return this.batches.load(hits);
  }

  /** Each call's decision, from one script call over all their counters (all let through when Redis does not answer). */
  private async hitAll(calls: readonly RateLimitHit[][]): Promise<RateLimitDecision[]> {
    const hits = calls.flat();
    const keys = hits.map((h) => this.key(h));
    const windows = hits.map((h) => h.limit.windowSeconds * 1000);
    let replies: number[];
    try {
      if (this.connecting) await withTimeout(this.connecting, this.timeoutMs, this.noAnswer);
      replies = await withTimeout(this.redis.rateLimitHit(keys.length, ...keys, ...windows), this.timeoutMs, this.noAnswer);
    } catch (err) {
      this.warn(err);
      return calls.map(() => ({ allowed: true }));
    }
    let at = 0;
    return calls.map((call) => {
      let retryAfterMs = 0;
      for (const h of call) {
        if (Number(replies[2 * at]) > h.limit.limit) retryAfterMs = Math.max(retryAfterMs, Number(replies[2 * at + 1]));
        at++;
      }
      return retryAfterMs > 0 ? { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) } : { allowed: true };
    });
  }

  /** Forgets a counter, e.g. an email's failed log-ins once the right password is given. */
  async reset(hit: Omit<RateLimitHit, 'limit'>): Promise<void> {
    try {
      if (this.connecting) await withTimeout(this.connecting, this.timeoutMs, this.noAnswer);
      await withTimeout(this.redis.del(this.key(hit)), this.timeoutMs, this.noAnswer);
    } catch (err) {
      this.warn(err);
    }
  }

  close(): void {
    this.redis.disconnect();
  }

  // Subjects are hashed: emails and IP addresses are personal data and have no business in Redis.
  private key({ rule, subject }: Omit<RateLimitHit, 'limit'>): string {
    const digest = createHash('sha256').update(subject).digest('base64url').slice(0, 22);
    return `${this.prefix}:rate-limit:${rule}:${digest}`;
  }

  private warn(err: unknown): void {
    const now = Date.now();
    if (now - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = now;
    this.log.warn({ err }, 'rate limiter cannot reach Redis: calls are let through unlimited');
  }
}
