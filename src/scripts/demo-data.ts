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
import { ScoreRunStatus, ScoreRunTrigger } from '../modules/scoring/score-run.entity';
import { ScoreRunBusyError } from '../modules/scoring/scoring.service';
import { createServices, type Services } from '../modules/services';
import { DEMO_PASSWORD } from './demo-accounts';
import { seedDemoCampaigns } from './demo-campaigns';

export { DEMO_PASSWORD };

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

/** A demo influencer's account: owner's email, network, handle, declared followers and following. */
type DemoAccount = [email: string, network: Network, handle: string, followers: number, following: number];

/** What each demo influencer posts about, and how many creators of the network engage each of their accounts. */
const DEMO_AUDIENCES: Record<string, { topics: string[]; creators: number }> = {
  'influencer@demo.perks': { topics: ['food-coffee', 'food-baking'], creators: 60 },
  'influencer2@demo.perks': { topics: ['tech-gadgets'], creators: 15 },
};

/** Posts per demo account, spread over the score window (see demoEngagement). */
const DEMO_POSTS = 6;

/**
 * The creators of the synthetic network whose engagement a score should trust most: accounts of
 * other influencers with a connector's snapshot that looks established (two years old or more when
 * observed, no follow-spam ratio), selective (engaging at most 40 accounts, so their engagement
 * counts in full: docs/scoring.md, selectivity) and themselves the most engaged on their network
 * (the most distinct engagers, which is what lifts reach and authority). Ordered for a
 * deterministic pick: the network is deterministic (dates relative to its end, as the snapshot's
 * observed_at is), so the same handles come back on every seed. Read before the first score run,
 * hence engagers rather than scores.
 */
async function establishedCreators(dataSource: DataSource, networks: Network[], perNetwork: number): Promise<Map<Network, string[]>> {
  const rows: Array<{ network: Network; handle: string }> = await dataSource.query(
    `WITH audience AS (SELECT target_id, count(DISTINCT actor_id) AS engagers FROM interactions GROUP BY target_id),
          outreach AS (SELECT actor_id, count(DISTINCT target_id) AS targets FROM interactions GROUP BY actor_id),
          ranked AS (
            SELECT sa.network, sa.handle,
                   row_number() OVER (PARTITION BY sa.network ORDER BY a.engagers DESC, sa.handle) AS rank
            FROM social_accounts sa
            JOIN account_snapshots s ON s.actor_id = sa.actor_id
            JOIN audience a ON a.target_id = sa.actor_id
            LEFT JOIN outreach o ON o.actor_id = sa.actor_id
            WHERE sa.status = 'VERIFIED' AND sa.network = ANY($1::network[])
              AND s.account_created_at < s.observed_at - interval '2 years'
              AND (s.following < 200 OR s.following <= 5 * s.followers)
              AND coalesce(o.targets, 0) <= 40)
     SELECT network, handle FROM ranked WHERE rank <= $2 ORDER BY network, rank`,
    [networks, perNetwork],
  );
  const creators = new Map<Network, string[]>(networks.map((n) => [n, []]));
  for (const { network, handle } of rows) creators.get(network)!.push(handle);
  return creators;
}

/**
 * Engagement with the demo influencers' accounts inside the score window that ends on `dayMs`'s
 * next midnight: DEMO_POSTS posts per account over about 80 days, each acted upon by readers a
 * connector described (fans with a few hundred followers) and by established creators of the
 * synthetic network (`creators`, see establishedCreators), who each reshare one post and one in
 * three also replies to another. An engager nobody described counts very little for the score;
 * these all are described.
 */
