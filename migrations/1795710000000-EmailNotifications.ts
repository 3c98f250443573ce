import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * E-mail of new and expiring offers (issue 14, item 3), and the mail telling a brand's managers
 * that a webhook endpoint was disabled.
 *
 * `email_messages` is the outbox: one digest per person per sending round, PENDING until the
 * SMTP relay accepted it (SENT), it failed for good (FAILED, with the relay's answer stripped of
 * addresses) or there was nothing left to say when it was due (SKIPPED: the offers closed, the
 * person switched e-mail off or opted out). It holds no address and no text: the recipient and
 * the offers are read when it is sent, so an erased person leaves nothing here (the rows go with
 * the profile, ON DELETE CASCADE).
 *
 * `notification_emails` records which notification went into which message: a notification is
 * mailed once (its primary key), whatever order the matcher's rows commit in. Identity ids commit
 * out of order, so "after the last id mailed" would lose a row that committed late; the sweep
 * instead looks back over a bounded window for rows not yet recorded here.
 *
 * `notification_preferences.email_since`: when the person last switched e-mail on for the kind
 * (null while off). Only notifications written since are mailed: turning e-mail on never mails a
 * backlog, and an unrelated change of the row (in-app) does not move it, as updated_at would.
 * A partial index holds the few rows with e-mail on: the sweep starts there, never from notifications.
 *
 * `webhook_endpoints.disabled_mailed_at`: the disable its managers were mailed about (equal to
 * disabled_at once mailed), so each disable is mailed once even when the job runs twice.
 */
export class EmailNotifications1795710000000 implements MigrationInterface {
  name = 'EmailNotifications1795710000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notification_preferences" ADD "email_since" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`UPDATE "notification_preferences" SET "email_since" = "updated_at" WHERE "email"`);
    await queryRunner.query(
      `ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_email_since_check" CHECK (("email_since" IS NOT NULL) = "email")`,
    );
    await queryRunner.query(
      `CREATE INDEX "notification_preferences_email_idx" ON "notification_preferences" ("influencer_id", "kind") WHERE "email"`,
    );

    await queryRunner.query(`CREATE TYPE "public"."email_message_status" AS ENUM('PENDING', 'SENT', 'FAILED', 'SKIPPED')`);
    await queryRunner.query(`CREATE TABLE "email_messages" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "influencer_id" uuid NOT NULL,
      "status" "public"."email_message_status" NOT NULL DEFAULT 'PENDING',
      "attempts" integer NOT NULL DEFAULT 0,
      "last_error" text,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "finished_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "email_messages_pkey" PRIMARY KEY ("id"),
      CONSTRAINT "email_messages_attempts_check" CHECK ("attempts" >= 0),
      CONSTRAINT "email_messages_last_error_check" CHECK (length("last_error") <= 300),
      CONSTRAINT "email_messages_finished_check" CHECK (("status" = 'PENDING') = ("finished_at" IS NULL)),
      CONSTRAINT "email_messages_influencer_id_fkey" FOREIGN KEY ("influencer_id") REFERENCES "influencers"("id") ON DELETE CASCADE)`);
    // The sweep re-asks for every PENDING message (a lost job); few rows.
    await queryRunner.query(`CREATE INDEX "email_messages_pending_idx" ON "email_messages" ("created_at") WHERE "status" = 'PENDING'`);
    await queryRunner.query(`CREATE INDEX "email_messages_influencer_id_idx" ON "email_messages" ("influencer_id", "created_at")`);

    await queryRunner.query(`CREATE TABLE "notification_emails" (
      "notification_id" bigint NOT NULL,
      "message_id" uuid NOT NULL,
      CONSTRAINT "notification_emails_pkey" PRIMARY KEY ("notification_id"),
      CONSTRAINT "notification_emails_notification_id_fkey" FOREIGN KEY ("notification_id") REFERENCES "notifications"("id") ON DELETE CASCADE,
      CONSTRAINT "notification_emails_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "email_messages"("id") ON DELETE CASCADE)`);
    await queryRunner.query(`CREATE INDEX "notification_emails_message_id_idx" ON "notification_emails" ("message_id")`);

    await queryRunner.query(`ALTER TABLE "webhook_endpoints" ADD "disabled_mailed_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhook_endpoints" DROP COLUMN "disabled_mailed_at"`);
    await queryRunner.query(`DROP TABLE "notification_emails"`);
    await queryRunner.query(`DROP TABLE "email_messages"`);
    await queryRunner.query(`DROP TYPE "public"."email_message_status"`);
    await queryRunner.query(`DROP INDEX "notification_preferences_email_idx"`);
    await queryRunner.query(`ALTER TABLE "notification_preferences" DROP CONSTRAINT "notification_preferences_email_since_check"`);
    await queryRunner.query(`ALTER TABLE "notification_preferences" DROP COLUMN "email_since"`);
  }
}
