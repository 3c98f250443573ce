import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two figures beside the score, never mixed into it (docs/scoring.md, "Outreach and activity"):
 * outreach (levels 1-10: how much and how widely an influencer engages others) and activity
 * (1-100: posting volume and regularity, relative to the other influencers who posted), each with
 * the inputs its explanation line names. Added to the partitioned parent, so every partition has
 * them; runs from before this migration leave them null (the API shows null).
 */
export class OutreachActivity1795705000000 implements MigrationInterface {
  name = 'OutreachActivity1795705000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "influencer_scores" ADD "outreach" smallint, ADD "outreach_raw" real, ADD "engaged_accounts" integer,
         ADD "engaged_interactions" integer, ADD "activity" smallint, ADD "active_weeks" smallint`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "influencer_scores" DROP COLUMN "active_weeks", DROP COLUMN "activity", DROP COLUMN "engaged_interactions",
         DROP COLUMN "engaged_accounts", DROP COLUMN "outreach_raw", DROP COLUMN "outreach"`,
    );
  }
}
