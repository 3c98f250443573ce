import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { businessMetrics } from '../../core/business-metrics';
import { collectGarbage } from '../../core/collect-garbage';
import { decodeCursor, encodeCursor, toConnection } from '../../core/connection';
import { affectedRows } from '../../core/database';
import type { Logger } from '../../core/logger';
import { RUN_LOCK } from '../../core/locks';
import { enqueue, type Queues } from '../../core/queues';
import { computeScores, MODEL_VERSION, type ModelVersion } from './score-model';
import { loadModelInput, windowOf } from './score-run-loader';
import { dropSnapshotTables, snapshotTables, writeSnapshot } from './score-run-writer';
import { CurrentRunCache } from './current-run';
import { DEFAULT_PROGRESS_INTERVAL_MS, phaseWeights, RunProgress } from './run-progress';
import { ScoreRun, ScoreRunPhase, ScoreRunStats, ScoreRunStatus, ScoreRunTrigger } from './score-run.entity';
import { ScoreRunConnection } from './scoring.types';
import { NotificationKind, notificationsCte, SCORE_CHANGE_THRESHOLD } from '../notifications/notification-events';

export interface ScoringSettings {
  databaseUrl: string;
  historyDays: number;
  /** The database's instance id (src/core/instance.ts): part of every job id this service builds. */
  instanceId: string;
  /** The score model the runs use (default MODEL_VERSION); the benchmark runs version 1 beside it. */
  modelVersion?: ModelVersion;
  /** How often a running run writes its progress to its row (default DEFAULT_PROGRESS_INTERVAL_MS, 2 s). */
  progressIntervalMs?: number;
}

/** Runs from this many interactions collect garbage between their steps (their arrays are tens of MB and more). */
const COLLECT_FROM_INTERACTIONS = 1_000_000;

/**
 * A retryable refusal: another run holds the lock. The job does not wait for it: BullMQ retries it
 * with backoff (DEFAULT_JOB_OPTIONS: 5 attempts over about 30 s), and a run still refused after the
 * last is retried by the next resumeRuns sweep, not failed.
 */
export class ScoreRunBusyError extends Error {
  static readonly MESSAGE = 'another score run is in progress';
  constructor() {
    super(ScoreRunBusyError.MESSAGE);
  }
}

const seconds = (fromMs: number) => Math.round((performance.now() - fromMs) / 10) / 100;

const PHASES = ['loading', 'computing', 'writing', 'switching', 'total'] as const;

/** A finished run's phases on this process's /metrics (perks_score_run_phase_duration_seconds). */
function observePhases(stats: ScoreRunStats): void {
  for (const phase of PHASES) {
    const value = stats[`${phase}Seconds`];
    if (typeof value === 'number') businessMetrics.scoreRunPhases.observe({ phase }, value);
  }
}

