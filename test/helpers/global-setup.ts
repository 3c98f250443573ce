import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * One database and one BullMQ prefix per test run. The database is built by the migrations, as in
 * production (never `synchronize`). Test workers inherit the environment set here.
 */
export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const server = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  server.pathname = `/perks_test_${runId}`;

  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_URL: server.toString(),
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    BULLMQ_PREFIX: `perks-test-${runId}`,
    JWT_SECRET: `test-secret-${randomBytes(24).toString('hex')}`,
    ADMIN_EMAIL: 'admin@test.perks',
    ADMIN_PASSWORD: 'test-admin-password',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // Cheap hashes keep the suite fast; the format and the code path are the production ones.
    SCRYPT_COST: '10',
    PERKS_TEST_RUN_ID: runId,
  });

  await dropStaleTestDatabases(server);

  const { createDataSource } = await import('../../ormconfig');
  const { ensureDatabase } = await import('../../src/core/database');
  await ensureDatabase(server.toString());
  const dataSource = await createDataSource(server.toString(), 2).initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}

/** Databases left by runs that were killed before their teardown, older than a day. */
async function dropStaleTestDatabases(server: URL): Promise<void> {
  const admin = new URL(server.toString());
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'perks_test_%'");
    for (const { datname } of rows) {
      const started = parseInt(datname.slice('perks_test_'.length).split('_')[0], 36);
      if (Number.isFinite(started) && Date.now() - started > 24 * 3600 * 1000) {
        await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
    }
  } finally {
    await client.end();
  }
}
