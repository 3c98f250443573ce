import { Queue, type ConnectionOptions, type Job, type JobsOptions } from 'bullmq';
import type { Logger } from './logger';

/** Every queue of the service. Workers listen on all of them; jobs say which one they use. */
export const QUEUE_NAMES = ['scoring', 'matching', 'maintenance'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/**
 * Job name -> payload. Modules add their jobs by declaration merging:
 *   declare module '../../../core/queues' { interface JobPayloads { 'recompute-scores': { runDate: string } } }
 * Payloads hold ids and small scalars only: never entities, never personal data.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface JobPayloads {}
export type JobName = keyof JobPayloads & string;

export interface JobContext {
  log: Logger;
  jobId: string;
  attempt: number;
  updateProgress(progress: number): Promise<void>;
}

/** What the worker runs. Handlers reload what they need and are safe to run twice. */
export interface JobDefinition<N extends string = string, D = unknown, Deps = unknown> {
  name: N;
  queue: QueueName;
  /** Options applied when the job is enqueued (attempts, backoff, deduplication ...). */
  options?: JobsOptions;
  /** Recurring jobs: the worker upserts a BullMQ job scheduler with this cron pattern at boot. */
  schedule?: (deps: Deps) => { id: string; pattern: string; tz?: string };
  handler(data: D, deps: Deps, ctx: JobContext): Promise<unknown>;
}

export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export type Queues = Record<QueueName, Queue>;

/**
 * Worker settings per queue. A score run holds its lock for up to lockDuration between renewals;
 * its longest synchronous stretch (PageRank) stays well under half of it, so the lock is renewed in
 * time, and a run whose worker died is taken over after at most lockDuration + stalledInterval.
 */
export const QUEUE_WORKER_OPTIONS: Record<QueueName, { concurrency: number; lockDuration: number; stalledInterval: number }> = {
  scoring: { concurrency: 1, lockDuration: 60_000, stalledInterval: 30_000 },
  matching: { concurrency: 4, lockDuration: 30_000, stalledInterval: 30_000 },
  maintenance: { concurrency: 2, lockDuration: 30_000, stalledInterval: 30_000 },
};

/** The queues, each created (and connected) on first use: scripts that never enqueue never touch Redis. */
export function createQueues(connection: ConnectionOptions, prefix: string): Queues {
  const created = new Map<QueueName, Queue>();
  const queues = {} as Queues;
  for (const name of QUEUE_NAMES) {
    Object.defineProperty(queues, name, {
      enumerable: true,
      get() {
        if (!created.has(name)) created.set(name, new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS }));
        return created.get(name)!;
      },
    });
  }
  Object.defineProperty(queues, CREATED, { value: created });
  return queues;
}

const CREATED = Symbol('created queues');

export async function closeQueues(queues: Queues): Promise<void> {
  const created = (queues as unknown as Record<symbol, Map<QueueName, Queue>>)[CREATED];
  await Promise.all([...created.values()].map((q) => q.close()));
}

/** Adds a job by name with its typed payload. Call only after the transaction that motivates it committed. */
export function enqueue<N extends JobName>(queue: Queue, name: N, data: JobPayloads[N], options?: JobsOptions): Promise<Job> {
  return queue.add(name, data, options);
}

/** For scripts that build services but never enqueue: any use is a bug and says so. */
export function unusedQueues(): Queues {
  return Object.fromEntries(
    QUEUE_NAMES.map((name) => [
      name,
      new Proxy({} as Queue, {
        get() {
          throw new Error(`queue "${name}" used where no queues were configured`);
        },
      }),
    ]),
  ) as Queues;
}