export class ScoringService {
  /** The current run as this process last read it; cleared when this process switches snapshots. */
  readonly currentRuns: CurrentRunCache;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: Queues,
    private readonly settings: ScoringSettings,
  ) {
    this.currentRuns = new CurrentRunCache(dataSource);
  }

  private get modelVersion(): ModelVersion {
    return this.settings.modelVersion ?? MODEL_VERSION;
  }

  /**
   * One id per attempt of a run: a second enqueue of the same attempt is a no-op in BullMQ. The
   * instance id keeps it from matching a job of another database (recreated, or sharing the prefix)
   * whose run had the same id: BullMQ would take the new job for that one and drop it.
   */
  private runJobId(runId: number, attempt: number): string {
    return `score-run-${this.settings.instanceId}-${runId}-${attempt}`;
  }

  /**
   * The run for a date: created on the first request, returned as it is on the next ones (one run
   * per date however many triggers fire), re-armed when it had failed. The job is enqueued after
   * the row is committed; its id makes duplicate enqueues of one attempt a no-op in BullMQ.
   */
  async requestRun(runDate: string, trigger: ScoreRunTrigger, requestedBy: string | null = null): Promise<ScoreRun> {
    const [row] = await this.dataSource.query(
      `INSERT INTO score_runs (run_date, trigger, requested_by) VALUES ($1, $2, $3)
       ON CONFLICT (run_date) DO UPDATE
         SET status = 'PENDING', phase = 'QUEUED', progress = 0, phase_progress = 0, eta_at = NULL, work = '{}', attempt = score_runs.attempt + 1, error = NULL,
             trigger = EXCLUDED.trigger, requested_by = EXCLUDED.requested_by
         WHERE score_runs.status = 'FAILED'
       RETURNING id`,
      [runDate, trigger, requestedBy],
    );
    const run = row ? await this.runById(row.id) : await this.dataSource.getRepository(ScoreRun).findOneByOrFail({ runDate });
    if (!run) throw new Error(`score run for ${runDate} vanished`);
    if (run.status === ScoreRunStatus.PENDING) {
      await enqueue(this.queues.scoring, 'recompute-scores', { runId: run.id }, { jobId: this.runJobId(run.id, run.attempt) });
    }
    return run;
  }

  /**
   * Repairs, from Postgres, runs whose job is gone or dead: a run that should be queued or
   * computing but has no job (Redis lost it, or the process died between commit and enqueue) is
   * enqueued again; one whose job failed for good while the row still says PENDING or RUNNING (a
   * job taken back from dead workers more than maxStalledCount times never reached its handler's
   * catch) is marked FAILED, so asking for its date again re-arms it; one whose job failed only
   * because every attempt found another run holding the lock is retried. Live jobs are left alone.
   */
  async resumeRuns(): Promise<{ enqueued: number; failed: number }> {
    const rows: Array<{ id: number; attempt: number }> = await this.dataSource.query(
      `SELECT id, attempt FROM score_runs WHERE status IN ('PENDING', 'RUNNING') ORDER BY run_date`,
    );
    const report = { enqueued: 0, failed: 0 };
    for (const { id, attempt } of rows) {
      const jobId = this.runJobId(id, attempt);
      const job = await this.queues.scoring.getJob(jobId);
      if (!job) {
        await enqueue(this.queues.scoring, 'recompute-scores', { runId: id }, { jobId });
        report.enqueued++;
      } else if ((await job.getState()) === 'failed') {
        if (job.failedReason === ScoreRunBusyError.MESSAGE) {
          await job.retry('failed', { resetAttemptsMade: true });
          report.enqueued++;
          continue;
        }
        report.failed += await affectedRows(
          this.dataSource,
          `UPDATE score_runs SET status = 'FAILED', error = $3, finished_at = now()
           WHERE id = $1 AND attempt = $2 AND status IN ('PENDING', 'RUNNING')`,
          [id, attempt, `job failed: ${job.failedReason}`.slice(0, 500)],
        );
      }
    }
    return report;
  }

  runById(id: number): Promise<ScoreRun | null> {
    return this.dataSource.getRepository(ScoreRun).findOneBy({ id });
  }

  /** Runs by date, newest first, with keyset pages on (run_date, id). */
  async listRuns(first: number, after?: string): Promise<ScoreRunConnection> {
    const repo = this.dataSource.getRepository(ScoreRun);
    const query = repo
      .createQueryBuilder('r')
      .orderBy('r.run_date', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .limit(first + 1);
    if (after) {
      const [date, id] = decodeCursor(after, ['date', 'int']);
      // Not `:date::date`: TypeORM reads `::date` as the parameter again.
      query.where('(r.run_date, r.id) < (CAST(:date AS date), :id)', { date, id });
    }
    const [rows, totalCount] = await Promise.all([query.getMany(), repo.count()]);
    return toConnection(new ScoreRunConnection(), rows, first, totalCount, (r) => encodeCursor([r.runDate, r.id]), Boolean(after));
  }

  currentRun(): Promise<ScoreRun | null> {
    return this.dataSource.getRepository(ScoreRun).findOneBy({ isCurrent: true });
  }

  /**
   * The job body: load the window with COPY, compute, write a new snapshot with COPY, then attach
   * it and move the current pointer in one transaction. Until that commit the previous snapshot
   * stays current, so a failed or killed run changes nothing readers see; a retry starts over.
   */
  async execute(runId: number, log: Logger): Promise<ScoreRunStats | null> {
    const lock = await this.connect('perks-score-run-lock');
    try {
      const [{ locked }] = (await lock.query('SELECT pg_try_advisory_lock($1) AS locked', [RUN_LOCK])).rows;
      if (!locked) throw new ScoreRunBusyError();
      const run = await this.runById(runId);
      if (!run) {
        log.warn({ runId }, 'score run not found; nothing to do');
        return null;
      }
      if (run.status === ScoreRunStatus.SUCCEEDED) return run.stats;
      return await this.compute(run, log);
    } catch (error) {
      if (!(error instanceof ScoreRunBusyError)) {
        await this.dataSource.query(
          `UPDATE score_runs SET status = 'FAILED', error = $2, finished_at = now() WHERE id = $1 AND status <> 'SUCCEEDED'`,
          [runId, error instanceof Error ? error.message.slice(0, 500) : String(error)],
        );
      }
      throw error;
    } finally {
      await lock.end();
    }
  }

  private async compute(run: ScoreRun, log: Logger): Promise<ScoreRunStats> {
    const started = performance.now();
    const stats: ScoreRunStats = {};
    await this.dataSource.query(
      `UPDATE score_runs SET status = 'RUNNING', phase = 'LOADING', progress = 0, phase_progress = 0, eta_at = NULL, progress_at = now(),
         work = '{}', started_at = now(), finished_at = NULL, error = NULL, model_version = $2 WHERE id = $1`,
      [run.id, this.modelVersion],
    );
    const progress = new RunProgress(
      run,
      await phaseWeights(this.dataSource, run.id),
      { databaseUrl: this.settings.databaseUrl, intervalMs: this.settings.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS },
      this.dataSource,
      log,
    );
    progress.enter(ScoreRunPhase.LOADING);
    progress.start();
    const report = (done: number, total: number) => progress.report(done, total);
    const client = await this.connect('perks-score-run');
    try {
      const phaseStart = { loading: performance.now() };
      const loaded = await loadModelInput(client, windowOf(run.runDate), report, { version: this.modelVersion });
      stats.loadingSeconds = seconds(phaseStart.loading);
      const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
      stats.peakRssMbAfterLoading = peakMb();

      progress.enter(ScoreRunPhase.COMPUTING);
      const computing = performance.now();
      // The loader's temporaries (post ids and their index, per-node follower counts) go before
      // the model allocates; so do each step's (betweenSteps). Only for a run whose arrays weigh:
      // a full collection of a process with a large heap of its own can hold its event loop for
      // a while, which a run of a few thousand interactions does not repay.
      const collect = loaded.model.edges.count >= COLLECT_FROM_INTERACTIONS ? collectGarbage : () => undefined;
      collect();
      const result = computeScores(loaded.model, {
        version: this.modelVersion,
        consumeEdges: true,
        releaseInput: true,
        betweenSteps: collect,
        onProgress: report,
        onFallback: (parts) => log.warn({ runId: run.id, parts }, 'score model parts fell back from a worker thread to the main thread'),
      });
      stats.computingSeconds = seconds(computing);
      // The computation's own arrays (pairs, credibility, the untrimmed topics) before writing.
      collect();
      stats.peakRssMbAfterComputing = peakMb();
      Object.assign(stats, {
        influencers: loaded.model.influencers.count,
        nodes: result.stats.nodes,
        interactions: result.stats.edges,
        pairs: result.stats.pairs,
        posts: loaded.model.posts.count,
        iterations: result.stats.iterations,
        topicScores: result.influencers.topicIds.length,
        workerParts: result.stats.workerParts,
        threadFallbacks: result.stats.threadFallbacks,
      });

      progress.enter(ScoreRunPhase.WRITING);
      const writing = performance.now();
      await writeSnapshot(client, run.id, result, loaded.influencerIds, report);
      stats.writingSeconds = seconds(writing);

      progress.enter(ScoreRunPhase.SWITCHING);
      const switching = performance.now();
      stats.switchingSeconds = 0;
      stats.totalSeconds = seconds(started);
      stats.peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
      await this.switchTo(client, run, stats, progress.finalWork());
      this.currentRuns.invalidate();
      await progress.stop();
      stats.switchingSeconds = seconds(switching);
      await this.dataSource.query(`UPDATE score_runs SET stats = $2 WHERE id = $1`, [run.id, stats]);
      log.info({ runId: run.id, runDate: run.runDate, ...stats }, 'score run finished');
      observePhases(stats);

      await this.purgeHistory(client, run);
      await enqueue(
        this.queues.matching,
        'score-run-completed',
        { runId: run.id },
        { jobId: `score-run-completed-${this.settings.instanceId}-${run.id}` },
      );
      return stats;
    } finally {
      await progress.stop();
      await client.end();
    }
  }

  /** Attaches the new tables and moves the pointer in one transaction (only forward in time). */
  private async switchTo(client: Client, run: ScoreRun, stats: ScoreRunStats, work: object): Promise<void> {
    const t = snapshotTables(run.id);
    await client.query('BEGIN');
    try {
      // Before the ATTACHes: while it runs (seconds at a million influencers), the new tables are
      // not yet partitions, so no reader of the parents waits on their locks. Runs are serialised
      // by RUN_LOCK, so whether this run becomes current cannot change before the UPDATEs below.
      const {
        rows: [{ becomes_current: becomesCurrent }],
      } = await client.query(`SELECT NOT EXISTS (SELECT 1 FROM score_runs WHERE is_current AND run_date > $1) AS becomes_current`, [
        run.runDate,
      ]);
      // Readers see the new scores and the notifications about them at the same commit.
      if (becomesCurrent) stats.scoreNotifications = await this.notifyScoreChanges(client, run);
      await client.query(`ALTER TABLE influencer_scores ATTACH PARTITION ${t.scores} FOR VALUES IN (${run.id})`);
      await client.query(`ALTER TABLE influencer_topic_scores ATTACH PARTITION ${t.topics} FOR VALUES IN (${run.id})`);
      await client.query(`ALTER TABLE actor_ranks ATTACH PARTITION ${t.ranks} FOR VALUES IN (${run.id})`);
      // A run for an older date (a re-run of a past day) becomes history, not current.
      await client.query(`UPDATE score_runs SET is_current = false WHERE is_current AND run_date <= $1`, [run.runDate]);
      const newer = (await client.query(`SELECT 1 FROM score_runs WHERE is_current`)).rowCount;
      if ((newer === 0) !== becomesCurrent) throw new Error(`score run ${run.id}: the current run changed during its switch`);
      await client.query(
        `UPDATE score_runs SET status = 'SUCCEEDED', phase = 'DONE', progress = 1, phase_progress = 1, eta_at = NULL, progress_at = now(),
           work = $4, finished_at = now(), is_current = $2, stats = $3 WHERE id = $1`,
        [run.id, newer === 0, stats, work],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  }

  /**
   * SCORE_CHANGED for every opted-in influencer whose score moved by SCORE_CHANGE_THRESHOLD points
   * or more since the previous run (the latest earlier run whose snapshot is kept, as the
   * explanation's delta reads it): one INSERT ... SELECT joining the two snapshot tables on their
   * primary keys, inside the switch's transaction. The data keeps both runs' components, from
   * which the inbox words the reason exactly as the explanation does (movedBy). Someone absent
   * from either run (new, or erased) is not told.
   */
  private async notifyScoreChanges(client: Client, run: ScoreRun): Promise<number> {
    const {
      rows: [previous],
    } = await client.query(
      `SELECT id, to_char(run_date, 'YYYY-MM-DD') AS run_date FROM score_runs
       WHERE status = 'SUCCEEDED' AND purged_at IS NULL AND run_date < $1 ORDER BY run_date DESC LIMIT 1`,
      [run.runDate],
    );
    if (!previous) return 0;
    const [now, before] = [snapshotTables(run.id).scores, snapshotTables(previous.id).scores];
    const components = (s: string) =>
      `jsonb_build_object('score', ${s}.score, 'reach', ${s}.reach, 'amplification', ${s}.amplification, 'authority', ${s}.authority,
                          'engagers', ${s}.engagers, 'credibleEngagers', ${s}.credible_engagers)`;
    const {
      rows: [{ n }],
    } = await client.query(
      `WITH moved AS (
         SELECT n.influencer_id,
                jsonb_build_object('runId', $1::int, 'runDate', $2::text, 'previousRunDate', $3::text,
                                   'scoreBefore', p.score, 'scoreAfter', n.score, 'before', ${components('p')}, 'after', ${components('n')}) AS data
         FROM ${now} n JOIN ${before} p ON p.influencer_id = n.influencer_id
         WHERE abs(n.score - p.score) >= ${SCORE_CHANGE_THRESHOLD}
           AND EXISTS (SELECT 1 FROM influencers inf WHERE inf.id = n.influencer_id AND inf.opted_in_at IS NOT NULL)),
       ${notificationsCte('notified', [{ kind: NotificationKind.SCORE_CHANGED, rows: `SELECT influencer_id, data FROM moved` }])}
       SELECT count(*)::int AS n FROM notified`,
      [run.id, run.runDate, previous.run_date],
    );
    return n;
  }

  /** Drops snapshots older than the history window, and node ranks of all but the two latest runs. */
  private async purgeHistory(client: Client, run: ScoreRun): Promise<void> {
    const { rows: old } = await client.query(
      `SELECT id FROM score_runs WHERE status = 'SUCCEEDED' AND NOT is_current AND purged_at IS NULL AND run_date < $1::date - $2::int`,
      [run.runDate, this.settings.historyDays],
    );
    for (const { id } of old) {
      await dropSnapshotTables(client, id);
      await client.query(`UPDATE score_runs SET purged_at = now() WHERE id = $1`, [id]);
    }
    const { rows: stale } = await client.query(
      `SELECT id FROM score_runs WHERE status = 'SUCCEEDED' AND purged_at IS NULL ORDER BY run_date DESC OFFSET 2`,
    );
    for (const { id } of stale) await client.query(`DROP TABLE IF EXISTS ${snapshotTables(id).ranks}`);
  }

  /** A dedicated connection without the pool's statement timeout: COPY of millions of rows takes a while. */
  private async connect(applicationName: string): Promise<Client> {
    const client = new Client({ connectionString: this.settings.databaseUrl, application_name: applicationName });
    // A dropped connection also fails the query in flight, which fails the run; without a listener
    // the 'error' event would take the whole worker process down.
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }
}
