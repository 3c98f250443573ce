import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Opting out (issue 14, item 4): when the person last opted out, so the choice can be shown back
 * and exported. A profile is opted in (opted_in_at set) or not; it can only carry an opt-out time
 * while it is not opted in. Profiles never opted out (and synthetic ones without a consent) keep
 * NULL.
 */
export class OwnData1795697000000 implements MigrationInterface {
  name = 'OwnData1795697000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "influencers" ADD "opted_out_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `ALTER TABLE "influencers" ADD CONSTRAINT "influencers_opt_out_check" CHECK ("opted_out_at" IS NULL OR "opted_in_at" IS NULL)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "influencers" DROP CONSTRAINT "influencers_opt_out_check"`);
    await queryRunner.query(`ALTER TABLE "influencers" DROP COLUMN "opted_out_at"`);
  }
}
