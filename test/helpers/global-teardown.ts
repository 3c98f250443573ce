import IORedis from 'ioredis';

/** Drops this run's database and deletes this run's BullMQ keys (suites' own prefixes start with it). */
export default async function globalTeardown(): Promise<void> {
  const { dropDatabase } = await import('../../src/core/database');
  await dropDatabase(process.env.DATABASE_URL!);
  const redis = new IORedis(process.env.REDIS_URL!);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${process.env.BULLMQ_PREFIX}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
