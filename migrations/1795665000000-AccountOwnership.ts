import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Account evidence from connectors and proof of account ownership (score model version 2).
 *
 * - account_snapshots: the newest public profile snapshot a connector sent of an account, member
 *   or not, keyed by its graph node. Only the figures the score model reads: no handle, no bio,
 *   so people who never signed up are not profiled.
 * - social_accounts gets a verification state. A link starts PENDING with a one-time code; it
 *   becomes VERIFIED when a connector sees the code in the account's bio (BIO) or an operator
 *   checks it (OPERATOR); links made before this migration are VERIFIED by LEGACY (which does
 *   not stop anyone else from linking the account and proving it: it may be a squat). Several
 *   influencers may hold PENDING links to one handle (a squatter cannot block the owner), so the
 *   unique (network, handle) and actor_id indexes now hold among VERIFIED links only: one proven
 *   owner per account. One link per (influencer, network, handle).
 * - actors.erased_evidence: beside erased_quality, the evidence an erased influencer's account
 *   snapshot gave its node, frozen at erasure while the snapshot itself is deleted.
 */
export class AccountOwnership1795665000000 implements MigrationInterface {
  name = 'AccountOwnership1795665000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."social_account_status" AS ENUM('PENDING', 'VERIFIED', 'REVOKED')`);
    await queryRunner.query(`CREATE TYPE "public"."social_account_verification_method" AS ENUM('BIO', 'OPERATOR', 'LEGACY')`);
    // Existing links were accepted on the influencer's word: they stay counted, marked LEGACY. The
    // defaults only fill those rows; every new link names its state.
    await queryRunner.query(`ALTER TABLE "social_accounts"
      ADD "status" "public"."social_account_status" NOT NULL DEFAULT 'VERIFIED',
      ADD "verification_code" text,
      ADD "verified_at" TIMESTAMP WITH TIME ZONE,
      ADD "verification_method" "public"."social_account_verification_method"`);
    await queryRunner.query(`UPDATE "social_accounts" SET "verified_at" = "created_at", "verification_method" = 'LEGACY'`);
    await queryRunner.query(`ALTER TABLE "social_accounts" ALTER "status" DROP DEFAULT`);
    await queryRunner.query(`ALTER TABLE "social_accounts"
      ADD CONSTRAINT "social_accounts_code_check" CHECK (("status" = 'PENDING') = ("verification_code" IS NOT NULL)),
      ADD CONSTRAINT "social_accounts_code_format_check" CHECK ("verification_code" ~ '^perks-[a-z2-7]{10}$'),
      ADD CONSTRAINT "social_accounts_verified_check" CHECK (
        ("status" = 'VERIFIED') = ("verified_at" IS NOT NULL) AND ("status" = 'VERIFIED') = ("verification_method" IS NOT NULL))`);
    await queryRunner.query(`DROP INDEX "public"."social_accounts_network_handle_key"`);
    await queryRunner.query(`DROP INDEX "public"."social_accounts_actor_id_key"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "social_accounts_network_handle_verified_key" ON "social_accounts" ("network", "handle") WHERE "status" = 'VERIFIED'`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "social_accounts_actor_id_verified_key" ON "social_accounts" ("actor_id") WHERE "status" = 'VERIFIED'`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "social_accounts_influencer_id_network_handle_key" ON "social_accounts" ("influencer_id", "network", "handle")`,
    );
    // Every link to one account, whatever its state: the revocation when someone proves ownership.
    await queryRunner.query(`CREATE INDEX "social_accounts_network_handle_idx" ON "social_accounts" ("network", "handle")`);
    // Served by the unique (influencer_id, network, handle).
    await queryRunner.query(`DROP INDEX "public"."social_accounts_influencer_id_idx"`);

    await queryRunner.query(`
      CREATE TABLE "account_snapshots" (
        "actor_id" integer NOT NULL,
        "followers" integer NOT NULL,
        "following" integer NOT NULL,
        "posts" integer NOT NULL,
        "account_created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "verified" boolean NOT NULL,
        "observed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "account_snapshots_pkey" PRIMARY KEY ("actor_id"),
        CONSTRAINT "account_snapshots_counts_check" CHECK ("followers" >= 0 AND "following" >= 0 AND "posts" >= 0),
        CONSTRAINT "account_snapshots_dates_check" CHECK ("account_created_at" <= "observed_at"),
        CONSTRAINT "account_snapshots_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "actors"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
      )`);
    await queryRunner.query(`ALTER TABLE "actors" ADD "erased_evidence" double precision`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "actors" DROP COLUMN "erased_evidence"`);
    await queryRunner.query(`DROP TABLE "account_snapshots"`);
    // Links nobody proved did not exist before: dropped, so the old unique indexes hold again.
    await queryRunner.query(`DELETE FROM "social_accounts" WHERE "status" <> 'VERIFIED'`);
    await queryRunner.query(`CREATE INDEX "social_accounts_influencer_id_idx" ON "social_accounts" ("influencer_id")`);
    await queryRunner.query(`DROP INDEX "public"."social_accounts_network_handle_idx"`);
    await queryRunner.query(`DROP INDEX "public"."social_accounts_influencer_id_network_handle_key"`);
    await queryRunner.query(`DROP INDEX "public"."social_accounts_actor_id_verified_key"`);
    await queryRunner.query(`DROP INDEX "public"."social_accounts_network_handle_verified_key"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "social_accounts_actor_id_key" ON "social_accounts" ("actor_id")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "social_accounts_network_handle_key" ON "social_accounts" ("network", "handle")`);
    await queryRunner.query(`ALTER TABLE "social_accounts"
      DROP CONSTRAINT "social_accounts_verified_check",
      DROP CONSTRAINT "social_accounts_code_format_check",
      DROP CONSTRAINT "social_accounts_code_check",
      DROP COLUMN "verification_method",
      DROP COLUMN "verified_at",
      DROP COLUMN "verification_code",
      DROP COLUMN "status"`);
    await queryRunner.query(`DROP TYPE "public"."social_account_verification_method"`);
    await queryRunner.query(`DROP TYPE "public"."social_account_status"`);
  }
}
