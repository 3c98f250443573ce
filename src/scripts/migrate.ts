import 'reflect-metadata';
import { migrate, openDatabase } from '../boot';
import { env } from '../core/env';
import { logger } from '../core/logger';

/** `migrate.ts run` applies pending migrations (creating the database if needed); `revert` undoes the last one. */
async function main(): Promise<void> {
  const command = process.argv[2] ?? 'run';
  const log = logger().child({ process: 'migrate' });
  const dataSource = await openDatabase(env(), log, 'as-is');
  try {
    if (command === 'run') {
      await migrate(dataSource, log);
      console.log('migrations are up to date');
    } else if (command === 'revert') {
      await dataSource.undoLastMigration({ transaction: 'each' });
      console.log('reverted the last migration');
    } else {
      throw new Error(`unknown command "${command}": use run or revert`);
    }
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error) => {
  console.error(`migrate: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
