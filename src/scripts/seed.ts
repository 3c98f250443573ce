import 'reflect-metadata';
import { openDatabase } from '../boot';
import { env } from '../core/env';
import { logger } from '../core/logger';
import { createServices } from '../modules/services';
import { unusedQueues } from '../core/queues';
import { isEmpty, seedDemo } from './demo-data';

/** `npm run seed`: migrates, then fills an empty database with the demo accounts. */
async function main(): Promise<void> {
  const config = env();
  const log = logger().child({ process: 'seed' });
  const dataSource = await openDatabase(config, log, 'migrate');
  try {
    if (!(await isEmpty(dataSource))) {
      console.log('the database already has accounts: demo data not seeded');
      return;
    }
    await seedDemo(dataSource, createServices(dataSource, config, unusedQueues()), log);
    console.log('demo data seeded (see README for the accounts)');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error) => {
  console.error(`seed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
