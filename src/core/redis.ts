import IORedis, { type Redis, type RedisOptions } from 'ioredis';

/**
 * A connection for BullMQ workers and queues. BullMQ requires maxRetriesPerRequest null on
 * connections that block; we use the same for queues so one helper serves both.
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...options });
}
