import { randomBytes } from 'node:crypto';
import { startWorkers, type WorkerRuntime } from '../../src/core/worker-runtime';
import { logger } from '../../src/core/logger';
import { jobs } from '../../src/modules/jobs';
import type { TestApi } from './api';

/** The worker's job handlers in this process, on the API's database, Redis and queues. */
export async function startTestWorker(api: TestApi): Promise<WorkerRuntime> {
  const runtime = await startWorkers({
    connection: api.redis,
    prefix: api.env.BULLMQ_PREFIX,
    jobs,
    deps: { env: api.env, dataSource: api.dataSource, redis: api.redis, services: api.services },
    log: logger(),
    queues: api.queues,
  });
  await Promise.all(runtime.workers.map((w) => w.waitUntilReady()));
  return runtime;
}

/** A BullMQ prefix of a suite's own, under the run's prefix (so teardown still deletes it). */
export function suitePrefix(label: string): string {
  return `${process.env.BULLMQ_PREFIX}-${label}-${randomBytes(3).toString('hex')}`;
}
