import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Score runs and their snapshots.
 *
 * A run writes its snapshot into tables of its own (influencer_scores_r<id> ...), indexes them,
 * then attaches them as partitions and flips score_runs.is_current in one transaction, so readers
 * see the old snapshot or the new one, never a mix. Dropping a run's history is dropping its
 * partitions. The parents below are written by hand: TypeORM does not model partitioning.
 */
export class Scoring1795635000000 implements MigrationInterface {
  name = 'Scoring1795635000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."score_run_status" AS ENUM('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED')`);
    await queryRunner.query(
      `CREATE TYPE "public"."score_run_phase" AS ENUM('QUEUED', 'LOADING', 'COMPUTING', 'WRITING', 'SWITCHING', 'DONE')`,
    );
    await queryRunner.query(`CREATE TYPE "public"."score_run_trigger" AS ENUM('SCHEDULE', 'ADMIN')`);
    await queryRunner.query(`
      CREATE TABLE "score_runs" (
        "id" integer GENERATED ALWAYS AS IDENTITY,
        "run_date" date NOT NULL,
        "status" "public"."score_run_status" NOT NULL DEFAULT 'PENDING',
        "phase" "public"."score_run_phase" NOT NULL DEFAULT 'QUEUED',
        "progress" real NOT NULL DEFAULT 0,
        "attempt" integer NOT NULL DEFAULT 1,
        "trigger" "public"."score_run_trigger" NOT NULL,
        "requested_by" uuid,
        "is_current" boolean NOT NULL DEFAULT false,
        "model_version" integer,
        "stats" jsonb NOT NULL DEFAULT '{}',
        "error" text,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "started_at" TIMESTAMP WITH TIME ZONE,
        "finished_at" TIMESTAMP WITH TIME ZONE,
        "purged_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "score_runs_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "score_runs_progress_check" CHECK ("progress" >= 0 AND "progress" <= 1),
        CONSTRAINT "score_runs_current_check" CHECK (NOT "is_current" OR "status" = 'SUCCEEDED')
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "score_runs_run_date_key" ON "score_runs" ("run_date")`);
    // At most one current run: the pointer readers follow.
    await queryRunner.query(`CREATE UNIQUE INDEX "score_runs_is_current_key" ON "score_runs" ("is_current") WHERE "is_current"`);

    await queryRunner.query(`
      CREATE TABLE "influencer_scores" (
        "run_id" integer NOT NULL,
        "influencer_id" uuid NOT NULL,
        "score" smallint NOT NULL,
        "reach" real NOT NULL,
        "amplification" real NOT NULL,
        "authority" real NOT NULL,
        "reach_raw" real NOT NULL,
        "amplification_raw" real NOT NULL,
        "authority_raw" real NOT NULL,
        "engagers" integer NOT NULL,
        "reactions" integer NOT NULL,
        "posts" integer NOT NULL
      ) PARTITION BY LIST ("run_id")`);
    await queryRunner.query(`
      CREATE TABLE "influencer_topic_scores" (
        "run_id" integer NOT NULL,
        "influencer_id" uuid NOT NULL,
        "topic_id" smallint NOT NULL,
        "score" smallint NOT NULL,
        "engagement" real NOT NULL
      ) PARTITION BY LIST ("run_id")`);
    // Node ranks, kept for the latest runs only: they explain who contributed to an authority score.
    await queryRunner.query(`
      CREATE TABLE "actor_ranks" (
        "run_id" integer NOT NULL,
        "actor_id" integer NOT NULL,
        "rank" double precision NOT NULL
      ) PARTITION BY LIST ("run_id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "actor_ranks"`);
    await queryRunner.query(`DROP TABLE "influencer_topic_scores"`);
    await queryRunner.query(`DROP TABLE "influencer_scores"`);
    await queryRunner.query(`DROP TABLE "score_runs"`);
    await queryRunner.query(`DROP TYPE "public"."score_run_trigger"`);
    await queryRunner.query(`DROP TYPE "public"."score_run_phase"`);
    await queryRunner.query(`DROP TYPE "public"."score_run_status"`);
  }
}
