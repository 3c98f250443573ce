import type { Redis } from 'ioredis';
import { withTimeout } from './timeout';

/**
 * BullMQ keeps jobs, locks and deduplication keys in Redis. A Redis that evicts keys under memory
 * pressure drops them silently: jobs vanish, a running job loses its lock and runs twice. Only
 * `noeviction` (writes fail loudly instead) is safe, so start-up refuses anything else.
 */
export class RedisPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisPolicyError';
  }
}

const FIX =
  'set it with `CONFIG SET maxmemory-policy noeviction` (and `maxmemory-policy noeviction` in redis.conf), or point REDIS_URL at another Redis';

/** host:port of the connection, never its password. */
function where(redis: Redis): string {
  const { host, port, path } = redis.options;
  return path ? String(path) : `${host ?? '127.0.0.1'}:${port ?? 6379}`;
}

/**
 * The server's maxmemory-policy: CONFIG GET where it is allowed, else INFO memory (managed Redis
 * services often disable or rename CONFIG). Null when neither says.
 */
export async function readMaxmemoryPolicy(redis: Redis): Promise<string | null> {
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as unknown;
    if (Array.isArray(reply) && typeof reply[1] === 'string' && reply[1] !== '') return reply[1];
  } catch {
    // CONFIG disabled or renamed: fall back to INFO.
  }
  const info = await redis.info('memory');
  return /^maxmemory_policy:(\S+)/m.exec(info)?.[1] ?? null;
}

/** Resolves when Redis runs with maxmemory-policy noeviction; otherwise rejects with what to do. */
export async function assertNoEviction(redis: Redis, timeoutMs = 10_000): Promise<void> {
  const policy = await withTimeout(
    readMaxmemoryPolicy(redis),
    timeoutMs,
    () => new RedisPolicyError(`Redis at ${where(redis)} did not answer within ${timeoutMs / 1000} s (is it running? check REDIS_URL)`),
  );
  if (policy === 'noeviction') return;
  if (policy === null) {
    throw new RedisPolicyError(
      `Redis at ${where(redis)} does not say its maxmemory-policy (neither CONFIG GET nor INFO memory answered); BullMQ needs "noeviction": ${FIX}`,
    );
  }
  throw new RedisPolicyError(
    `Redis at ${where(redis)} has maxmemory-policy "${policy}"; BullMQ needs "noeviction" (an evicting Redis silently drops queued jobs and their locks): ${FIX}`,
  );
}
