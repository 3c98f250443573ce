import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Offers, claims and the idempotency keys of claims. The invariants are constraints: one offer
 * per (campaign, influencer), so matching twice cannot offer twice; one claim per (campaign,
 * influencer) and per offer; unique redemption codes. Units move only by conditional UPDATEs of
 * campaigns.remaining in the same transactions that create or cancel claims.
 */
export class Claims1795645000000 implements MigrationInterface {
  name = 'Claims1795645000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."offer_status" AS ENUM('OFFERED', 'CLAIMED', 'DECLINED', 'EXPIRED', 'WITHDRAWN')`);
    await queryRunner.query(
      `CREATE TABLE "offers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "campaign_id" uuid NOT NULL, "influencer_id" uuid NOT NULL, "status" "public"."offer_status" NOT NULL DEFAULT 'OFFERED', "priority" real NOT NULL, "offered_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "closed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "offers_influencer_id_campaign_id_key" UNIQUE ("influencer_id", "campaign_id"), CONSTRAINT "offers_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "offers_open_idx" ON "offers" ("campaign_id", "expires_at") WHERE "status" = 'OFFERED'`);
    await queryRunner.query(`CREATE TYPE "public"."claim_status" AS ENUM('ACTIVE', 'REDEEMED', 'CANCELLED')`);
    await queryRunner.query(
      `CREATE TABLE "claims" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "offer_id" uuid NOT NULL, "campaign_id" uuid NOT NULL, "influencer_id" uuid NOT NULL, "code" text NOT NULL, "status" "public"."claim_status" NOT NULL DEFAULT 'ACTIVE', "claimed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "redeemed_at" TIMESTAMP WITH TIME ZONE, "cancelled_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "claims_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "claims_code_key" ON "claims" ("code") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "claims_offer_id_key" ON "claims" ("offer_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "claims_campaign_id_influencer_id_key" ON "claims" ("campaign_id", "influencer_id") `);
    await queryRunner.query(
      `CREATE TABLE "claim_requests" ("influencer_id" uuid NOT NULL, "idempotency_key" text NOT NULL, "offer_id" uuid NOT NULL, "result" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "claim_requests_pkey" PRIMARY KEY ("influencer_id", "idempotency_key"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "claims" ADD CONSTRAINT "claims_offer_id_fkey" FOREIGN KEY ("offer_id") REFERENCES "offers"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "claims" ADD CONSTRAINT "claims_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "claims" DROP CONSTRAINT "claims_campaign_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "claims" DROP CONSTRAINT "claims_offer_id_fkey"`);
    await queryRunner.query(`DROP TABLE "claim_requests"`);
    await queryRunner.query(`DROP INDEX "public"."claims_campaign_id_influencer_id_key"`);
    await queryRunner.query(`DROP INDEX "public"."claims_offer_id_key"`);
    await queryRunner.query(`DROP INDEX "public"."claims_code_key"`);
    await queryRunner.query(`DROP TABLE "claims"`);
    await queryRunner.query(`DROP TYPE "public"."claim_status"`);
    await queryRunner.query(`DROP INDEX "public"."offers_open_idx"`);
    await queryRunner.query(`DROP TABLE "offers"`);
    await queryRunner.query(`DROP TYPE "public"."offer_status"`);
  }
}
