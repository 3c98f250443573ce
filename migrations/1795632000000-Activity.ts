import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Social activity: actors (graph nodes), posts and interactions.
 *
 * Written by hand: these tables are read and written set-wise (COPY, INSERT ... SELECT), not
 * through entities. Choices made for a 20-million-row window:
 * - actors are keyed by (network, sha256 of the normalised handle): people who never signed up are
 *   opaque nodes with no profile; an influencer's social account points at its actor;
 * - interaction kinds are smallint codes (1 RESHARE, 2 REPLY, 3 MENTION, 4 LIKE) so the nightly
 *   binary COPY reads fixed-width columns;
 * - posts and interactions carry no foreign keys: per-row RI triggers would dominate bulk loads,
 *   and actors are never deleted (erasure keeps them as opaque nodes), so the ids always resolve.
 */
export class Activity1795632000000 implements MigrationInterface {
  name = 'Activity1795632000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "actors" (
        "id" integer GENERATED ALWAYS AS IDENTITY,
        "network" "public"."network" NOT NULL,
        "handle_hash" bytea NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "actors_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "actors_handle_hash_check" CHECK (octet_length("handle_hash") = 32)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "actors_network_handle_hash_key" ON "actors" ("network", "handle_hash")`);

    await queryRunner.query(`ALTER TABLE "social_accounts" ADD "actor_id" integer`);
    await queryRunner.query(`CREATE UNIQUE INDEX "social_accounts_actor_id_key" ON "social_accounts" ("actor_id")`);
    await queryRunner.query(
      `ALTER TABLE "social_accounts" ADD CONSTRAINT "social_accounts_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "actors"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    // Accounts connected before this migration get their actor now.
    await queryRunner.query(`
      INSERT INTO actors (network, handle_hash)
      SELECT network, sha256(convert_to(network::text || ':' || handle, 'UTF8')) FROM social_accounts
      ON CONFLICT DO NOTHING`);
    await queryRunner.query(`
      UPDATE social_accounts s SET actor_id = a.id FROM actors a
      WHERE a.network = s.network AND a.handle_hash = sha256(convert_to(s.network::text || ':' || s.handle, 'UTF8'))`);

    await queryRunner.query(`
      CREATE TABLE "posts" (
        "id" bigint GENERATED ALWAYS AS IDENTITY,
        "network" "public"."network" NOT NULL,
        "external_id" text NOT NULL,
        "author_id" integer NOT NULL,
        "posted_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "topic_ids" smallint[] NOT NULL DEFAULT '{}',
        CONSTRAINT "posts_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "posts_external_id_check" CHECK (length("external_id") BETWEEN 1 AND 128)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "posts_network_external_id_key" ON "posts" ("network", "external_id")`);
    // Posts per author in the window (amplification) and an influencer's top posts (explanations).
    await queryRunner.query(`CREATE INDEX "posts_author_id_posted_at_idx" ON "posts" ("author_id", "posted_at")`);

    await queryRunner.query(`
      CREATE TABLE "interactions" (
        "id" bigint GENERATED ALWAYS AS IDENTITY,
        "network" "public"."network" NOT NULL,
        "external_id" text NOT NULL,
        "kind" smallint NOT NULL,
        "actor_id" integer NOT NULL,
        "target_id" integer NOT NULL,
        "post_id" bigint,
        "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "interactions_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "interactions_kind_check" CHECK ("kind" BETWEEN 1 AND 4),
        CONSTRAINT "interactions_no_self_check" CHECK ("actor_id" <> "target_id"),
        CONSTRAINT "interactions_external_id_check" CHECK (length("external_id") BETWEEN 1 AND 128)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "interactions_network_external_id_key" ON "interactions" ("network", "external_id")`);
    // The nightly run reads one time window; rows arrive roughly in time order, so BRIN is tiny and enough.
    await queryRunner.query(`CREATE INDEX "interactions_occurred_at_idx" ON "interactions" USING brin ("occurred_at")`);
    // One influencer's engagers and posts, for explanations.
    await queryRunner.query(`CREATE INDEX "interactions_target_id_occurred_at_idx" ON "interactions" ("target_id", "occurred_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "interactions"`);
    await queryRunner.query(`DROP TABLE "posts"`);
    await queryRunner.query(`ALTER TABLE "social_accounts" DROP CONSTRAINT "social_accounts_actor_id_fkey"`);
    await queryRunner.query(`DROP INDEX "public"."social_accounts_actor_id_key"`);
    await queryRunner.query(`ALTER TABLE "social_accounts" DROP COLUMN "actor_id"`);
    await queryRunner.query(`DROP TABLE "actors"`);
  }
}
