import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { openDatabase } from '../boot';
import { env } from '../core/env';
import { logger } from '../core/logger';
import { closeQueues, createQueues } from '../core/queues';
import { createRedis } from '../core/redis';
import { seedSyntheticNetwork } from '../modules/activity/synthetic/seed-network';
import { createServices } from '../modules/services';
import { isEmpty, seedDemo } from './demo-data';

const USAGE = `usage:
  npm run seed                                   demo accounts, into an empty database
  npm run seed -- --influencers N --interactions M [--seed S]
                                                 a synthetic network (needs empty activity tables)`;

function count(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number\n${USAGE}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { influencers: { type: 'string' }, interactions: { type: 'string' }, seed: { type: 'string', default: '1' } },
  });
  const config = env();
  const log = logger().child({ process: 'seed' });
  const dataSource = await openDatabase(config, log, 'migrate');
  try {
    if (values.influencers !== undefined || values.interactions !== undefined) {
      const report = await seedSyntheticNetwork(
        config.DATABASE_URL,
        {
          influencers: count(values.influencers, 'influencers'),
          interactions: count(values.interactions ?? '0', 'interactions'),
          seed: count(values.seed, 'seed'),
        },
        log,
      );
      console.log(`synthetic network seeded: ${JSON.stringify(report)}`);
      return;
    }
    if (!(await isEmpty(dataSource))) {
      console.log('the database already has accounts: demo data not seeded');
      return;
    }
    // Real queues: the demo's score run is enqueued for the worker.
    const redis = createRedis(config.REDIS_URL);
    const queues = createQueues(redis, config.BULLMQ_PREFIX);
    try {
      await seedDemo(dataSource, createServices(dataSource, config, queues), log, config.DATABASE_URL);
    } finally {
      await closeQueues(queues);
      await redis.quit();
    }
    console.log('demo data seeded (see README for the accounts)');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error) => {
  console.error(`seed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
