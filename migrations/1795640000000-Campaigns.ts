import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Campaigns. The inventory invariant lives here: remaining stays within 0..inventory (a CHECK), and
 * the claim path (issue 5) takes units with a conditional UPDATE ... WHERE remaining > 0, so
 * inventory - remaining is always the number of units held by active claims. Targeting is the
 * registry's [{ code, args }] list as jsonb.
 */
export class Campaigns1795640000000 implements MigrationInterface {
  name = 'Campaigns1795640000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."perk_kind" AS ENUM('PRODUCT', 'EXPERIENCE', 'DISCOUNT', 'ACCESS')`);
    await queryRunner.query(`CREATE TYPE "public"."campaign_status" AS ENUM('DRAFT', 'ACTIVE', 'PAUSED', 'SOLD_OUT', 'ENDED')`);
    await queryRunner.query(
      `CREATE TABLE "campaigns" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "brand_id" uuid NOT NULL, "created_by" uuid, "name" text NOT NULL, "perk_title" text NOT NULL, "perk_description" text NOT NULL DEFAULT '', "perk_kind" "public"."perk_kind" NOT NULL, "perk_value_cents" integer NOT NULL, "perk_currency" character(3) NOT NULL, "inventory" integer NOT NULL, "remaining" integer NOT NULL, "targeting" jsonb NOT NULL DEFAULT '[]', "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "offer_lifetime_hours" integer NOT NULL, "max_outstanding_offers" integer NOT NULL, "status" "public"."campaign_status" NOT NULL DEFAULT 'DRAFT', "launched_at" TIMESTAMP WITH TIME ZONE, "ended_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "campaigns_perk_currency_check" CHECK ("perk_currency" ~ '^[A-Z]{3}$'), CONSTRAINT "campaigns_perk_value_check" CHECK ("perk_value_cents" >= 0), CONSTRAINT "campaigns_max_outstanding_check" CHECK ("max_outstanding_offers" >= 1), CONSTRAINT "campaigns_offer_lifetime_check" CHECK ("offer_lifetime_hours" BETWEEN 1 AND 2160), CONSTRAINT "campaigns_schedule_check" CHECK ("ends_at" > "starts_at"), CONSTRAINT "campaigns_remaining_check" CHECK ("remaining" >= 0 AND "remaining" <= "inventory"), CONSTRAINT "campaigns_inventory_check" CHECK ("inventory" >= 0), CONSTRAINT "campaigns_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "campaigns_live_ends_at_idx" ON "campaigns" ("ends_at") WHERE "status" IN ('ACTIVE', 'PAUSED', 'SOLD_OUT')`,
    );
    await queryRunner.query(`CREATE INDEX "campaigns_created_at_idx" ON "campaigns" ("created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "campaigns_brand_id_created_at_idx" ON "campaigns" ("brand_id", "created_at", "id") `);
    await queryRunner.query(
      `ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_brand_id_fkey" FOREIGN KEY ("brand_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "campaigns" DROP CONSTRAINT "campaigns_brand_id_fkey"`);
    await queryRunner.query(`DROP INDEX "public"."campaigns_brand_id_created_at_idx"`);
    await queryRunner.query(`DROP INDEX "public"."campaigns_created_at_idx"`);
    await queryRunner.query(`DROP INDEX "public"."campaigns_live_ends_at_idx"`);
    await queryRunner.query(`DROP TABLE "campaigns"`);
    await queryRunner.query(`DROP TYPE "public"."campaign_status"`);
    await queryRunner.query(`DROP TYPE "public"."perk_kind"`);
  }
}
