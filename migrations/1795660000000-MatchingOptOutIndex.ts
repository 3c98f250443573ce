import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The influencers who opted out, as a tiny partial index: matching excludes them from a snapshot
 * with an anti-join against it instead of joining all of `influencers` (one million rows) when
 * no targeting condition reads the profile.
 */
export class MatchingOptOutIndex1795660000000 implements MigrationInterface {
  name = 'MatchingOptOutIndex1795660000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "influencers_opted_out_idx" ON "influencers" ("id") WHERE "opted_in_at" IS NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."influencers_opted_out_idx"`);
  }
}
