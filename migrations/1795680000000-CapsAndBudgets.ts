import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13, item 4: a brand's cap on the active claims one influencer holds across its campaigns,
 * and a campaign's money budget. Both are enforced by the claim statement; the database itself
 * refuses spending past the budget (a CHECK), whatever path writes it.
 *
 * Money is in minor units of the perk's currency, like perk_value_cents. budget_spent is bigint:
 * it is tracked on every campaign (a budget set later starts from what was really spent), and a
 * campaign without a budget may spend past 2^31 minor units; an overflowing integer would fail claims.
 * The cap's count reads an influencer's claims by the ledger's (influencer_id, claimed_at, id) index (few rows each).
 */
export class CapsAndBudgets1795680000000 implements MigrationInterface {
  name = 'CapsAndBudgets1795680000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "organizations" ADD "max_active_claims_per_influencer" integer,
         ADD CONSTRAINT "organizations_max_active_claims_check" CHECK ("max_active_claims_per_influencer" >= 1)`,
    );
    await queryRunner.query(
      `ALTER TABLE "campaigns" ADD "budget" bigint, ADD "budget_spent" bigint NOT NULL DEFAULT 0,
         ADD CONSTRAINT "campaigns_budget_check" CHECK ("budget" >= 0),
         ADD CONSTRAINT "campaigns_budget_spent_check" CHECK ("budget_spent" >= 0 AND ("budget" IS NULL OR "budget_spent" <= "budget"))`,
    );
    // Claims made before this migration spent their campaign's perk value too.
    await queryRunner.query(
      `UPDATE "campaigns" c SET "budget_spent" = c."perk_value_cents"::bigint * s.n
       FROM (SELECT campaign_id, count(*) AS n FROM "claims" WHERE "status" <> 'CANCELLED' GROUP BY campaign_id) s
       WHERE s.campaign_id = c.id`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "campaigns" DROP CONSTRAINT "campaigns_budget_spent_check", DROP CONSTRAINT "campaigns_budget_check",
         DROP COLUMN "budget_spent", DROP COLUMN "budget"`,
    );
    await queryRunner.query(
      `ALTER TABLE "organizations" DROP CONSTRAINT "organizations_max_active_claims_check", DROP COLUMN "max_active_claims_per_influencer"`,
    );
  }
}
