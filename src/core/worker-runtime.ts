import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Env } from './env';
import type { Logger } from './logger';
import { JobOutbox } from './outbox';
import { addJob, fallbackOf, producerOf, QUEUE_NAMES, QUEUE_WORKER_OPTIONS, type JobDefinition, type Queues } from './queues';
import { BLOCKING_OPTIONS, isRedisInstance } from './redis';
import { tracedJob } from './tracing';

/**
 * How a dead worker's jobs are taken back (BullMQ stalled-job detection). A worker holds a lock on
 * each active job for lockDuration and renews it every lockDuration / 2. Every stalledInterval,
 * each live worker looks for active jobs whose lock has expired: their worker died (SIGKILL, OOM,
 * a lost machine) or its event loop was blocked longer than the lock. Such a job goes back to the
 * waiting list and another worker (or the restarted one) runs it again from the start; a job that
 * stalls more than maxStalledCount times fails instead (a job that kills its worker each time must
 * not take the fleet down in a loop).
 *
 * Chosen: stalledInterval 30 s; lockDuration 60 s for score runs (a run on a million influencers
 * has synchronous stretches of a few seconds, far below the 30 s renewal period) and 30 s for the
 * other queues; maxStalledCount 2 (one kill is an accident, a second may be the deployment that
 * follows it; a third is the job). A killed run is thus taken over within lockDuration +
 * stalledInterval (about 90 s) and its handler starts over: a score run re-reads its row, takes
 * the advisory lock the dead worker's session released, drops the half-written snapshot tables
 * and computes again, while the previous snapshot stays current. Tests shorten all three through
 * WORKER_STALLED_INTERVAL_MS, WORKER_LOCK_DURATION_MS and WORKER_MAX_STALLED_COUNT.
 */
export interface WorkerSettings {
  stalledIntervalMs: number;
  maxStalledCount: number;
  /** Overrides the per-queue lock durations of QUEUE_WORKER_OPTIONS. */
  lockDurationMs?: number;
  /** How often the job outbox is drained into the queues. */
  outboxPollMs: number;
}

export const DEFAULT_WORKER_SETTINGS: WorkerSettings = { stalledIntervalMs: 30_000, maxStalledCount: 2, outboxPollMs: 5_000 };

export function workerSettings(env: Env): WorkerSettings {
  return {
    stalledIntervalMs: env.WORKER_STALLED_INTERVAL_MS,
    maxStalledCount: env.WORKER_MAX_STALLED_COUNT,
    lockDurationMs: env.WORKER_LOCK_DURATION_MS,
    outboxPollMs: env.OUTBOX_POLL_MS,
  };
}

/**
 * After a failed Redis call (Redis down or restarting) a worker waits this long before trying
 * again; BullMQ's default (15 s) would leave the queues idle that long after Redis is back.
 */
const RUN_RETRY_DELAY_MS = 2_000;

export interface WorkerRuntimeOptions<Deps> {
  connection: ConnectionOptions;
  prefix: string;
  jobs: ReadonlyArray<JobDefinition<string, any, Deps>>;
  deps: Deps;
  log: Logger;
  /**
   * Needed to upsert the job schedulers of recurring jobs (again after every Redis reconnect, as a
   * Redis restarted without persistence has lost them). When the queues have a job outbox, the
   * runtime drains it while it runs.
   */
  queues?: Queues;
  settings?: WorkerSettings;
}

export interface WorkerRuntime {
  workers: Worker[];
  /** True while every worker is connected and running. */
  running(): boolean;
  /** Waits for jobs in progress to finish, then disconnects. */
  close(): Promise<void>;
}

/**
 * One BullMQ worker per queue that has handlers, dispatching by job name. Queues without handlers
 * get no worker, so their jobs wait for the release that brings one. A job whose name no handler
 * knows fails at once without retries (it would fail the same way every time).
 */
