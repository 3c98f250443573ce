import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts, organisations, API keys, influencers, social accounts and the topic taxonomy.
 * Generated from the entities, then edited: the shared organization_kind enum is created once,
 * and the taxonomy is seeded here so every database starts with the same slugs.
 */

export class Foundation1795628515648 implements MigrationInterface {
  name = 'Foundation1795628515648';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."organization_kind" AS ENUM('BRAND', 'AGENCY')`);
    await queryRunner.query(
      `CREATE TABLE "organizations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" "public"."organization_kind" NOT NULL, "name" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "organizations_id_kind_key" UNIQUE ("id", "kind"), CONSTRAINT "organizations_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "agency_clients" ("agency_id" uuid NOT NULL, "brand_id" uuid NOT NULL, "agency_kind" "public"."organization_kind" NOT NULL DEFAULT 'AGENCY', "brand_kind" "public"."organization_kind" NOT NULL DEFAULT 'BRAND', "granted_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "agency_clients_brand_kind_check" CHECK ("brand_kind" = 'BRAND'), CONSTRAINT "agency_clients_agency_kind_check" CHECK ("agency_kind" = 'AGENCY'), CONSTRAINT "agency_clients_pkey" PRIMARY KEY ("agency_id", "brand_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "agency_clients_brand_id_idx" ON "agency_clients" ("brand_id") `);
    await queryRunner.query(`CREATE TYPE "public"."user_role" AS ENUM('ADMIN', 'BRAND', 'AGENCY', 'INFLUENCER')`);
    await queryRunner.query(
      `CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" text NOT NULL, "password_hash" text NOT NULL, "role" "public"."user_role" NOT NULL, "name" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "users_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "users_email_key" ON "users" ("email") `);
    await queryRunner.query(`CREATE TYPE "public"."api_key_scope" AS ENUM('INGEST', 'SEARCH', 'CAMPAIGNS', 'REDEEM')`);
    await queryRunner.query(
      `CREATE TABLE "api_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "prefix" text NOT NULL, "key_hash" bytea NOT NULL, "scopes" "public"."api_key_scope" array NOT NULL, "organization_id" uuid, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, "last_used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "api_keys_organization_id_idx" ON "api_keys" ("organization_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "api_keys_prefix_key" ON "api_keys" ("prefix") `);
    await queryRunner.query(`CREATE TYPE "public"."membership_role" AS ENUM('OWNER', 'MEMBER')`);
    await queryRunner.query(
      `CREATE TABLE "memberships" ("user_id" uuid NOT NULL, "organization_id" uuid NOT NULL, "role" "public"."membership_role" NOT NULL DEFAULT 'MEMBER', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "memberships_pkey" PRIMARY KEY ("user_id", "organization_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "memberships_organization_id_idx" ON "memberships" ("organization_id") `);
    await queryRunner.query(
      `CREATE TABLE "influencers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid, "display_name" text NOT NULL, "country" character(2), "language" character varying(8), "opted_in_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "influencers_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "influencers_user_id_key" ON "influencers" ("user_id") `);
    await queryRunner.query(`CREATE TYPE "public"."network" AS ENUM('X', 'INSTAGRAM', 'TIKTOK', 'YOUTUBE', 'LINKEDIN', 'TWITCH')`);
    await queryRunner.query(
      `CREATE TABLE "social_accounts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "influencer_id" uuid NOT NULL, "network" "public"."network" NOT NULL, "handle" text NOT NULL, "followers" integer NOT NULL, "following" integer NOT NULL, "account_created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "verified" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "social_accounts_counts_check" CHECK ("followers" >= 0 AND "following" >= 0), CONSTRAINT "social_accounts_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "social_accounts_influencer_id_idx" ON "social_accounts" ("influencer_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "social_accounts_network_handle_key" ON "social_accounts" ("network", "handle") `);
    await queryRunner.query(
      `CREATE TABLE "topics" ("id" SMALLSERIAL NOT NULL, "slug" text NOT NULL, "name" text NOT NULL, "family" text NOT NULL, CONSTRAINT "topics_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "topics_slug_key" ON "topics" ("slug") `);
    const rows = Object.entries(TAXONOMY).flatMap(([family, topics]) => topics.map(([slug, name]) => [`${family}-${slug}`, name, family]));
    await queryRunner.query(`INSERT INTO "topics" ("slug", "name", "family") SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`, [
      rows.map((r) => r[0]),
      rows.map((r) => r[1]),
      rows.map((r) => r[2]),
    ]);
    await queryRunner.query(
      `ALTER TABLE "agency_clients" ADD CONSTRAINT "agency_clients_agency_id_agency_kind_fkey" FOREIGN KEY ("agency_id", "agency_kind") REFERENCES "organizations"("id","kind") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "agency_clients" ADD CONSTRAINT "agency_clients_brand_id_brand_kind_fkey" FOREIGN KEY ("brand_id", "brand_kind") REFERENCES "organizations"("id","kind") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "memberships" ADD CONSTRAINT "memberships_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "influencers" ADD CONSTRAINT "influencers_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "social_accounts" ADD CONSTRAINT "social_accounts_influencer_id_fkey" FOREIGN KEY ("influencer_id") REFERENCES "influencers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "social_accounts" DROP CONSTRAINT "social_accounts_influencer_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "influencers" DROP CONSTRAINT "influencers_user_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "memberships" DROP CONSTRAINT "memberships_organization_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "memberships" DROP CONSTRAINT "memberships_user_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "api_keys" DROP CONSTRAINT "api_keys_created_by_fkey"`);
    await queryRunner.query(`ALTER TABLE "api_keys" DROP CONSTRAINT "api_keys_organization_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "agency_clients" DROP CONSTRAINT "agency_clients_brand_id_brand_kind_fkey"`);
    await queryRunner.query(`ALTER TABLE "agency_clients" DROP CONSTRAINT "agency_clients_agency_id_agency_kind_fkey"`);
    await queryRunner.query(`DROP INDEX "public"."topics_slug_key"`);
    await queryRunner.query(`DROP TABLE "topics"`);
    await queryRunner.query(`DROP INDEX "public"."social_accounts_network_handle_key"`);
    await queryRunner.query(`DROP INDEX "public"."social_accounts_influencer_id_idx"`);
    await queryRunner.query(`DROP TABLE "social_accounts"`);
    await queryRunner.query(`DROP TYPE "public"."network"`);
    await queryRunner.query(`DROP INDEX "public"."influencers_user_id_key"`);
    await queryRunner.query(`DROP TABLE "influencers"`);
    await queryRunner.query(`DROP INDEX "public"."memberships_organization_id_idx"`);
    await queryRunner.query(`DROP TABLE "memberships"`);
    await queryRunner.query(`DROP TYPE "public"."membership_role"`);
    await queryRunner.query(`DROP INDEX "public"."api_keys_prefix_key"`);
    await queryRunner.query(`DROP INDEX "public"."api_keys_organization_id_idx"`);
    await queryRunner.query(`DROP TABLE "api_keys"`);
    await queryRunner.query(`DROP TYPE "public"."api_key_scope"`);
    await queryRunner.query(`DROP INDEX "public"."users_email_key"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP TYPE "public"."user_role"`);
    await queryRunner.query(`DROP INDEX "public"."agency_clients_brand_id_idx"`);
    await queryRunner.query(`DROP TABLE "agency_clients"`);
    await queryRunner.query(`DROP TABLE "organizations"`);
    await queryRunner.query(`DROP TYPE "public"."organization_kind"`);
  }
}

