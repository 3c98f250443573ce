import type { DataSource } from 'typeorm';
import { QUEUE_NAMES, type Queues } from '../../core/queues';
import { withTimeout } from '../../core/timeout';
import { QueueState } from './queue-state.types';

/** How long a queue's counts may take: an operator's view must answer while Redis is away. */
const COUNTS_TIMEOUT_MS = 2_000;

/** What operators watch beside the score runs: the queues (the same figures as /admin/queues). */
export class OperationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: Queues,
  ) {}

  async queueStates(): Promise<QueueState[]> {
    const outbox: Array<{ queue: string; n: number }> = await this.dataSource.query(
      `SELECT queue, count(*)::int AS n FROM job_outbox GROUP BY queue`,
    );
    const outboxed = new Map(outbox.map((r) => [r.queue, r.n]));
    return Promise.all(
      QUEUE_NAMES.map(async (name) => {
        const state = Object.assign(new QueueState(), { name, outboxed: outboxed.get(name) ?? 0, reachable: false });
        try {
          const queue = this.queues[name];
          const [counts, paused] = await withTimeout(
            Promise.all([queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed'), queue.isPaused()]),
            COUNTS_TIMEOUT_MS,
            () => new Error('Redis did not answer'),
          );
          Object.assign(state, { reachable: true, paused, ...counts });
        } catch {
          Object.assign(state, {
            paused: null,
            waiting: null,
            prioritized: null,
            active: null,
            delayed: null,
            failed: null,
            completed: null,
          });
        }
        return state;
      }),
    );
  }
}
