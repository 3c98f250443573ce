import type { JobsOptions } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { Logger } from './logger';
import { addJob, QUEUE_NAMES, type EnqueueFallback, type QueueName, type Queues } from './queues';

interface OutboxRow {
  id: string;
  queue: QueueName;
  name: string;
  data: unknown;
  options: JobsOptions;
  /** How long ago the row was saved (a delayed job's delay counts from then). */
  age_ms: number;
}

const BATCH = 200;

/**
 * The job outbox: jobs Redis refused (down, restarting, not answering in time) are kept in
 * Postgres and added to their queues by the worker once Redis answers again, in the order they
 * were saved. The request that enqueued them succeeds meanwhile: a claim cancelled during a Redis
 * outage still gets its unit re-offered, a score run requested then still runs.
 *
 * Delivery is at least once: a job may be both added (Redis took it just before a timeout) and
 * saved here; every job is safe to run twice, and those that must run once per subject carry a
 * jobId (score runs) or a deduplication id (matches), which BullMQ honours on the second add.
 */
export class JobOutbox implements EnqueueFallback {
  private outage = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly log: Logger,
  ) {}

  async save(queue: QueueName, name: string, data: unknown, options: JobsOptions | undefined, error: unknown): Promise<void> {
    await this.dataSource.query(`INSERT INTO job_outbox (queue, name, data, options, last_error) VALUES ($1, $2, $3, $4, $5)`, [
      queue,
      name,
      JSON.stringify(data),
      JSON.stringify(options ?? {}),
      messageOf(error),
    ]);
    this.log.warn({ queue, job: name, err: messageOf(error) }, 'Redis refused a job; kept in the job outbox');
  }

  /**
   * Adds saved jobs to their queues, oldest first, until none is left or Redis refuses one (the
   * rest wait for the next call). Rows are locked with SKIP LOCKED, so several workers drain side
   * by side without adding a job twice. Returns how many jobs were added.
   */
  async drain(queues: Queues): Promise<number> {
    let added = 0;
    for (;;) {
      const batch = await this.dataSource.transaction(async (db) => {
        const rows: OutboxRow[] = await db.query(
          `SELECT id, queue, name, data, options, (extract(epoch FROM now() - created_at) * 1000)::float8 AS age_ms
           FROM job_outbox ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
        );
        const done: string[] = [];
        let failure: unknown;
        for (const row of rows) {
          if (!(QUEUE_NAMES as readonly string[]).includes(row.queue)) {
            this.log.error({ queue: row.queue, job: row.name }, 'job outbox row names no known queue; dropped');
            done.push(row.id);
            continue;
          }
          try {
            await addJob(queues[row.queue], row.name, row.data, remainingDelay(row));
            done.push(row.id);
          } catch (error) {
            failure = error;
            await db.query(`UPDATE job_outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, [row.id, messageOf(error)]);
            break;
          }
        }
        if (done.length) await db.query(`DELETE FROM job_outbox WHERE id = ANY($1::bigint[])`, [done]);
        return { rows: rows.length, done: done.length, failure };
      });
      added += batch.done;
      if (batch.failure !== undefined) {
        if (!this.outage) this.log.warn({ err: messageOf(batch.failure) }, 'job outbox: Redis still refuses jobs; will retry');
        this.outage = true;
        return added;
      }
      if (batch.rows < BATCH) break;
    }
    if (this.outage || added) this.log.info({ added }, 'job outbox drained');
    this.outage = false;
    return added;
  }

  /** Drains every intervalMs (one pass at a time) until the returned stop function is called. */
  start(queues: Queues, intervalMs: number): () => Promise<void> {
    let stopped = false;
    let running: Promise<unknown> = Promise.resolve();
    const tick = () => {
      if (stopped) return;
      running = this.drain(queues)
        .catch((error: unknown) => this.log.warn({ err: messageOf(error) }, 'job outbox drain failed; will retry'))
        .finally(() => {
          if (!stopped) timer = setTimeout(tick, intervalMs);
        });
    };
    let timer = setTimeout(tick, 0);
    return async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    };
  }
}

/** A delayed job's options with the time it already spent in the outbox taken off its delay. */
export function remainingDelay(row: Pick<OutboxRow, 'options' | 'age_ms'>): JobsOptions {
  if (!row.options.delay) return row.options;
  return { ...row.options, delay: Math.max(0, Math.round(row.options.delay - row.age_ms)) };
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}
