import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { openDatabase } from '../boot';
import { env } from '../core/env';
import { logger } from '../core/logger';
import { seedSyntheticNetwork } from '../modules/activity/synthetic/seed-network';
import { assertDemoAllowed, seedDemoIfEmpty } from './demo-data';

const USAGE = `usage:
  npm run seed -- --demo                         demo accounts, into an empty database (never in production)
  npm run seed -- --influencers N --interactions M [--seed S]
                                                 a synthetic network (needs empty activity tables)`;

function count(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number\n${USAGE}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      demo: { type: 'boolean', default: false },
      influencers: { type: 'string' },
      interactions: { type: 'string' },
      seed: { type: 'string', default: '1' },
    },
  });
  const synthetic = values.influencers !== undefined || values.interactions !== undefined;
  if (values.demo === synthetic) throw new Error(`say what to seed: either --demo or --influencers N --interactions M\n${USAGE}`);
  const config = env();
  // Refused before the database is touched.
  if (values.demo) assertDemoAllowed(config);
  const log = logger().child({ process: 'seed' });
  const dataSource = await openDatabase(config, log, 'migrate');
  try {
    if (synthetic) {
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
    if (await seedDemoIfEmpty(dataSource, config, log)) console.log('demo data seeded (see README for the accounts)');
    else console.log('the database already has accounts: demo data not seeded');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error) => {
  console.error(`seed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