// family -> [slug suffix, name]; topic slugs are "<family>-<suffix>".
const TAXONOMY: Record<string, Array<[string, string]>> = {
  tech: [
    ['ai', 'Artificial intelligence'],
    ['gadgets', 'Gadgets'],
    ['smartphones', 'Smartphones'],
    ['software', 'Software development'],
    ['startups', 'Startups'],
    ['cybersecurity', 'Cybersecurity'],
    ['cloud', 'Cloud computing'],
    ['crypto', 'Crypto and web3'],
    ['audio', 'Audio and headphones'],
    ['wearables', 'Wearables'],
  ],
  food: [
    ['recipes', 'Recipes'],
    ['restaurants', 'Restaurants'],
    ['vegan', 'Vegan food'],
    ['baking', 'Baking'],
    ['coffee', 'Coffee'],
    ['wine', 'Wine'],
    ['craft-beer', 'Craft beer'],
    ['street-food', 'Street food'],
    ['healthy-eating', 'Healthy eating'],
  ],
  travel: [
    ['luxury', 'Luxury travel'],
    ['budget', 'Budget travel'],
    ['adventure', 'Adventure travel'],
    ['city-breaks', 'City breaks'],
    ['beaches', 'Beaches'],
    ['hotels', 'Hotels'],
    ['airlines', 'Airlines and lounges'],
    ['road-trips', 'Road trips'],
    ['van-life', 'Van life'],
  ],
  sport: [
    ['football', 'Football'],
    ['basketball', 'Basketball'],
    ['tennis', 'Tennis'],
    ['running', 'Running'],
    ['cycling', 'Cycling'],
    ['golf', 'Golf'],
    ['motorsport', 'Motorsport'],
    ['climbing', 'Climbing'],
    ['skiing', 'Skiing and snowboarding'],
    ['surfing', 'Surfing'],
    ['esports', 'Esports'],
  ],
  fashion: [
    ['streetwear', 'Streetwear'],
    ['luxury', 'Luxury fashion'],
    ['sustainable', 'Sustainable fashion'],
    ['sneakers', 'Sneakers'],
    ['menswear', 'Menswear'],
    ['womenswear', 'Womenswear'],
    ['accessories', 'Accessories'],
    ['vintage', 'Vintage'],
  ],
  beauty: [
    ['skincare', 'Skincare'],
    ['makeup', 'Makeup'],
    ['haircare', 'Haircare'],
    ['fragrance', 'Fragrance'],
    ['nails', 'Nails'],
    ['grooming', "Men's grooming"],
  ],
  gaming: [
    ['pc', 'PC gaming'],
    ['console', 'Console gaming'],
    ['mobile', 'Mobile gaming'],
    ['indie', 'Indie games'],
    ['retro', 'Retro gaming'],
    ['streaming', 'Game streaming'],
  ],
  music: [
    ['pop', 'Pop'],
    ['hip-hop', 'Hip-hop'],
    ['electronic', 'Electronic'],
    ['rock', 'Rock'],
    ['classical', 'Classical'],
    ['jazz', 'Jazz'],
    ['festivals', 'Festivals'],
    ['production', 'Music production'],
  ],
  film: [
    ['movies', 'Movies'],
    ['tv-series', 'TV series'],
    ['anime', 'Anime'],
    ['documentaries', 'Documentaries'],
    ['filmmaking', 'Filmmaking'],
  ],
  fitness: [
    ['gym', 'Gym training'],
    ['yoga', 'Yoga'],
    ['crossfit', 'CrossFit'],
    ['home-workouts', 'Home workouts'],
    ['nutrition', 'Sports nutrition'],
    ['pilates', 'Pilates'],
  ],
  finance: [
    ['investing', 'Investing'],
    ['personal-finance', 'Personal finance'],
    ['real-estate', 'Real estate'],
    ['fintech', 'Fintech'],
    ['entrepreneurship', 'Entrepreneurship'],
  ],
  family: [
    ['parenting', 'Parenting'],
    ['pregnancy', 'Pregnancy'],
    ['kids-activities', 'Kids activities'],
    ['education', 'Education'],
  ],
  pets: [
    ['dogs', 'Dogs'],
    ['cats', 'Cats'],
    ['exotic', 'Exotic pets'],
  ],
  home: [
    ['interior-design', 'Interior design'],
    ['diy', 'DIY'],
    ['gardening', 'Gardening'],
    ['architecture', 'Architecture'],
    ['smart-home', 'Smart home'],
  ],
  auto: [
    ['cars', 'Cars'],
    ['electric-vehicles', 'Electric vehicles'],
    ['motorcycles', 'Motorcycles'],
  ],
  science: [
    ['space', 'Space'],
    ['physics', 'Physics'],
    ['biology', 'Biology'],
    ['climate', 'Climate'],
  ],
  culture: [
    ['books', 'Books'],
    ['art', 'Art'],
    ['photography', 'Photography'],
    ['design', 'Design'],
    ['comedy', 'Comedy'],
    ['history', 'History'],
  ],
  health: [
    ['mental-health', 'Mental health'],
    ['wellness', 'Wellness'],
    ['sleep', 'Sleep'],
    ['medicine', 'Medicine'],
  ],
  lifestyle: [
    ['minimalism', 'Minimalism'],
    ['sustainability', 'Sustainable living'],
    ['weddings', 'Weddings'],
    ['nightlife', 'Nightlife'],
  ],
};