function demoEngagement(accounts: DemoAccount[], creators: Map<Network, string[]>, dayMs: number): Batch {
  const at = (daysBefore: number) => new Date(dayMs - daysBefore * 86_400_000 + 12 * 3_600_000).toISOString();
  const batch: Required<Batch> = { posts: [], interactions: [], accounts: [] };
  accounts.forEach(([email, network, handle], a) => {
    const fans = Array.from({ length: 20 + 10 * a }, (_, i) => `demo.fan${i}.${handle}`);
    for (const [i, fan] of fans.entries()) batch.accounts.push(profile(network, fan, 150 + 37 * i, 120 + 11 * i, 40 + 9 * i));
    const posts = Array.from({ length: DEMO_POSTS }, (_, p) => `demo-${handle}-${p}`);
    posts.forEach((post, p) =>
      batch.posts.push({ externalId: post, network, authorHandle: handle, topics: DEMO_AUDIENCES[email].topics, postedAt: at(4 + 15 * p) }),
    );
    const engage = (actorHandle: string, kind: string, p: number, id: string, lag: number) =>
      batch.interactions.push({
        externalId: `${posts[p]}-${id}`,
        network,
        kind,
        actorHandle,
        targetHandle: handle,
        postExternalId: posts[p],
        occurredAt: at(3 + 15 * p - lag),
      });
    for (const [i, fan] of fans.entries()) {
      for (let p = 0; p < 3; p++) if ((i + p) % 3 !== 2) engage(fan, ['RESHARE', 'LIKE', 'REPLY'][(i + p) % 3], p, `${i}`, i % 3);
    }
    const chosen = (creators.get(network) ?? []).slice(0, DEMO_AUDIENCES[email].creators);
    for (const [j, creator] of chosen.entries()) {
      engage(creator, 'RESHARE', j % DEMO_POSTS, `c${j}`, j % 3);
      if (j % 3 === 0) engage(creator, 'REPLY', (j + 2) % DEMO_POSTS, `c${j}r`, (j + 1) % 3);
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
 * Seeds the demo (below) into an empty database, with real queues, and computes its score run and
 * matches its campaigns before returning: the demo is whole by the time `npm start` starts the API.
 * Returns false, having changed nothing, when the database already has accounts. Refuses with
 * NODE_ENV=production.
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

/**
 * The run computed in this process, as the worker's job would. A worker already running on this
 * database (`npm run seed -- --demo` beside `npm start`) may have taken the job first: then this
 * waits for that worker to finish it.
 */
async function computeRun(services: Services, runId: number, log: Logger): Promise<void> {
  try {
    await services.scoring.execute(runId, log);
    return;
  } catch (error) {
    if (!(error instanceof ScoreRunBusyError)) throw error;
  }
  const deadline = Date.now() + 10 * 60_000;
  while (Date.now() < deadline) {
    const run = await services.scoring.runById(runId);
    if (run?.status === ScoreRunStatus.SUCCEEDED) return;
    if (run?.status === ScoreRunStatus.FAILED) throw new Error(`the demo score run failed: ${run.error}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('the demo score run did not finish within 10 minutes (another run holds the lock)');
}

/** The synthetic network behind the demo: enough people for search and targeting to mean something. */
const DEMO_NETWORK = { influencers: 5_000, interactions: 150_000, seed: 42 };

/**
 * Demo accounts made through the same services the API uses: two brands, an agency acting for the
 * first, and two influencers whose accounts are proven theirs the honest way (the code in the bio,
 * read by a connector); then a synthetic network of influencers and their activity, engagement
 * with the demo influencers by accounts a connector described (fans, and the network's most
 * engaged creators), the score run for it (computed here, by the model every run uses), and the
 * demo campaigns, matched, with Ines's claims (demo-campaigns.ts).
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

  const accounts: DemoAccount[] = [
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
  const networks = [...new Set(accounts.map(([, n]) => n))];
  const creators = await establishedCreators(dataSource, networks, Math.max(...Object.values(DEMO_AUDIENCES).map((a) => a.creators)));
  await ingest(services, demoEngagement(accounts, creators, Date.parse(`${network.runDate}T00:00:00Z`)));
  // Computed here rather than by the worker, so that the demo is whole (scores, offers, claims)
  // before the API listens. The job requestRun enqueues finds the run done when the worker starts.
  const run = await services.scoring.requestRun(network.runDate, ScoreRunTrigger.ADMIN);
  await computeRun(services, run.id, log);
  await seedDemoCampaigns(services, users, log);
  log.info({ accounts: PEOPLE.length, ...DEMO_NETWORK, runId: run.id }, 'demo data seeded');
}
