import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The influencer's inbox (issue 14, item 1).
 *
 * `notifications.id` is a bigint identity: the inbox pages on it (newest first) and a live feed or
 * a mailer can follow it (everything after the last id seen), where created_at could not serve:
 * a statement writes a hundred thousand rows with one now(). No foreign key to influencers: the
 * matcher writes a notification per offer by the hundred thousand, and a per-row RI trigger would
 * cost more than the row (offers have none for the same reason); erasure deletes them itself.
 * One index besides the key: (influencer_id, id), for the pages, the unread filter and the unread
 * count (a person's inbox is hundreds of rows: the filter reads them through it). No partial
 * index over unread rows: every notification is written unread, so it would be a second
 * random-order btree insert per row of the matcher's statement, for a read that is cheap anyway.
 * The key is an append-only btree on the identity: what a feed reads to follow `id > last seen`.
 *
 * Preferences hold only what a person changed: no row means the kind's default (in-app on,
 * e-mail off), so a million influencers cost nothing until they choose.
 *
 * `offers.expiry_notified_at` marks an offer whose "expiring within 24 h" notification was
 * written (or deliberately skipped), so the periodic sweep notifies once per offer. Nullable
 * without a default: adding it rewrites nothing.
 */
export class Notifications1795700000000 implements MigrationInterface {
  name = 'Notifications1795700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."notification_kind" AS ENUM ('OFFER_NEW', 'OFFER_EXPIRING', 'OFFER_WITHDRAWN', 'CLAIM_CANCELLED', 'CLAIM_REDEEMED', 'SCORE_CHANGED')`,
    );
    await queryRunner.query(`CREATE TABLE "notifications" (
      "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
      "influencer_id" uuid NOT NULL,
      "kind" "public"."notification_kind" NOT NULL,
      "data" jsonb NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "read_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "notifications_pkey" PRIMARY KEY ("id"),
      CONSTRAINT "notifications_data_check" CHECK (jsonb_typeof("data") = 'object'))`);
    await queryRunner.query(`CREATE INDEX "notifications_influencer_id_idx" ON "notifications" ("influencer_id", "id")`);
    await queryRunner.query(`CREATE TABLE "notification_preferences" (
      "influencer_id" uuid NOT NULL,
      "kind" "public"."notification_kind" NOT NULL,
      "in_app" boolean NOT NULL,
      "email" boolean NOT NULL,
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "notification_preferences_pkey" PRIMARY KEY ("influencer_id", "kind"),
      CONSTRAINT "notification_preferences_influencer_id_fkey" FOREIGN KEY ("influencer_id") REFERENCES "influencers"("id") ON DELETE CASCADE)`);
    await queryRunner.query(`ALTER TABLE "offers" ADD "expiry_notified_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "offers" DROP COLUMN "expiry_notified_at"`);
    await queryRunner.query(`DROP TABLE "notification_preferences"`);
    await queryRunner.query(`DROP TABLE "notifications"`);
    await queryRunner.query(`DROP TYPE "public"."notification_kind"`);
  }
}
