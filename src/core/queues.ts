import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from './logger';
import { failFastOptions, isRedisInstance } from './redis';
import { withTimeout } from './timeout';
import { tracedEnqueue } from './tracing';

/** Every queue of the service. Workers listen on all of them; jobs say which one they use. */
export const QUEUE_NAMES = ['scoring', 'matching', 'maintenance', 'webhooks', 'email'] as const;
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
  /**
   * Options of the jobs the worker runtime adds itself (a schedule's jobs, a recovery job). `enqueue`
   * never reads them: its callers pass their own, over the queue's DEFAULT_JOB_OPTIONS.
   */
  options?: JobsOptions;
  /**
   * Recurring jobs: the worker upserts a BullMQ job scheduler with this cron pattern at boot, or
   * removes it when `enabled` is false (a feature switched off by configuration).
   */
  schedule?: (deps: Deps) => { id: string; pattern: string; tz?: string; enabled?: boolean };
  /**
   * Recovery jobs: enqueued once (by one worker) whenever Redis turns out to hold none of our jobs
   * (a restart without persistence, a failover to an empty replica, a new Redis). They re-derive
   * from Postgres the work that was queued in the lost Redis. Payload: {}.
   */
  recover?: boolean;
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
 * Worker settings per queue. A score run holds its lock for up to lockDuration between renewals
 * (BullMQ renews at half of it); its longest synchronous stretch (PageRank) stays well under half
 * of it, so the lock is renewed in time. Stalled-job settings: src/core/worker-runtime.ts.
 */
export const QUEUE_WORKER_OPTIONS: Record<QueueName, { concurrency: number; lockDuration: number }> = {
  scoring: { concurrency: 1, lockDuration: 60_000 },
  matching: { concurrency: 4, lockDuration: 30_000 },
  maintenance: { concurrency: 2, lockDuration: 30_000 },
  // Deliveries wait on other people's servers (up to WEBHOOK_TIMEOUT_MS each): a queue of their own,
  // so slow receivers never hold up matching; one job per endpoint at a time (a lease in Postgres).
  webhooks: { concurrency: 8, lockDuration: 30_000 },
  // Sends wait on the SMTP relay (up to EMAIL_TIMEOUT_MS per step): their own queue, like webhooks.
  email: { concurrency: 4, lockDuration: 30_000 },
};

/**
 * Where an enqueue that Redis refused goes instead (the job outbox in Postgres), to be added to
 * its queue once Redis answers again. Without one, the failure reaches the caller.
 */
export interface EnqueueFallback {
  save(queue: QueueName, name: string, data: unknown, options: JobsOptions | undefined, error: unknown): Promise<void>;
}

export interface QueuesOptions {
  /** Where jobs go while Redis is unreachable (the job outbox); without one, enqueue throws. */
  fallback?: EnqueueFallback;
  /** How long one enqueue may wait for Redis before it counts as failed. */
  timeoutMs?: number;
  log?: Logger;
}

interface QueueInternals {
  name: QueueName;
  fallback?: EnqueueFallback;
  timeoutMs: number;
}

const internals = new WeakMap<Queue, QueueInternals>();
const CREATED = Symbol('created queues');
const PRODUCER = Symbol('producer connection');
const FALLBACK = Symbol('enqueue fallback');

/**
 * The queues, each created (and connected) on first use: scripts that never enqueue never touch
 * Redis. They share one producer connection of their own that fails fast (see failFastOptions):
 * the connection handed in may be a blocking one (maxRetriesPerRequest null, offline queue), on
 * which an enqueue during a Redis outage would wait for Redis to come back, holding its request.
 */
export function createQueues(connection: ConnectionOptions, prefix: string, options: QueuesOptions = {}): Queues {
  const timeoutMs = options.timeoutMs ?? 2_000;
  const created = new Map<QueueName, Queue>();
  let producer: Redis | undefined;
  const producerConnection = (): ConnectionOptions => {
    if (!isRedisInstance(connection)) return { ...connection, ...failFastOptions(timeoutMs) } as ConnectionOptions;
    if (!producer) {
      producer = connection.duplicate(failFastOptions(timeoutMs));
      // Outages are reported by the enqueue that fails (and the outbox); ioredis reconnects by itself.
      producer.on('error', () => undefined);
    }
    return producer;
  };
  const queues = {} as Queues;
  for (const name of QUEUE_NAMES) {
    Object.defineProperty(queues, name, {
      enumerable: true,
      get() {
        if (!created.has(name)) {
          const queue = new Queue(name, { connection: producerConnection(), prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
          queue.on('error', (error) => options.log?.debug({ queue: name, err: error }, 'queue connection error'));
          internals.set(queue, { name, fallback: options.fallback, timeoutMs });
          created.set(name, queue);
        }
        return created.get(name)!;
      },
    });
  }
  Object.defineProperty(queues, CREATED, { value: created });
  Object.defineProperty(queues, PRODUCER, { get: () => producer });
  Object.defineProperty(queues, FALLBACK, { value: options.fallback });
  return queues;
}

export async function closeQueues(queues: Queues): Promise<void> {
  const created = (queues as unknown as Record<symbol, Map<QueueName, Queue>>)[CREATED];
  await Promise.all([...created.values()].map((q) => q.close()));
  const producer = (queues as unknown as Record<symbol, Redis | undefined>)[PRODUCER];
  if (producer) await producer.quit().catch(() => producer.disconnect());
}

/**
 * Adds a job, failing after the queue's timeout however Redis misbehaves (down, restarting, or
 * accepting connections without answering). A job that timed out may still have been added: every
 * job is safe to run twice, and those that must run once per subject carry a jobId or deduplication id.
 */
export async function addJob(queue: Queue, name: string, data: unknown, options?: JobsOptions): Promise<void> {
  const timeoutMs = internals.get(queue)?.timeoutMs ?? 2_000;
  await withTimeout(queue.add(name, data, options), timeoutMs, () => new Error(`Redis did not take job "${name}" within ${timeoutMs} ms`));
}

/**
 * Adds a job by name with its typed payload. Call only after the transaction that motivates it
 * committed. When Redis refuses it and the queues have a fallback (the job outbox), the job is
 * saved there and added when Redis is back: the caller's request still succeeds.
 */
export async function enqueue<N extends JobName>(queue: Queue, name: N, data: JobPayloads[N], options?: JobsOptions): Promise<void> {
  // With tracing on, the options carry the caller's trace context (into the outbox too).
  await tracedEnqueue(queue.name, name, options, async (traced) => {
    try {
      await addJob(queue, name, data, traced);
    } catch (error) {
      const own = internals.get(queue);
      if (!own?.fallback) throw error;
      await own.fallback.save(own.name, name, data, traced, error);
    }
  });
}

/** The fallback the queues were created with (the worker drains it). */
export function fallbackOf(queues: Queues): EnqueueFallback | undefined {
  return (queues as unknown as Record<symbol, EnqueueFallback | undefined>)[FALLBACK];
}

/** The queues' producer connection (it emits 'ready' after every reconnect); undefined for option-built connections. */
export function producerOf(queues: Queues): Redis | undefined {
  void queues[QUEUE_NAMES[0]]; // the connection is created with the first queue
  return (queues as unknown as Record<symbol, Redis | undefined>)[PRODUCER];
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
