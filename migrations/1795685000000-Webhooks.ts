import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signed webhooks: endpoints of organisations, the events they are told about, and one delivery
 * per (event, endpoint). Events and deliveries are written in the transaction of the change they
 * report (the outbox): Postgres holds what is still to deliver and when, so nothing is lost with Redis.
 */
export class Webhooks1795685000000 implements MigrationInterface {
  name = 'Webhooks1795685000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."webhook_endpoint_status" AS ENUM('ENABLED', 'DISABLED')`);
    await queryRunner.query(`CREATE TYPE "public"."webhook_delivery_status" AS ENUM('PENDING', 'SUCCEEDED', 'FAILED')`);
    await queryRunner.query(`CREATE TABLE "webhook_endpoints" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "organization_id" uuid NOT NULL,
      "url" text NOT NULL,
      "description" text NOT NULL DEFAULT '',
      "events" text[] NOT NULL,
      "secret" text NOT NULL,
      "status" "public"."webhook_endpoint_status" NOT NULL DEFAULT 'ENABLED',
      "disabled_at" TIMESTAMP WITH TIME ZONE,
      "disabled_reason" text,
      "failing_since" TIMESTAMP WITH TIME ZONE,
      "lease_token" uuid,
      "lease_until" TIMESTAMP WITH TIME ZONE,
      "created_by" uuid,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY ("id"),
      CONSTRAINT "webhook_endpoints_url_check" CHECK (length("url") <= 2048 AND "url" ~ '^https?://'),
      CONSTRAINT "webhook_endpoints_description_check" CHECK (length("description") <= 500),
      CONSTRAINT "webhook_endpoints_events_check" CHECK (cardinality("events") >= 1 AND "events" <@ ARRAY['claim.created', 'claim.cancelled', 'claim.redeemed', 'offer.declined', 'campaign.sold_out', 'campaign.ended']::text[]),
      CONSTRAINT "webhook_endpoints_secret_check" CHECK ("secret" ~ '^whsec_[A-Za-z0-9_-]{32,}$'),
      CONSTRAINT "webhook_endpoints_disabled_check" CHECK (("status" = 'DISABLED') = ("disabled_at" IS NOT NULL) AND ("disabled_reason" IS NULL OR "disabled_at" IS NOT NULL)),
      CONSTRAINT "webhook_endpoints_lease_check" CHECK (("lease_token" IS NULL) = ("lease_until" IS NULL)),
      CONSTRAINT "webhook_endpoints_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE,
      CONSTRAINT "webhook_endpoints_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL)`);
    // What every emitting statement asks: the enabled endpoints of an organisation (one cheap probe when there are none).
    await queryRunner.query(
      `CREATE INDEX "webhook_endpoints_enabled_organization_idx" ON "webhook_endpoints" ("organization_id") WHERE "status" = 'ENABLED'`,
    );
    await queryRunner.query(
      `CREATE INDEX "webhook_endpoints_organization_id_idx" ON "webhook_endpoints" ("organization_id", "created_at")`,
    );

    await queryRunner.query(`CREATE TABLE "webhook_events" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
      "type" text NOT NULL,
      "brand_id" uuid NOT NULL,
      "data" jsonb NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "webhook_events_pkey" PRIMARY KEY ("id"),
      CONSTRAINT "webhook_events_type_check" CHECK ("type" IN ('claim.created', 'claim.cancelled', 'claim.redeemed', 'offer.declined', 'campaign.sold_out', 'campaign.ended')),
      CONSTRAINT "webhook_events_brand_id_fkey" FOREIGN KEY ("brand_id") REFERENCES "organizations"("id") ON DELETE CASCADE)`);

    await queryRunner.query(`CREATE TABLE "webhook_deliveries" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "event_id" uuid NOT NULL,
      "event_seq" bigint NOT NULL,
      "endpoint_id" uuid NOT NULL,
      "status" "public"."webhook_delivery_status" NOT NULL DEFAULT 'PENDING',
      "attempts" integer NOT NULL DEFAULT 0,
      "next_attempt_at" TIMESTAMP WITH TIME ZONE DEFAULT now(),
      "last_attempt_at" TIMESTAMP WITH TIME ZONE,
      "last_response_code" integer,
      "last_error" text,
      "delivered_at" TIMESTAMP WITH TIME ZONE,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id"),
      CONSTRAINT "webhook_deliveries_event_id_endpoint_id_key" UNIQUE ("event_id", "endpoint_id"),
      CONSTRAINT "webhook_deliveries_attempts_check" CHECK ("attempts" >= 0),
      CONSTRAINT "webhook_deliveries_response_code_check" CHECK ("last_response_code" BETWEEN 100 AND 599),
      CONSTRAINT "webhook_deliveries_last_error_check" CHECK (length("last_error") <= 300),
      CONSTRAINT "webhook_deliveries_pending_check" CHECK (("status" = 'PENDING') = ("next_attempt_at" IS NOT NULL)),
      CONSTRAINT "webhook_deliveries_delivered_check" CHECK (("status" = 'SUCCEEDED') = ("delivered_at" IS NOT NULL)),
      CONSTRAINT "webhook_deliveries_attempted_check" CHECK ("status" = 'PENDING' OR "attempts" >= 1 OR "last_error" IS NOT NULL),
      CONSTRAINT "webhook_deliveries_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "webhook_events"("id") ON DELETE CASCADE,
      CONSTRAINT "webhook_deliveries_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE)`);
    // A runner's next delivery: the endpoint's oldest ready PENDING row.
    await queryRunner.query(
      `CREATE INDEX "webhook_deliveries_pending_idx" ON "webhook_deliveries" ("endpoint_id", "event_seq") WHERE "status" = 'PENDING'`,
    );
    // The sweep reads the PENDING index above (few rows); no index of its own, as every claim with
    // webhooks on writes a delivery under the campaign's hot lock: each index costs there.
    // webhookDeliveries: an endpoint's deliveries, newest first.
    await queryRunner.query(
      `CREATE INDEX "webhook_deliveries_endpoint_created_idx" ON "webhook_deliveries" ("endpoint_id", "created_at" DESC, "id" DESC)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "webhook_deliveries"`);
    await queryRunner.query(`DROP TABLE "webhook_events"`);
    await queryRunner.query(`DROP TABLE "webhook_endpoints"`);
    await queryRunner.query(`DROP TYPE "public"."webhook_delivery_status"`);
    await queryRunner.query(`DROP TYPE "public"."webhook_endpoint_status"`);
  }
}
