import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { logger } from '../../src/core/logger';
import { closeQueues, createQueues, type JobDefinition, type Queues } from '../../src/core/queues';
import { createRedis } from '../../src/core/redis';
import { startWorkers, type WorkerRuntime } from '../../src/core/worker-runtime';

describe('worker runtime (real Redis, this run’s BullMQ prefix)', () => {
  const prefix = process.env.BULLMQ_PREFIX!;
  let redis: Redis;
  let queues: Queues;
  let events: QueueEvents;
  let eventsRedis: Redis;
  let runtime: WorkerRuntime;
  const seen: Array<{ a: number; b: number; attempt: number }> = [];

  const add: JobDefinition<'test-add', { a: number; b: number }, { offset: number }> = {
    name: 'test-add',
    queue: 'maintenance',
    async handler(data, deps, ctx) {
      seen.push({ ...data, attempt: ctx.attempt });
      await ctx.updateProgress(100);
      return data.a + data.b + deps.offset;
    },
  };

  beforeAll(async () => {
    redis = createRedis(process.env.REDIS_URL!);
    queues = createQueues(redis, prefix);
    eventsRedis = createRedis(process.env.REDIS_URL!);
    events = new QueueEvents('maintenance', { connection: eventsRedis, prefix });
    await events.waitUntilReady();
    runtime = await startWorkers({ connection: redis, prefix, jobs: [add], deps: { offset: 1000 }, log: logger() });
    await Promise.all(runtime.workers.map((w) => w.waitUntilReady()));
  });
  afterAll(async () => {
    await runtime.close();
    await events.close();
    await closeQueues(queues);
    await Promise.all([redis.quit(), eventsRedis.quit()]);
  });

  it('runs a job by name with its dependencies and returns the result', async () => {
    const job = await queues.maintenance.add('test-add', { a: 2, b: 3 });
    expect(await job.waitUntilFinished(events, 10_000)).toBe(1005);
    expect(seen).toContainEqual({ a: 2, b: 3, attempt: 1 });
    expect(runtime.running()).toBe(true);
  });

  it('fails a job no handler knows at once, without retrying it', async () => {
    const job = await queues.maintenance.add('no-such-job', {}, { attempts: 5 });
    await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow('No handler for job "no-such-job" on queue "maintenance"');
    const failed = await queues.maintenance.getJob(job.id!);
    expect(failed!.attemptsMade).toBe(1);
  });

  it('stops taking jobs after close', async () => {
    const other = await startWorkers({ connection: redis, prefix, jobs: [add], deps: { offset: 0 }, log: logger() });
    await other.close();
    expect(other.running()).toBe(false);
  });
});
