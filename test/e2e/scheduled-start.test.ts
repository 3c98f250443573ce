import { logger } from '../../src/core/logger';
import { remainingDelay } from '../../src/core/outbox';
import type { WorkerRuntime } from '../../src/core/worker-runtime';
import { ScoreRunTrigger } from '../../src/modules/scoring/score-run.entity';
import { startTestApi, type TestApi } from '../helpers/api';
import { createScratchDatabase } from '../helpers/database';
import { signUp, type SignedUp } from '../helpers/graphql';
import { startTestWorker, suitePrefix } from '../helpers/worker';
import { dateOf } from '../helpers/dates';

const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { __typename ... on Campaign { id startsAt } ... on ErrorResult { message } } }`;
const LAUNCH = `mutation($id: ID!) { launchCampaign(id: $id) { __typename ... on Campaign { status } } }`;
const PAUSE = `mutation($id: ID!) { pauseCampaign(id: $id) { __typename ... on Campaign { status } } }`;

describe('scheduled start: a campaign launched ahead of startsAt is matched at startsAt (real Postgres, Redis, worker)', () => {
  let database: { url: string; drop: () => Promise<void> };
  let api: TestApi;
  let worker: WorkerRuntime;
  let brand: SignedUp;

  const createCampaign = async (startsAt: Date): Promise<string> => {
    const { createCampaign: created } = await api.client.ok(
      CREATE,
      {
        input: {
          name: 'Opening night',
          perk: { title: 'Two seats', kind: 'EXPERIENCE', valueCents: 5000, currency: 'EUR' },
          inventory: 3,
          startsAt: startsAt.toISOString(),
          endsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        },
      },
      brand,
    );
    if (created.__typename !== 'Campaign') throw new Error(created.message);
    return created.id;
  };
  const startJobsOf = async (campaignId: string) =>
    (await api.queues.matching.getJobs(['delayed', 'waiting', 'active', 'completed'])).filter(
      (job) => job?.name === 'start-campaign' && job.data.campaignId === campaignId,
    );
  const offerTimes = async (campaignId: string): Promise<Date[]> =>
    (await api.dataSource.query(`SELECT offered_at FROM offers WHERE campaign_id = $1`, [campaignId])).map(
      (r: { offered_at: Date }) => r.offered_at,
    );

  beforeAll(async () => {
    database = await createScratchDatabase('start');
    api = await startTestApi({ DATABASE_URL: database.url, BULLMQ_PREFIX: suitePrefix('start') });
    brand = await signUp(api.client, 'BRAND');
    await Promise.all(Array.from({ length: 6 }, () => signUp(api.client, 'INFLUENCER', { country: 'FR' })));
    // A current score snapshot: every opted-in influencer is scored (and eligible for an untargeted campaign).
    const run = await api.services.scoring.requestRun(dateOf(1), ScoreRunTrigger.ADMIN);
    await api.services.scoring.execute(run.id, logger());
    worker = await startTestWorker(api);
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
    await api?.stop();
    await database?.drop();
  });

  it('sends no offer before startsAt and the offers at startsAt, by a delayed job', async () => {
    const startsAt = new Date(Date.now() + 4_000);
    const id = await createCampaign(startsAt);
    expect((await api.client.ok(LAUNCH, { id }, brand)).launchCampaign.status).toBe('ACTIVE');

    const [timer] = await startJobsOf(id);
    expect(timer).toBeDefined();
    // The timer is set for startsAt (BullMQ keeps when it was added and its delay).
    expect(Math.abs(timer.timestamp + timer.delay - startsAt.getTime())).toBeLessThan(1_000);

    let offered: Date[] = [];
    const deadline = Date.now() + 90_000;
    while (offered.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      offered = await offerTimes(id);
    }
    expect(offered).toHaveLength(6);
    const [{ starts_at }] = await api.dataSource.query(`SELECT starts_at FROM campaigns WHERE id = $1`, [id]);
    for (const at of offered) {
      // Never before the start (the matcher checks it against the database's clock) ...
      expect(at.getTime()).toBeGreaterThanOrEqual(starts_at.getTime());
      // ... and at it, not at the next nightly score run (no other trigger runs in this suite).
      expect(at.getTime() - starts_at.getTime()).toBeLessThan(60_000);
    }
  });

  it('sets one timer however often the campaign is launched, and sets it again when Redis lost it', async () => {
    const startsAt = new Date(Date.now() + 3_600_000);
    const id = await createCampaign(startsAt);
    await api.client.ok(LAUNCH, { id }, brand);
    await api.client.ok(PAUSE, { id }, brand);
    expect((await api.client.ok(LAUNCH, { id }, brand)).launchCampaign.status).toBe('ACTIVE');
    const timers = await startJobsOf(id);
    expect(timers).toHaveLength(1);
    expect(await timers[0].getState()).toBe('delayed');

    // Redis loses the timer; recovery (the rematch every worker enqueues then) re-derives it from Postgres.
    await timers[0].remove();
    expect(await startJobsOf(id)).toHaveLength(0);
    await api.services.matching.matchAllActive();
    const [again] = await startJobsOf(id);
    expect(again.id).toBe(timers[0].id);
    expect(await again.getState()).toBe('delayed');
    expect(Math.abs(again.timestamp + again.delay - startsAt.getTime())).toBeLessThan(1_000);
    expect(await offerTimes(id)).toHaveLength(0);
  });

  it('keeps a delayed job saved in the job outbox due at its time, not later by the outage', () => {
    expect(remainingDelay({ options: { delay: 10_000, jobId: 'x' }, age_ms: 4_000 })).toEqual({ delay: 6_000, jobId: 'x' });
    expect(remainingDelay({ options: { delay: 10_000 }, age_ms: 60_000 })).toEqual({ delay: 0 });
    expect(remainingDelay({ options: { jobId: 'y' }, age_ms: 60_000 })).toEqual({ jobId: 'y' });
  });
});
