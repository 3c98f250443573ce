import { randomBytes } from 'node:crypto';
import { createDataSource } from '../../ormconfig';
import { dropDatabase, ensureDatabase } from '../../src/core/database';

/**
 * A migrated database of a suite's own, for suites that change global state (the current score
 * run) and must not disturb the suites running beside them. Returns its URL and a drop function.
 */
export async function createScratchDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `${url.pathname}_${label}_${randomBytes(3).toString('hex')}`;
  await ensureDatabase(url.toString());
  const dataSource = await createDataSource(url.toString(), 2).initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
  return { url: url.toString(), drop: () => dropDatabase(url.toString()) };
}
