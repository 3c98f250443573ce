import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Jobs that could not be enqueued while Redis was unreachable, kept in Postgres (the source of
 * truth) until the worker adds them to their queues. Plain rows read with raw SQL: no entity.
 */
export class JobOutbox1795655000000 implements MigrationInterface {
  name = 'JobOutbox1795655000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "job_outbox" (
      "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
      "queue" text NOT NULL,
      "name" text NOT NULL,
      "data" jsonb NOT NULL,
      "options" jsonb NOT NULL DEFAULT '{}',
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "attempts" integer NOT NULL DEFAULT 0,
      "last_error" text,
      CONSTRAINT "job_outbox_pkey" PRIMARY KEY ("id"))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "job_outbox"`);
  }
}
