import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Job, Worker } from 'bullmq';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { registerBusinessMetrics } from './business-metrics';
import type { Logger } from './logger';
import { QUEUE_NAMES, type Queues } from './queues';
import { withTimeout } from './timeout';

/**
 * Prometheus metrics both processes expose: Node's process metrics, queue depths and the last
 * score run's phases. Queue depths and score runs are read at scrape time (one Redis round trip
 * per queue, one small query), never on the request path. A source that does not answer within
 * the deadline is left out of that scrape and reported by perks_metrics_source_up.
 */
export interface MetricsDeps {
  dataSource: DataSource;
  queues: Queues;
  /** How long a scrape waits for Redis or Postgres before leaving their series out. */
  collectTimeoutMs?: number;
}

const SCORE_RUN_PHASES = ['loading', 'computing', 'writing', 'switching', 'total'] as const;

const within = <T>(promise: Promise<T>, timeoutMs: number) => withTimeout(promise, timeoutMs, () => new Error('timed out'));

/** One call per scrape however many metrics ask: concurrent callers share the promise in flight. */
function sharedPerScrape<T>(load: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | undefined;
  return () => {
    inFlight ??= load().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}

interface ScoreRunRow {
  kind: 'last' | 'running';
  stats: Record<string, unknown> | null;
  phase: string;
  finished: number | null;
}

/** A registry with the metrics shared by the API and the worker; each process adds its own to it. */
export function createMetricsRegistry(deps: MetricsDeps): Registry {
  const timeoutMs = deps.collectTimeoutMs ?? 2_000;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  registerBusinessMetrics(registry);

  const queueCounts = sharedPerScrape(async () => {
    try {
      const counts = await within(Promise.all(QUEUE_NAMES.map((name) => deps.queues[name].getJobCounts())), timeoutMs);
      return QUEUE_NAMES.map((name, i) => ({ name, counts: counts[i] as Record<string, number> }));
    } catch {
      return null;
    }
  });

  const scoreRuns = sharedPerScrape(async () => {
    try {
      return await within<ScoreRunRow[]>(
        deps.dataSource.query(
          `(SELECT 'last' AS kind, stats, phase::text AS phase, extract(epoch FROM finished_at)::float8 AS finished
              FROM score_runs WHERE status = 'SUCCEEDED' ORDER BY finished_at DESC NULLS LAST, id DESC LIMIT 1)
           UNION ALL
           (SELECT 'running', NULL, phase::text, NULL
              FROM score_runs WHERE status = 'RUNNING' ORDER BY started_at DESC NULLS LAST, id DESC LIMIT 1)`,
        ),
        timeoutMs,
      );
    } catch {
      return null;
    }
  });

  new Gauge({
    name: 'perks_queue_jobs',
    help: 'Jobs in each BullMQ queue by state (waiting, active, delayed, prioritized, failed, completed, ...), read at scrape time',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      const queues = await queueCounts();
      for (const { name, counts } of queues ?? []) {
        for (const [state, count] of Object.entries(counts)) this.set({ queue: name, state }, count);
      }
    },
  });

  new Gauge({
    name: 'perks_score_run_phase_seconds',
    help: 'Duration of each phase of the last successful score run (loading, computing, writing, switching, total)',
    labelNames: ['phase'],
    registers: [registry],
    async collect() {
      this.reset();
      const last = (await scoreRuns())?.find((r) => r.kind === 'last');
      for (const phase of SCORE_RUN_PHASES) {
        const value = last?.stats?.[`${phase}Seconds`];
        if (typeof value === 'number') this.set({ phase }, value);
      }
    },
  });

  new Gauge({
    name: 'perks_score_run_last_success_timestamp_seconds',
    help: 'When the last successful score run finished (Unix time; 0 before the first); alert when it is more than a day old',
    registers: [registry],
    async collect() {
      this.reset();
      const last = (await scoreRuns())?.find((r) => r.kind === 'last');
      if (last?.finished != null) this.set(last.finished);
    },
  });

  new Gauge({
    name: 'perks_score_run_in_progress',
    help: '1 for the phase a running score run is in (LOADING, COMPUTING, WRITING, SWITCHING); no series when none runs',
    labelNames: ['phase'],
    registers: [registry],
    async collect() {
      this.reset();
      const running = (await scoreRuns())?.find((r) => r.kind === 'running');
      if (running) this.set({ phase: running.phase }, 1);
    },
  });

  new Gauge({
    name: 'perks_metrics_source_up',
    help: 'Whether a source of scrape-time metrics answered this scrape (redis: queue depths, postgres: score runs)',
    labelNames: ['source'],
    registers: [registry],
    async collect() {
      const [queues, runs] = await Promise.all([queueCounts(), scoreRuns()]);
      this.set({ source: 'redis' }, queues ? 1 : 0);
      this.set({ source: 'postgres' }, runs ? 1 : 0);
    },
  });

  return registry;
}

/** Job counts and durations by queue and job name, from the worker's own events (no Redis calls). */
export function instrumentWorkers(registry: Registry, workers: Worker[], jobNames: readonly string[]): void {
  const known = new Set(jobNames);
  const jobs = new Counter({
    name: 'perks_jobs_total',
    help: 'Jobs this worker process finished, by queue, job name and outcome (completed, failed)',
    labelNames: ['queue', 'name', 'outcome'],
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'perks_job_duration_seconds',
    help: 'How long jobs this worker process finished ran, by queue, job name and outcome',
    labelNames: ['queue', 'name', 'outcome'],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900],
    registers: [registry],
  });
  const stalled = new Counter({
    name: 'perks_jobs_stalled_total',
    help: 'Jobs this worker process took back from a dead (or blocked) worker, by queue',
    labelNames: ['queue'],
    registers: [registry],
  });
  const record = (queue: string, job: Job | undefined, outcome: 'completed' | 'failed') => {
    const name = job && known.has(job.name) ? job.name : 'unknown';
    jobs.inc({ queue, name, outcome });
    if (job?.processedOn) durations.observe({ queue, name, outcome }, ((job.finishedOn ?? Date.now()) - job.processedOn) / 1000);
  };
  for (const worker of workers) {
    worker.on('completed', (job) => record(worker.name, job, 'completed'));
    worker.on('failed', (job) => record(worker.name, job, 'failed'));
    worker.on('stalled', () => stalled.inc({ queue: worker.name }));
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Answers a scrape: with a token configured, only `Authorization: Bearer <token>` (compared in
 * constant time) gets the metrics; everyone else gets a bare 401.
 */
export function metricsResponder(registry: Registry, token: string | undefined, log: Logger) {
  const expected = token === undefined ? undefined : digest(token);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (expected) {
      const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization?.trim() ?? '');
      if (!match || !timingSafeEqual(digest(match[1]), expected)) {
        res.writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"', 'content-type': 'text/plain' }).end('Unauthorized\n');
        return;
      }
    }
    try {
      const body = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(body);
    } catch (error) {
      log.error({ err: error }, 'metrics collection failed');
      res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
    }
  };
}
