import { createApiServer } from '../../src/api/server';
import { createDataSource } from '../../ormconfig';
import { loadEnv, type Env } from '../../src/core/env';
import { readInstanceId } from '../../src/core/instance';
import { logger, type Logger } from '../../src/core/logger';
import { createRedis } from '../../src/core/redis';
import { closeQueues, createQueues, type Queues } from '../../src/core/queues';
import { createServices, type Services } from '../../src/modules/services';
import type { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import { GraphQLClient } from './graphql';

export interface TestApi {
  url: string;
  client: GraphQLClient;
  env: Env;
  dataSource: DataSource;
  instanceId: string;
  redis: Redis;
  queues: Queues;
  services: Services;
  stop(): Promise<void>;
}

/**
 * The real API (same wiring as src/main.ts) on a free port, against this run's database and Redis.
 * `log`: where its logs go (the run's silent logger unless a test reads them).
 */
export async function startTestApi(overrides: Record<string, string> = {}, log: Logger = logger()): Promise<TestApi> {
  const env = loadEnv({ ...process.env, ...overrides });
  const dataSource = await createDataSource(env.DATABASE_URL, env.DATABASE_POOL_SIZE).initialize();
  const redis = createRedis(env.REDIS_URL);
  const queues = createQueues(redis, env.BULLMQ_PREFIX);
  const instanceId = await readInstanceId(dataSource);
  const services = createServices(dataSource, env, queues, instanceId);
  await services.accounts.ensureAdmin(env.ADMIN_EMAIL, env.ADMIN_PASSWORD, log);
  const server = await createApiServer({ env, log, dataSource, redis, services });
  const url = await server.listen(0, '127.0.0.1');
  return {
    url,
    client: new GraphQLClient(`${url}/graphql`),
    env,
    dataSource,
    instanceId,
    redis,
    queues,
    services,
    async stop() {
      await server.stop();
      await closeQueues(queues);
      await Promise.allSettled([dataSource.isInitialized ? dataSource.destroy() : undefined, redis.quit()]);
    },
  };
}
