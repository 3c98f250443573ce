import type { DataSource } from 'typeorm';
import { Role } from '../core/context';
import type { Env } from '../core/env';
import { readInstanceId } from '../core/instance';
import type { Logger } from '../core/logger';
import { closeQueues, createQueues } from '../core/queues';
import { createRedis } from '../core/redis';
import { SignUpRole, type SignUpInput } from '../modules/accounts/accounts.types';
import type { IngestAccountInput, IngestActivityInput } from '../modules/activity/activity.types';
import { User } from '../modules/accounts/user.entity';
import { Network } from '../modules/influencers/network';
import { seedSyntheticNetwork } from '../modules/activity/synthetic/seed-network';
import { CampaignStatus, PerkKind } from '../modules/campaigns/campaign.entity';
import { ScoreRunTrigger } from '../modules/scoring/score-run.entity';
import { createServices, type Services } from '../modules/services';

/** The password of every demo account (documented in the README; demo data only). */
export const DEMO_PASSWORD = 'demo-password-2026';

const PEOPLE: Array<Omit<SignUpInput, 'password'>> = [
  { email: 'brand@demo.perks', role: SignUpRole.BRAND, name: 'Bea Brand', organizationName: 'Northwind Coffee' },
  { email: 'brand2@demo.perks', role: SignUpRole.BRAND, name: 'Bob Brand', organizationName: 'Acme Audio' },
  { email: 'agency@demo.perks', role: SignUpRole.AGENCY, name: 'Ada Agency', organizationName: 'Bright Agency' },
  { email: 'influencer@demo.perks', role: SignUpRole.INFLUENCER, name: 'Ines Influencer', country: 'FR', language: 'fr' },
  { email: 'influencer2@demo.perks', role: SignUpRole.INFLUENCER, name: 'Ivan Influencer', country: 'US', language: 'en' },
];

type Batch = Partial<IngestActivityInput>;

/** Through the service connectors reach with ingestActivity: the same validation, merge and ownership proofs. */
async function ingest(services: Services, batch: Batch): Promise<void> {
  const report = await services.activity.ingest({ posts: [], interactions: [], accounts: [], ...batch });
  if (!('rejections' in report) || report.rejected > 0) throw new Error(`demo ingest failed: ${JSON.stringify(report)}`);
}

/** A public profile as a connector reads it: an account of several years with a posting history. */
function profile(network: Network, handle: string, followers: number, following: number, posts: number): IngestAccountInput {
  return { network, handle, followers, following, posts, createdAt: '2019-03-01T00:00:00Z', verified: false };
}

/**
 * Engagement with the demo influencers' accounts inside the score window that ends on `dayMs`'s
 * next midnight: a post each, reshared, liked and replied to by established accounts a connector
 * has described (an engager nobody described counts very little for the score).
 */
function demoEngagement(accounts: Array<[string, Network, string, number, number]>, dayMs: number): Batch {
  const at = (daysBefore: number) => new Date(dayMs - daysBefore * 86_400_000 + 12 * 3_600_000).toISOString();
  const topics: Record<string, string[]> = {
    'influencer@demo.perks': ['food-coffee', 'food-baking'],
    'influencer2@demo.perks': ['tech-gadgets'],
  };
  const batch: Required<Batch> = { posts: [], interactions: [], accounts: [] };
  accounts.forEach(([email, network, handle], a) => {
    const fans = Array.from({ length: 20 + 10 * a }, (_, i) => `demo.fan${i}.${handle}`);
    for (const [i, fan] of fans.entries()) batch.accounts.push(profile(network, fan, 150 + 37 * i, 120 + 11 * i, 40 + 9 * i));
    for (let p = 0; p < 3; p++) {
      const post = `demo-${handle}-${p}`;
      batch.posts.push({ externalId: post, network, authorHandle: handle, topics: topics[email], postedAt: at(5 + 9 * p) });
      for (const [i, fan] of fans.entries()) {
        if ((i + p) % 3 === 2) continue;
        batch.interactions.push({
          externalId: `${post}-${i}`,
          network,
          kind: ['RESHARE', 'LIKE', 'REPLY'][(i + p) % 3],
          actorHandle: fan,
          targetHandle: handle,
          postExternalId: post,
          occurredAt: at(1 + 9 * p + (i % 4)),
        });
      }
    }
  });
  return batch;
}

/** True when nobody but the operator has an account: the demo seed only ever fills an empty database. */
export async function isEmpty(dataSource: DataSource): Promise<boolean> {
  return (await dataSource.getRepository(User).createQueryBuilder('u').where('u.role <> :admin', { admin: Role.ADMIN }).getCount()) === 0;
}

/**
 * Demo accounts share a password the README publishes: a production database never gets them,
 * whoever asks (`npm start`, `npm run seed -- --demo`).
 */
export function assertDemoAllowed(env: Pick<Env, 'NODE_ENV'>): void {
  if (env.NODE_ENV === 'production') {
    throw new Error('demo data is never seeded with NODE_ENV=production: its accounts share a password the README publishes');
  }
}

/**
 * Seeds the demo (below) into an empty database, with real queues: its score run is enqueued for
 * the worker. Returns false, having changed nothing, when the database already has accounts.
 * Refuses with NODE_ENV=production.
 */
