import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Finer score-run progress (src/modules/scoring/run-progress.ts): the current phase's share done
 * (from the run's own work counters), when the run expects to finish, when the figures were last
 * written, and the counters and phase timings themselves. Written by the running worker at most
 * every SCORE_RUN_PROGRESS_MS, read by any API process (scoreRun, the operator CLI).
 */
export class ScoreRunProgress1795712000000 implements MigrationInterface {
  name = 'ScoreRunProgress1795712000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "score_runs"
         ADD "phase_progress" real NOT NULL DEFAULT 0,
         ADD "eta_at" timestamptz,
         ADD "progress_at" timestamptz,
         ADD "work" jsonb NOT NULL DEFAULT '{}',
         ADD CONSTRAINT "score_runs_phase_progress_check" CHECK ("phase_progress" >= 0 AND "phase_progress" <= 1)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "score_runs" DROP CONSTRAINT "score_runs_phase_progress_check", DROP COLUMN "work", DROP COLUMN "progress_at",
         DROP COLUMN "eta_at", DROP COLUMN "phase_progress"`,
    );
  }
}
