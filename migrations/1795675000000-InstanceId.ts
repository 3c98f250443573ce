import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * This database's instance id: one row holding a random uuid, drawn when the migration runs. Job
 * ids built from database ids (`score-run-<instance>-<run>-<attempt>`) carry it, so a database
 * recreated under a Redis that kept its keys, or a second deployment on the same BULLMQ_PREFIX,
 * never reuses the id of a job BullMQ already holds (it would take the new job for a duplicate and
 * drop it). Read once at boot (src/core/instance.ts). Plain row read with raw SQL: no entity.
 *
 * Runs left PENDING across this migration are enqueued again under the new ids by the worker's
 * resume-score-runs job; a job still waiting under the old id runs too, which is harmless (a run is
 * computed once: the second job finds it SUCCEEDED).
 */
export class InstanceId1795675000000 implements MigrationInterface {
  name = 'InstanceId1795675000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "instance" (
      "one_row" boolean NOT NULL DEFAULT true,
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "instance_one_row_check" CHECK ("one_row"),
      CONSTRAINT "instance_pkey" PRIMARY KEY ("one_row"))`);
    await queryRunner.query(`INSERT INTO "instance" DEFAULT VALUES`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "instance"`);
  }
}
