import type { DataSource } from 'typeorm';
import { createDataSource } from '../../ormconfig';
import type { Logger } from '../../src/core/logger';
import { RunProgress } from '../../src/modules/scoring/run-progress';
import { ScoreRunPhase } from '../../src/modules/scoring/score-run.entity';
import { createScratchDatabase } from '../helpers/database';

const WEIGHTS = [0.25, 0.25, 0.25, 0.25];

async function until<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}; last ${JSON.stringify(last)}`);
}

/** RunProgress's writers against a real score_runs row. */
describe('score run progress writer', () => {
  let database: { url: string; drop: () => Promise<void> };
  let dataSource: DataSource;
  const warnings: string[] = [];
  const log = { warn: (_: object, msg: string) => warnings.push(msg) } as unknown as Logger;

  beforeAll(async () => {
    database = await createScratchDatabase('progress_writer');
    dataSource = await createDataSource(database.url, 2).initialize();
    // Every write, with when it happened: what the run's own thread cannot see while it is blocked.
    await dataSource.query(`CREATE TABLE progress_log (run_id int, phase text, at timestamptz)`);
    await dataSource.query(`CREATE FUNCTION log_progress() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO progress_log VALUES (NEW.id, NEW.phase, clock_timestamp()); RETURN NEW; END $$`);
    await dataSource.query(`CREATE TRIGGER log_progress AFTER UPDATE ON score_runs FOR EACH ROW EXECUTE FUNCTION log_progress()`);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const newRun = async (day: number): Promise<{ id: number; attempt: number }> => {
    const [row] = await dataSource.query(
      `INSERT INTO score_runs (run_date, trigger, status, phase) VALUES ($1, 'ADMIN', 'RUNNING', 'LOADING') RETURNING id, attempt`,
      [`2026-01-${String(day).padStart(2, '0')}`],
    );
    return row;
  };
  const rowOf = async (id: number) =>
    (
      await dataSource.query(`SELECT status, phase, progress, phase_progress, progress_at, eta_at, work FROM score_runs WHERE id = $1`, [
        id,
      ])
    )[0];

  it('writes from its thread while the run blocks its own event loop, and never after the run ended', async () => {
    const run = await newRun(1);
    const progress = new RunProgress(run, WEIGHTS, { databaseUrl: database.url, intervalMs: 50 }, dataSource, log);
    progress.enter(ScoreRunPhase.LOADING);
    progress.report(3, 10);
    progress.start();
    try {
      const loading = await until(
        'LOADING at 30%',
        () => rowOf(run.id),
        (r) => r.phase_progress > 0.29,
      );
      expect(loading).toMatchObject({ phase: 'LOADING', status: 'RUNNING' });
      expect(loading.progress).toBeCloseTo(0.075, 3);
      expect(loading.eta_at).not.toBeNull();

      // A synchronous stretch, as the computation is: only another thread can write meanwhile.
      progress.enter(ScoreRunPhase.COMPUTING);
      progress.report(6, 12);
      const blockedFrom = Date.now();
      const blockedUntil = blockedFrom + 1_500;
      while (Date.now() < blockedUntil) {
        // busy, as computeScores is
      }
      const [{ n }] = await dataSource.query(
        `SELECT count(*)::int AS n FROM progress_log WHERE run_id = $1 AND phase = 'COMPUTING' AND at > $2 AND at < $3`,
        [run.id, new Date(blockedFrom), new Date(blockedUntil)],
      );
      expect(n).toBeGreaterThanOrEqual(2); // every 50 ms, however busy the machine: at least twice in 1.5 s
      const computing = await rowOf(run.id);
      expect(computing).toMatchObject({ phase: 'COMPUTING' });
      expect(computing.progress).toBeCloseTo(0.25 + 0.125, 3);
      expect(computing.work.LOADING).toMatchObject({ done: 10, total: 10 });

      // The run ends (as its switch does): later writes are no-ops.
      await dataSource.query(`UPDATE score_runs SET status = 'SUCCEEDED', phase = 'DONE', progress = 1 WHERE id = $1`, [run.id]);
      progress.enter(ScoreRunPhase.WRITING);
      await new Promise((r) => setTimeout(r, 300));
      expect(await rowOf(run.id)).toMatchObject({ status: 'SUCCEEDED', phase: 'DONE', progress: 1 });
    } finally {
      await progress.stop();
    }
    expect(warnings).toEqual([]);
  });

  it('says so and writes from the run itself when its thread cannot reach Postgres', async () => {
    const run = await newRun(2);
    const unreachable = new URL(database.url);
    unreachable.port = '1';
    const progress = new RunProgress(run, WEIGHTS, { databaseUrl: unreachable.toString(), intervalMs: 50 }, dataSource, log);
    progress.enter(ScoreRunPhase.WRITING);
    progress.report(1, 4);
    progress.start();
    try {
      const row = await until(
        'the fallback to write',
        () => rowOf(run.id),
        (r) => r.phase === 'WRITING',
      );
      expect(row.phase_progress).toBeCloseTo(0.25, 3);
      expect(warnings).toEqual([expect.stringMatching(/^score run progress thread failed/)]);
    } finally {
      await progress.stop();
    }
  });
});
