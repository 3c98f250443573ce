import { Worker } from 'node:worker_threads';
import type { DataSource } from 'typeorm';
import type { Logger } from '../../core/logger';
import { ScoreRunPhase, type ScoreRunStats } from './score-run.entity';

/**
 * A score run's progress, by the work it has done: rows read of the estimated total, the steps
 * of the computation (PageRank by its convergence), rows written of the known total. The run's
 * code only stores numbers into shared memory (every few thousand rows, never per row); a small
 * worker thread turns them into progress and an ETA and writes them to the run's row at most
 * every intervalMs. A thread, because the computation is synchronous: the main thread's event loop
 * is blocked for seconds at a million influencers, and its own timers would not fire.
 */

/** The phases a run works through, in order; the counters and weights are indexed by them. */
export const WORK_PHASES = [ScoreRunPhase.LOADING, ScoreRunPhase.COMPUTING, ScoreRunPhase.WRITING, ScoreRunPhase.SWITCHING] as const;

/**
 * Shares of a run's time when no earlier run tells: the README's benchmark of model 2 at 1M
 * influencers and 20M interactions (load 8.1 s, compute 11.1 s, write 5.9 s, switch well under 1 s).
 */
export const DEFAULT_WEIGHTS = [0.32, 0.44, 0.23, 0.01];

/** Layout of the shared counters: [phase index + 1, (done, total) per phase, start ms per phase]. */
const SLOTS = 1 + 2 * WORK_PHASES.length + WORK_PHASES.length;

export interface ProgressFigures {
  phase: ScoreRunPhase;
  /** The whole run, 0..0.99 (1 is written by the switch's commit). */
  overall: number;
  /** The current phase, 0..1. */
  fraction: number;
  etaSeconds: number | null;
  work: Record<string, { done: number; total: number; seconds: number | null }>;
}

/**
 * The figures from the counters. Self-contained (no imports, no closures): the progress thread
 * runs it from its source text. Overall progress sums the weights of the phases done and the
 * current phase's weight times its fraction; the ETA extrapolates the time spent so far, which
 * the weights (the previous run's phase durations) make fair across phases.
 */
export function progressOf(c: Float64Array, weights: number[], startedAtMs: number, nowMs: number): ProgressFigures | null {
  const names = ['LOADING', 'COMPUTING', 'WRITING', 'SWITCHING'];
  const phases = names.length;
  const p = c[0] - 1;
  if (p < 0) return null;
  let overall = 0;
  for (let q = 0; q < p; q++) overall += weights[q];
  const done = c[1 + 2 * p];
  const total = c[2 + 2 * p];
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  overall = Math.min(0.99, overall + weights[p] * fraction);
  const elapsed = Math.max(0, (nowMs - startedAtMs) / 1000);
  const etaSeconds = overall >= 0.01 ? Math.round((10 * elapsed * (1 - overall)) / overall) / 10 : null;
  const work: ProgressFigures['work'] = {};
  for (let q = 0; q < phases; q++) {
    const start = c[1 + 2 * phases + q];
    const next = q + 1 < phases ? c[2 + 2 * phases + q] : 0;
    const end = next > 0 ? next : q === p ? nowMs : 0;
    work[names[q]] = {
      done: c[1 + 2 * q],
      total: c[2 + 2 * q],
      seconds: start > 0 && end > 0 ? Math.round(end - start) / 1000 : null,
    };
  }
  return { phase: names[p] as ScoreRunPhase, overall, fraction, etaSeconds, work };
}

/**
 * One statement for both writers (the thread, or the main thread when no thread could start):
 * only while the attempt is RUNNING (a late write cannot undo DONE or FAILED), never backwards
 * (phases compare in the enum's order; progress only grows).
 */
const WRITE_PROGRESS = `UPDATE score_runs
  SET phase = $3::score_run_phase,
      progress = GREATEST(progress, $4),
      phase_progress = CASE WHEN phase = $3::score_run_phase THEN GREATEST(phase_progress, $5) ELSE $5 END,
      eta_at = CASE WHEN $6::float8 IS NULL THEN NULL ELSE now() + make_interval(secs => $6::float8) END,
      progress_at = now(),
      work = $7
  WHERE id = $1 AND attempt = $2 AND status = 'RUNNING' AND phase <= $3::score_run_phase`;

const PROGRESS_THREAD = `
const { workerData: w, parentPort } = require('node:worker_threads');
const { Client } = require(w.pgPath);
const progressOf = new Function('return ' + w.progressOf)();
let stopping = false;
let wake = () => undefined;
parentPort.on('message', () => { stopping = true; wake(); });
const client = new Client({ connectionString: w.databaseUrl, application_name: 'perks-score-run-progress' });
client.on('error', () => undefined);
(async () => {
  await client.connect();
  while (!stopping) {
    const p = progressOf(w.counters, w.weights, w.startedAtMs, Date.now());
    if (p) {
      await client.query(w.sql, [w.runId, w.attempt, p.phase, p.overall, p.fraction, p.etaSeconds, JSON.stringify(p.work)]).catch(() => undefined);
    }
    await new Promise((resolve) => { wake = resolve; setTimeout(resolve, w.intervalMs); });
  }
})().then(
  () => client.end(),
  (error) => { parentPort.postMessage(String(error && error.message || error)); return client.end().catch(() => undefined); },
// The message listener would keep this thread alive (and stop() waiting) until terminated.
).finally(() => process.exit(0));
`;

