import type { ConnectionOptions } from 'bullmq';
import IORedis, { type Redis, type RedisOptions } from 'ioredis';

/**
 * Options for connections that may block (BullMQ workers, QueueEvents): BullMQ requires
 * maxRetriesPerRequest null there, and a blocking command must wait however long Redis is away.
 */
export const BLOCKING_OPTIONS: RedisOptions = { maxRetriesPerRequest: null, enableOfflineQueue: true, commandTimeout: undefined };

/**
 * Options for connections that serve requests (enqueueing): a command fails at once while Redis is
 * unreachable (no offline queue), after one retry on a dropped connection, or after `commandTimeout`
 * on a Redis that accepts connections but does not answer, so no request hangs on Redis.
 */
export function failFastOptions(commandTimeoutMs: number): RedisOptions {
  return { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: commandTimeoutMs, connectTimeout: commandTimeoutMs };
}

/** An ioredis connection (which BullMQ duplicates), as opposed to plain connection options. */
export function isRedisInstance(connection: ConnectionOptions): connection is Redis {
  return typeof (connection as Redis).duplicate === 'function';
}

/**
 * The process's Redis connection (BLOCKING_OPTIONS by default, so commands wait across a reconnect).
 * The queues and the workers derive their own connections from it: fail-fast for enqueueing
 * (createQueues), blocking for BullMQ workers (startWorkers).
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new IORedis(url, { ...BLOCKING_OPTIONS, enableReadyCheck: true, ...options });
}
