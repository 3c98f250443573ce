import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';

export interface DependencyStatus {
  postgres: boolean;
  redis: boolean;
}

/** True when the check resolves truthy within the deadline; a hung dependency cannot hang a probe. */
async function answersWithin(check: () => Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([check().then(Boolean), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
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
