import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Erasure (eraseMyData). An erased influencer's accounts stay in the interaction graph as anonymous
 * nodes, so other people's scores do not move; the one thing of theirs the score model still needs is
 * the teleport prior their account snapshot gave the node (a single number, computed at erasure,
 * while the snapshot itself is deleted). A tiny partial index lets the nightly loader read those
 * few nodes without scanning every actor.
 */
export class Erasure1795650000000 implements MigrationInterface {
  name = 'Erasure1795650000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "actors" ADD "erased_quality" double precision`);
    await queryRunner.query(`CREATE INDEX "actors_erased_quality_idx" ON "actors" ("id") WHERE "erased_quality" IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."actors_erased_quality_idx"`);
    await queryRunner.query(`ALTER TABLE "actors" DROP COLUMN "erased_quality"`);
  }
}
