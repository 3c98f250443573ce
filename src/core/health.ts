import type { Redis } from 'ioredis';
import { withTimeout } from './timeout';
import type { DataSource } from 'typeorm';

export interface DependencyStatus {
  postgres: boolean;
  redis: boolean;
}

/** True when the check resolves truthy within the deadline; a hung dependency cannot hang a probe. */
async function answersWithin(check: () => Promise<unknown>, timeoutMs: number): Promise<boolean> {
  try {
    return await withTimeout(check().then(Boolean), timeoutMs, () => new Error('timed out'));
  } catch {
    return false;
  }
}

/** Whether Postgres and Redis answer within the deadline; used by /readyz and the worker's /healthz. */
export async function checkDependencies(dataSource: DataSource, redis: Redis, timeoutMs = 1_000): Promise<DependencyStatus> {
  const [postgres, redisOk] = await Promise.all([
    answersWithin(() => dataSource.query('SELECT 1'), timeoutMs),
    answersWithin(async () => (await redis.ping()) === 'PONG', timeoutMs),
  ]);
  return { postgres, redis: redisOk };
}
