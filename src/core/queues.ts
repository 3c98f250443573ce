import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
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
  handler(data: D, deps: Deps, ctx: JobContext): Promise<unknown>;
}

export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export type Queues = Record<QueueName, Queue>;

export function createQueues(connection: ConnectionOptions, prefix: string): Queues {
  return Object.fromEntries(
    QUEUE_NAMES.map((name) => [name, new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS })]),
  ) as Queues;
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}
