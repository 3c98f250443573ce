import type { WorkerRuntime } from '../../src/core/worker-runtime';
import { startTestApi, type TestApi } from '../helpers/api';
import { createScratchDatabase } from '../helpers/database';
import { logInAdmin, signUp } from '../helpers/graphql';
import { startTestWorker, suitePrefix } from '../helpers/worker';

const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { ... on CreatedApiKey { key } } }`;
const INGEST = `mutation($input: IngestActivityInput!) { ingestActivity(input: $input) { ... on IngestReport { accepted rejected } } }`;
const CONNECT = `mutation($input: ConnectSocialAccountInput!) { connectSocialAccount(input: $input) { __typename } }`;
const RECOMPUTE = `mutation($date: String) { recomputeScores(date: $date) { __typename ... on ScoreRun { id runDate status } ... on ErrorResult { errorCode message } } }`;
const RUN = `query($id: ID!) { scoreRun(id: $id) { id status phase progress isCurrent stats { influencers interactions pairs iterations totalSeconds } error } }`;

const today = new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

describe('score runs end to end (real Postgres, Redis and BullMQ worker)', () => {
  let database: { url: string; drop: () => Promise<void> };
  let api: TestApi;
  let worker: WorkerRuntime;
  let admin: string;
  let connector: string;
  const influencers = ['hub', 'alice', 'bob', 'carol', 'dave', 'erin', 'frank'] as const;

  const ingest = async (input: object) => {
    const { ingestActivity } = await api.client.ok(INGEST, { input }, { apiKey: connector });
    expect(ingestActivity.rejected).toBe(0);
  };
  const reshares = (prefix: string, actors: string[], target: string, post?: string) =>
    actors.map((actor, i) => ({
      externalId: `${prefix}-${i}`,
      network: 'X',
      kind: 'RESHARE',
      actorHandle: actor,
      targetHandle: target,
      postExternalId: post,
      occurredAt: daysAgo(1 + (i % 20)),
    }));
  const range = (name: string, n: number) => Array.from({ length: n }, (_, i) => `${name}${i}`);

  async function waitForRun(id: string) {
    for (let i = 0; i < 300; i++) {
      const { scoreRun } = await api.client.ok(RUN, { id }, { token: admin });
      if (scoreRun.status === 'SUCCEEDED' || scoreRun.status === 'FAILED') return scoreRun;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('score run did not finish');
  }

  const scores = async (): Promise<
    Record<string, { score: number; reach: number; amplification: number; authority: number; run_id: number }>
  > => {
    const rows = await api.dataSource.query(
      `SELECT sa.handle, s.score, s.reach, s.amplification, s.authority, s.run_id
       FROM influencer_scores s JOIN social_accounts sa ON sa.influencer_id = s.influencer_id
       WHERE s.run_id = (SELECT id FROM score_runs WHERE is_current)`,
    );
    return Object.fromEntries(rows.map((r: { handle: string }) => [r.handle, r]));
  };

  beforeAll(async () => {
    database = await createScratchDatabase('scores');
    api = await startTestApi({ DATABASE_URL: database.url, BULLMQ_PREFIX: suitePrefix('scores') });
    worker = await startTestWorker(api);
    admin = await logInAdmin(api.client);
    connector = (await api.client.ok(CREATE_KEY, { input: { name: 'c', scopes: ['INGEST'] } }, { token: admin })).createApiKey.key;
    for (const name of influencers) {
      const person = await signUp(api.client, 'INFLUENCER', { name });
      await api.client.ok(
        CONNECT,
        { input: { network: 'X', handle: name, followers: 1000, following: 100, accountCreatedAt: '2019-01-01T00:00:00Z' } },
        person,
      );
    }
    await ingest({
      posts: [{ externalId: 'alice-post', network: 'X', authorHandle: 'alice', topics: ['tech-ai'], postedAt: daysAgo(10) }],
      interactions: [
        ...reshares('fans-hub', range('fan', 40), 'hub'),
        ...reshares('hub-alice', ['hub'], 'alice', 'alice-post'),
        ...reshares('lurker-bob', ['lurker'], 'bob'),
        ...reshares('bot-carol', new Array(1000).fill('bot'), 'carol'),
        ...reshares('crowd-dave', range('crowd', 30), 'dave'),
        { externalId: 'old-erin', network: 'X', kind: 'RESHARE', actorHandle: 'fan1', targetHandle: 'erin', occurredAt: daysAgo(120) },
      ],
    });
  });
  afterAll(async () => {
    await worker?.close();
    await api?.stop();
    await database?.drop();
  });

  it('runs once for a date however many triggers fire, and switches the current snapshot', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => api.client.ok(RECOMPUTE, { date: today }, { token: admin })));
    const ids = new Set(answers.map((a) => a.recomputeScores.id));
    expect(ids.size).toBe(1);
    const run = await waitForRun([...ids][0]);
    expect(run).toMatchObject({ status: 'SUCCEEDED', phase: 'DONE', progress: 1, isCurrent: true, error: null });
    // 40 + 1 + 1 + 1000 + 30 in the window; the 120-day-old one is not read.
    expect(run.stats).toMatchObject({ influencers: influencers.length, interactions: 1072 });
    const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM score_runs`);
    expect(n).toBe(1);
    // Asking again for a finished date returns the same run without computing again.
    const again = await api.client.ok(RECOMPUTE, { date: today }, { token: admin });
    expect(again.recomputeScores).toMatchObject({ id: run.id, status: 'SUCCEEDED' });
  });

  it('scores within 10-100, with the floor for no signal and for interactions outside the window', async () => {
    const s = await scores();
    expect(Object.keys(s).sort()).toEqual([...influencers].sort());
    for (const row of Object.values(s)) {
      expect(row.score).toBeGreaterThanOrEqual(10);
      expect(row.score).toBeLessThanOrEqual(100);
    }
    expect(s.frank.score).toBe(10);
    expect(s.erin.score).toBe(10);
    expect(s.hub.score).toBeGreaterThan(s.alice.score);
  });

  it('values a reshare by a high-authority account above one by a low-authority account', async () => {
    const s = await scores();
    expect(s.alice.authority).toBeGreaterThan(s.bob.authority);
    expect(s.alice.score).toBeGreaterThan(s.bob.score);
  });

  it('counts 30 reshares from 30 accounts above 1,000 reshares from one', async () => {
    const s = await scores();
    expect(s.dave.score).toBeGreaterThan(s.carol.score);
  });

  it('refuses dates that are malformed or in the future, and non-operators', async () => {
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    for (const date of [tomorrow, '2026-02-30', 'yesterday']) {
      const { recomputeScores } = await api.client.ok(RECOMPUTE, { date }, { token: admin });
      expect(recomputeScores).toMatchObject({ __typename: 'InvalidRunDateError', errorCode: 'INVALID_RUN_DATE' });
    }
    const brand = await signUp(api.client, 'BRAND');
    expect((await api.client.request(RECOMPUTE, { date: today }, brand)).errors![0].extensions!.code).toBe('FORBIDDEN');
  });
});
