import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Score model version 2's figures in the snapshots: each influencer's audience quality (the
 * credible share of the engagement, 0..1), credible engagers and confidence (the share of the
 * score's distance above the floor that counts, 0..1), and each node's credibility
 * beside its rank (for explanations). Runs of version 1 have none: the columns stay null there.
 * Added to the partitioned parents, so every partition, old or new, has them.
 */
export class AudienceQuality1795670000000 implements MigrationInterface {
  name = 'AudienceQuality1795670000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "influencer_scores" ADD "audience_quality" real, ADD "credible_engagers" integer, ADD "confidence" real`,
    );
    await queryRunner.query(`ALTER TABLE "actor_ranks" ADD "credibility" real`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "actor_ranks" DROP COLUMN "credibility"`);
    await queryRunner.query(
      `ALTER TABLE "influencer_scores" DROP COLUMN "confidence", DROP COLUMN "credible_engagers", DROP COLUMN "audience_quality"`,
    );
  }
}
