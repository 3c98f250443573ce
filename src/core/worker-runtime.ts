import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Logger } from './logger';
import { QUEUE_NAMES, QUEUE_WORKER_OPTIONS, type JobDefinition, type Queues } from './queues';

export interface WorkerRuntimeOptions<Deps> {
  connection: ConnectionOptions;
  prefix: string;
  jobs: ReadonlyArray<JobDefinition<string, any, Deps>>;
  deps: Deps;
  log: Logger;
  /** Needed to upsert the job schedulers of recurring jobs. */
  queues?: Queues;
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

  for (const job of options.jobs) {
    if (!job.schedule) continue;
    if (!options.queues) throw new Error(`Job "${job.name}" is recurring: pass queues to startWorkers`);
    const { id, pattern, tz } = job.schedule(options.deps);
    await options.queues[job.queue].upsertJobScheduler(id, { pattern, tz }, { name: job.name, data: {}, opts: job.options });
  }

  const used = QUEUE_NAMES.filter((queue) => options.jobs.some((j) => j.queue === queue));
  const workers = used.map((queue) => {
    const worker = new Worker(
      queue,
      async (job: Job) => {
        const definition = byName.get(job.name);
        if (!definition || definition.queue !== queue) throw new UnrecoverableError(`No handler for job "${job.name}" on queue "${queue}"`);
        const log = options.log.child({ queue, job: job.name, jobId: job.id });
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
      },
      { connection: options.connection, prefix: options.prefix, autorun: true, ...QUEUE_WORKER_OPTIONS[queue] },
    );
    worker.on('failed', (job, error) => {
      options.log.warn({ queue, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err: error }, 'job failed');
    });
    worker.on('error', (error) => options.log.error({ queue, err: error }, 'worker error'));
    return worker;
  });

  return {
    workers,
    running: () => workers.every((w) => w.isRunning()),
    async close() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