/**
 * How often the progress thread writes by default. Measured on the 1M-influencer bench (2 cores):
 * every 500 ms made the computation 1.4 s slower (9.9 s instead of 8.4 s, six runs each), every
 * 2 s cost nothing measurable (8.8 and 8.7 s beside 8.6 and 8.7 s): each wake-up of the thread and
 * of its Postgres backend takes a core from the model's two threads, which meet at a barrier every
 * PageRank iteration, so one late thread stalls both.
 */
export const DEFAULT_PROGRESS_INTERVAL_MS = 2_000;

export interface RunProgressSettings {
  databaseUrl: string;
  intervalMs: number;
}

/** The weights of the four phases: the previous successful run's durations, or DEFAULT_WEIGHTS. */
export async function phaseWeights(dataSource: DataSource, runId: number): Promise<number[]> {
  const [previous]: Array<{ stats: ScoreRunStats }> = await dataSource.query(
    `SELECT stats FROM score_runs WHERE status = 'SUCCEEDED' AND id <> $1 ORDER BY finished_at DESC NULLS LAST LIMIT 1`,
    [runId],
  );
  const s = previous?.stats;
  const seconds = [s?.loadingSeconds, s?.computingSeconds, s?.writingSeconds, s?.switchingSeconds];
  if (seconds.some((x) => typeof x !== 'number')) return DEFAULT_WEIGHTS;
  // A floor per phase: a phase that took no measurable time last time still moves the bar a little.
  const floored = (seconds as number[]).map((x) => Math.max(x, 0.02));
  const sum = floored.reduce((a, b) => a + b, 0);
  return floored.map((x) => x / sum);
}

export class RunProgress {
  private readonly counters = new Float64Array(new SharedArrayBuffer(SLOTS * 8));
  private readonly startedAtMs = Date.now();
  private worker: Worker | null = null;
  private fallback: NodeJS.Timeout | null = null;

  constructor(
    private readonly run: { id: number; attempt: number },
    private readonly weights: number[],
    private readonly settings: RunProgressSettings,
    private readonly dataSource: DataSource,
    private readonly log: Logger,
  ) {}

  /** Starts the writer: the thread, or (logged, never silent) a timer on this thread. */
  start(): void {
    try {
      this.worker = new Worker(PROGRESS_THREAD, {
        eval: true,
        workerData: {
          counters: this.counters,
          weights: this.weights,
          startedAtMs: this.startedAtMs,
          progressOf: progressOf.toString(),
          pgPath: require.resolve('pg'),
          databaseUrl: this.settings.databaseUrl,
          intervalMs: this.settings.intervalMs,
          sql: WRITE_PROGRESS,
          runId: this.run.id,
          attempt: this.run.attempt,
        },
      });
      this.worker.unref();
      this.worker.on('message', (message) => this.fallBack(String(message)));
      this.worker.on('error', (error) => this.fallBack(error.message));
    } catch (error) {
      this.fallBack(error instanceof Error ? error.message : String(error));
    }
  }

  private fallBack(reason: string): void {
    if (this.fallback) return;
    this.worker = null;
    this.log.warn(
      { runId: this.run.id, reason },
      'score run progress thread failed: progress is written from the run itself, and stalls while it computes',
    );
    this.fallback = setInterval(() => void this.writeHere().catch(() => undefined), this.settings.intervalMs);
    this.fallback.unref();
  }

  private async writeHere(): Promise<void> {
    const p = progressOf(this.counters, this.weights, this.startedAtMs, Date.now());
    if (!p) return;
    await this.dataSource.query(WRITE_PROGRESS, [this.run.id, this.run.attempt, p.phase, p.overall, p.fraction, p.etaSeconds, p.work]);
  }

  /** The run moved on to `phase`: the earlier phases count as done. */
  enter(phase: ScoreRunPhase): void {
    const p = WORK_PHASES.indexOf(phase as (typeof WORK_PHASES)[number]);
    const c = this.counters;
    for (let q = 0; q < p; q++) if (c[2 + 2 * q] > 0) c[1 + 2 * q] = c[2 + 2 * q];
    c[1 + 2 * WORK_PHASES.length + p] = Date.now();
    c[0] = p + 1;
  }

  /** Work done in the current phase, of the (estimated) total. */
  report(done: number, total: number): void {
    const p = this.counters[0] - 1;
    this.counters[1 + 2 * p] = done;
    this.counters[2 + 2 * p] = total;
  }

  /** The counters and timings as the finished run keeps them (the switch is its last step). */
  finalWork(): ProgressFigures['work'] {
    this.report(1, 1);
    return progressOf(this.counters, this.weights, this.startedAtMs, Date.now())?.work ?? {};
  }

  /** Stops the writer and waits for it: a write after stop can only be a no-op (status guard). */
  async stop(): Promise<void> {
    if (this.fallback) clearInterval(this.fallback);
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('stop');
    const timer = setTimeout(() => {
      this.log.warn({ runId: this.run.id }, 'score run progress thread did not stop within 5 s: terminated');
      void worker.terminate();
    }, 5_000);
    await exited;
    clearTimeout(timer);
  }
}
