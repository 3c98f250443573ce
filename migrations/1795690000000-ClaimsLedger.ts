import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The claims ledger reads a campaign's claims, and an influencer's own, newest first in keyset
 * pages on (claimed_at, id). Neither scan had an index (the unique (campaign_id, influencer_id)
 * gives no order): two, and only two, since every claim pays for each index on insert. A btree is
 * read backwards for DESC, so the columns are ascending.
 */
export class ClaimsLedger1795690000000 implements MigrationInterface {
  name = 'ClaimsLedger1795690000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "claims_campaign_id_claimed_at_idx" ON "claims" ("campaign_id", "claimed_at", "id")`);
    await queryRunner.query(`CREATE INDEX "claims_influencer_id_claimed_at_idx" ON "claims" ("influencer_id", "claimed_at", "id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."claims_influencer_id_claimed_at_idx"`);
    await queryRunner.query(`DROP INDEX "public"."claims_campaign_id_claimed_at_idx"`);
  }
}
