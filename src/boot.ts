import type { DataSource } from 'typeorm';
import { createDataSource } from '../ormconfig';
import type { Core } from './core/core';
import { assertMigrated, databaseName, ensureDatabase } from './core/database';
import { ConfigError, env as loadEnv, type Env } from './core/env';
import { readInstanceId } from './core/instance';
import { MIGRATION_LOCK } from './core/locks';
import { logger, type Logger } from './core/logger';
import { JobOutbox } from './core/outbox';
import { closeQueues, createQueues } from './core/queues';
import { createRedis } from './core/redis';
import { assertNoEviction } from './core/redis-policy';

/**
 * Creates the database if needed and runs pending migrations under an advisory lock, so several
 * processes booting at once migrate exactly once.
 */
export async function migrate(dataSource: DataSource, log: Logger): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length) log.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}

/**
 * Connects, creating the database when it does not exist. `migrate` applies pending migrations,
 * `require-migrated` refuses a database with pending ones, `as-is` (migration scripts) does neither.
 */
export async function openDatabase(env: Env, log: Logger, mode: 'migrate' | 'require-migrated' | 'as-is'): Promise<DataSource> {
  if (await ensureDatabase(env.DATABASE_URL)) log.info({ database: databaseName(env.DATABASE_URL) }, 'database created');
  const dataSource = await createDataSource(env.DATABASE_URL, env.DATABASE_POOL_SIZE).initialize();
  try {
    if (mode === 'migrate') await migrate(dataSource, log);
    else if (mode === 'require-migrated') await assertMigrated(dataSource);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

export async function bootCore(name: string): Promise<Core> {
  const env = loadEnv();
  const log = logger().child({ process: name });
  const dataSource = await openDatabase(env, log, env.MIGRATE_ON_BOOT ? 'migrate' : 'require-migrated');
  const redis = createRedis(env.REDIS_URL);
  let instanceId: string;
  try {
    instanceId = await readInstanceId(dataSource);
    await assertNoEviction(redis);
  } catch (error) {
    redis.disconnect();
    await dataSource.destroy();
    throw error;
  }
  // Jobs Redis refuses (an outage) wait in Postgres; the worker adds them when Redis is back.
  const queues = createQueues(redis, env.BULLMQ_PREFIX, {
    fallback: new JobOutbox(dataSource, log),
    timeoutMs: env.REDIS_COMMAND_TIMEOUT_MS,
    log,
  });
  return {
    env,
    log,
    dataSource,
    instanceId,
    redis,
    queues,
    async close() {
      await closeQueues(queues);
      await Promise.allSettled([dataSource.destroy(), redis.quit()]);
    },
  };
}

/** Prints why boot failed in words a person can act on, then exits non-zero. */
export function exitOnBootError(name: string) {
  return (error: unknown): never => {
    if (error instanceof ConfigError) {
      process.stderr.write(`${name}: ${error.message}\n`);
    } else {
      const e = error as { code?: string; message?: string; address?: string; port?: number };
      const hint =
        e.code === 'ECONNREFUSED'
          ? ` (is the service at ${e.address}:${e.port} running? check DATABASE_URL / REDIS_URL)`
          : e.code === '28P01' || e.code === '28000'
            ? ' (check the user and password in DATABASE_URL)'
            : '';
      process.stderr.write(`${name}: failed to start: ${e.message ?? String(error)}${hint}\n`);
    }
    process.exit(1);
  };
}