export async function seedDemoIfEmpty(dataSource: DataSource, env: Env, log: Logger): Promise<boolean> {
  assertDemoAllowed(env);
  if (!(await isEmpty(dataSource))) return false;
  const redis = createRedis(env.REDIS_URL);
  const queues = createQueues(redis, env.BULLMQ_PREFIX);
  try {
    const services = createServices(dataSource, env, queues, await readInstanceId(dataSource));
    await seedDemo(dataSource, services, log, env.DATABASE_URL);
  } finally {
    await closeQueues(queues);
    await redis.quit();
  }
  return true;
}

/** The synthetic network behind the demo: enough people for search and targeting to mean something. */
const DEMO_NETWORK = { influencers: 5_000, interactions: 150_000, seed: 42 };

/**
 * Demo accounts made through the same services the API uses: two brands, an agency acting for the
 * first, and two influencers whose accounts are proven theirs the honest way (the code in the bio,
 * read by a connector); then a synthetic network of influencers and their activity, engagement
 * with the demo influencers by accounts a connector described, the score run for it (requested
 * here, computed by the worker as it starts) and two campaigns of Northwind Coffee.
 */
async function seedDemo(dataSource: DataSource, services: Services, log: Logger, databaseUrl: string): Promise<void> {
  const users = new Map<string, string>();
  for (const person of PEOPLE) {
    const result = await services.accounts.signUp({ ...person, password: DEMO_PASSWORD });
    if (!('token' in result)) throw new Error(`demo sign-up failed for ${person.role}: ${result.message}`);
    users.set(person.email, result.user.id);
  }
  const [northwind] = await services.accounts.organizationsOfUser(users.get('brand@demo.perks')!);
  const [agency] = await services.accounts.organizationsOfUser(users.get('agency@demo.perks')!);
  const brandUser = { kind: 'user' as const, userId: users.get('brand@demo.perks')!, role: Role.BRAND };
  await services.accounts.addAgencyClient(brandUser, northwind.id, agency.id);

  const accounts: Array<[string, Network, string, number, number]> = [
    ['influencer@demo.perks', Network.INSTAGRAM, 'ines.eats', 48_200, 610],
    ['influencer@demo.perks', Network.TIKTOK, 'ines_eats', 120_500, 240],
    ['influencer2@demo.perks', Network.YOUTUBE, 'ivanbuilds', 310_000, 95],
    ['influencer2@demo.perks', Network.X, 'ivan_builds', 22_400, 1_310],
  ];
  // Each influencer links their accounts and pastes the code they get into the account's bio;
  // the demo connector then reads the public profiles, which proves ownership (method BIO).
  const profiles: IngestAccountInput[] = [];
  for (const [email, network, handle, followers, following] of accounts) {
    const declared = { followers, following, accountCreatedAt: new Date('2019-03-01T00:00:00Z'), verified: followers > 100_000 };
    const linked = await services.influencers.connectSocialAccount(users.get(email)!, { network, handle, ...declared });
    if (!('verificationCode' in linked) || !linked.verificationCode) throw new Error(`demo account ${handle} was not linked`);
    profiles.push({
      ...profile(network, handle, followers, following, 900),
      verified: declared.verified,
      bio: `Recipes, gear and honest reviews. ${linked.verificationCode}`,
    });
  }
  await ingest(services, { accounts: profiles });

  const network = await seedSyntheticNetwork(databaseUrl, DEMO_NETWORK, log);
  await ingest(services, demoEngagement(accounts, Date.parse(`${network.runDate}T00:00:00Z`)));
  await services.scoring.requestRun(network.runDate, ScoreRunTrigger.ADMIN);

  const inDays = (n: number) => new Date(Date.now() + n * 86_400_000);
  const campaigns = [
    {
      name: 'Single-origin tasting kit',
      perk: {
        title: 'Tasting kit',
        description: 'Four 100 g bags of single-origin beans',
        kind: PerkKind.PRODUCT,
        valueCents: 3900,
        currency: 'EUR',
      },
      inventory: 40,
      targeting: { minScore: 30, topics: { slugs: ['food-coffee', 'food-baking', 'food-vegan'] } },
      launch: true,
    },
    {
      name: 'Roastery lounge evening',
      perk: {
        title: 'Lounge pass',
        description: 'An evening at the Northwind roastery',
        kind: PerkKind.EXPERIENCE,
        valueCents: 12000,
        currency: 'EUR',
      },
      inventory: 10,
      targeting: { minScore: 55, countries: ['FR', 'DE', 'GB'] },
      launch: false,
    },
  ];
  for (const { launch, ...input } of campaigns) {
    const created = await services.campaigns.create(brandUser, {
      ...input,
      brandId: northwind.id,
      endsAt: inDays(60),
      offerLifetimeHours: 72,
    });
    if (!('status' in created)) throw new Error(`demo campaign failed: ${created.message}`);
    if (launch && created.status === CampaignStatus.DRAFT) await services.campaigns.transition(brandUser, created.id, 'launch');
  }
  log.info({ accounts: PEOPLE.length, ...DEMO_NETWORK, campaigns: campaigns.length }, 'demo data seeded');
}