export async function startWorkers<Deps>(options: WorkerRuntimeOptions<Deps>): Promise<WorkerRuntime> {
  const byName = new Map(options.jobs.map((j) => [j.name, j]));
  if (byName.size !== options.jobs.length) throw new Error('Two job definitions share a name');

  const settings = options.settings ?? DEFAULT_WORKER_SETTINGS;
  const recurring = options.jobs.filter((job) => job.schedule);
  const recovering = options.jobs.filter((job) => job.recover);
  const queues = options.queues;
  if ((recurring.length || recovering.length) && !queues) {
    throw new Error(`Job "${[...recurring, ...recovering][0].name}" is recurring or recovers: pass queues to startWorkers`);
  }
  const upsertSchedulers = async () => {
    for (const job of recurring) {
      const { id, pattern, tz, enabled = true } = job.schedule!(options.deps);
      if (enabled) await queues![job.queue].upsertJobScheduler(id, { pattern, tz }, { name: job.name, data: {}, opts: job.options });
      else await queues![job.queue].removeJobScheduler(id);
    }
  };
  // BullMQ keeps everything in Redis. A Redis restarted without persistence (or a failover to an
  // empty replica) has lost the waiting jobs and the schedulers; a marker key tells. The one worker
  // that sets it again enqueues the recovery jobs, which re-derive the lost work from Postgres.
  const marker = `${options.prefix}:redis-epoch`;
  const recoverIfRedisLostData = async () => {
    if (!queues || !recovering.length) return;
    await queues[recovering[0].queue].waitUntilReady();
    const redis = producerOf(queues);
    const epoch = String(Date.now());
    if (!redis || (await redis.set(marker, epoch, 'NX')) !== 'OK') return;
    options.log.warn(
      { jobs: recovering.map((j) => j.name) },
      'Redis holds none of our jobs (new, or restarted empty): re-deriving them from Postgres',
    );
    try {
      for (const job of recovering) await addJob(queues[job.queue], job.name, {}, { ...job.options, jobId: `${job.name}-${epoch}` });
    } catch (error) {
      await redis.del(marker).catch(() => undefined); // so the next reconnect tries again
      throw error;
    }
  };
  const restore = async () => {
    await upsertSchedulers(); // idempotent
    await recoverIfRedisLostData();
  };
  await restore();
  const producer = queues && producerOf(queues);
  let connected = true;
  const onClose = () => (connected = false);
  const onReady = () => {
    if (connected) return;
    connected = true;
    options.log.info('Redis is back: restoring job schedulers and lost jobs');
    void restore().catch((error: unknown) => options.log.warn({ err: error }, 'could not restore jobs after the reconnect'));
  };
  producer?.on('close', onClose).on('ready', onReady);

  // BullMQ workers block on Redis: their connection must wait for Redis however long (and this
  // template, duplicated by BullMQ for its connections, never connects itself).
  const connection: ConnectionOptions = isRedisInstance(options.connection)
    ? options.connection.duplicate({ ...BLOCKING_OPTIONS, lazyConnect: true })
    : ({ ...options.connection, ...BLOCKING_OPTIONS } as ConnectionOptions);

  const used = QUEUE_NAMES.filter((queue) => options.jobs.some((j) => j.queue === queue));
  const workers = used.map((queue) => {
    const worker = new Worker(
      queue,
      async (job: Job) => {
        const definition = byName.get(job.name);
        if (!definition || definition.queue !== queue) throw new UnrecoverableError(`No handler for job "${job.name}" on queue "${queue}"`);
        const log = options.log.child({ queue, job: job.name, jobId: job.id });
        // With tracing on, a child of the span that enqueued the job (a request's, often).
        return tracedJob(queue, job.name, job.id, job.opts.telemetry?.metadata, async () => {
          const started = Date.now();
          log.debug('job started');
          const result = await definition.handler(job.data, options.deps, {
            log,
            jobId: job.id ?? '',
            attempt: job.attemptsMade + 1,
            updateProgress: (progress) => job.updateProgress(progress),
          });
          log.info({ durationMs: Date.now() - started }, 'job completed');
          return result;
        });
      },
      {
        connection,
        prefix: options.prefix,
        autorun: true,
        ...QUEUE_WORKER_OPTIONS[queue],
        ...(settings.lockDurationMs ? { lockDuration: settings.lockDurationMs } : {}),
        stalledInterval: settings.stalledIntervalMs,
        maxStalledCount: settings.maxStalledCount,
        runRetryDelay: RUN_RETRY_DELAY_MS,
      },
    );
    worker.on('failed', (job, error) => {
      options.log.warn({ queue, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err: error }, 'job failed');
    });
    worker.on('stalled', (jobId) => options.log.warn({ queue, jobId }, 'job stalled (its worker died); taken back'));
    worker.on('error', (error) => options.log.error({ queue, err: error }, 'worker error'));
    return worker;
  });

  const fallback = options.queues && fallbackOf(options.queues);
  const stopDraining = fallback instanceof JobOutbox ? fallback.start(options.queues!, settings.outboxPollMs) : async () => undefined;

  return {
    workers,
    running: () => workers.every((w) => w.isRunning()),
    async close() {
      producer?.off('close', onClose).off('ready', onReady);
      await stopDraining();
      await Promise.all(workers.map((w) => w.close()));
      if (isRedisInstance(connection)) connection.disconnect();
    },
  };
}
