import type { WorkerRuntime } from '../../src/core/worker-runtime';
import { connectVerified, establishedAccount, freshAccount, ingestAccounts } from '../helpers/accounts';
import { startTestApi, type TestApi } from '../helpers/api';
import { createScratchDatabase } from '../helpers/database';
import { logInAdmin, signUp, type SignedUp } from '../helpers/graphql';
import { startTestWorker, suitePrefix } from '../helpers/worker';

/**
 * The attacks on scores, played through the public API as an attacker would (score model version
 * 2's defences; docs/scoring.md has the threat model). Everything before today is the world as it
 * was; today the attacks happen. The run for yesterday is "before", the run for today "after".
 */

const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { ... on CreatedApiKey { key } } }`;
const INGEST = `mutation($input: IngestActivityInput!) { ingestActivity(input: $input) { ... on IngestReport { accepted rejected } } }`;
const RECOMPUTE = `mutation($date: String) { recomputeScores(date: $date) { ... on ScoreRun { id } ... on ErrorResult { errorCode message } } }`;
const RUN = `query($id: ID!) { scoreRun(id: $id) { status error } }`;
const SCORE = `query($handle: String!) { influencerByHandle(network: X, handle: $handle) { id score audienceQuality } }`;
const EXPLAIN = `query($handle: String!) {
  influencerByHandle(network: X, handle: $handle) {
    scoreExplanation { audienceQuality credibleEngagers delta { score credibleEngagers } topEngagers { credibility } summary }
  }
}`;
const SEARCH = `query($targeting: TargetingInput) { eligibleInfluencers(targeting: $targeting, first: 100) { edges { node { id } } } }`;

const DAY = 86_400_000;
const dayString = (daysBack: number) => new Date(Date.now() - daysBack * DAY).toISOString().slice(0, 10);
/** Today, an hour ago (or just after midnight): inside today's window, outside yesterday's. */
const attackTime = () => new Date(Math.max(Date.parse(`${dayString(0)}T00:00:01Z`), Date.now() - 3_600_000)).toISOString();
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();
const range = (name: string, n: number) => Array.from({ length: n }, (_, i) => `${name}${i}`);

describe('score trust: attacks played through the API', () => {
  let database: { url: string; drop: () => Promise<void> };
  let api: TestApi;
  let worker: WorkerRuntime;
  let admin: string;
  let connector: string;
  let agency: SignedUp;
  const before = new Map<string, { id: string; score: number; audienceQuality: number | null }>();
  const after = new Map<string, { id: string; score: number; audienceQuality: number | null }>();
  const pod = range('pod', 20);
  const people = new Map<string, SignedUp>();
  const influencers = ['fakebought', 'unknownbought', 'organic', 'podcomparison', 'hubtarget', 'top', ...pod];

  let serial = 0;
  const reshare = (actor: string, target: string, occurredAt: string) => ({
    externalId: `e${serial++}`,
    network: 'X',
    kind: 'RESHARE',
    actorHandle: actor,
    targetHandle: target,
    occurredAt,
  });
  const ingest = async (interactions: object[]) => {
    for (let i = 0; i < interactions.length; i += 5_000) {
      const { ingestActivity } = await api.client.ok(
        INGEST,
        { input: { interactions: interactions.slice(i, i + 5_000) } },
        { apiKey: connector },
      );
      expect(ingestActivity.rejected).toBe(0);
    }
  };
  const run = async (date: string) => {
    const { recomputeScores } = await api.client.ok(RECOMPUTE, { date }, { token: admin });
    for (let i = 0; i < 1200; i++) {
      const { scoreRun } = await api.client.ok(RUN, { id: recomputeScores.id }, { token: admin });
      if (scoreRun.status === 'SUCCEEDED') return;
      if (scoreRun.status === 'FAILED') throw new Error(`score run failed: ${scoreRun.error}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('score run did not finish');
  };
  const read = async (into: Map<string, { id: string; score: number; audienceQuality: number | null }>) => {
    for (const handle of influencers) into.set(handle, (await api.client.ok(SCORE, { handle }, { token: admin })).influencerByHandle);
  };
  const lift = (handle: string) => after.get(handle)!.score - before.get(handle)!.score;

  beforeAll(async () => {
    database = await createScratchDatabase('trust');
    api = await startTestApi({ DATABASE_URL: database.url, BULLMQ_PREFIX: suitePrefix('trust') });
    worker = await startTestWorker(api);
    admin = await logInAdmin(api.client);
    connector = (await api.client.ok(CREATE_KEY, { input: { name: 'c', scopes: ['INGEST'] } }, { token: admin })).createApiKey.key;
    agency = await signUp(api.client, 'AGENCY');
    for (const handle of influencers) {
      const person = await signUp(api.client, 'INFLUENCER', { name: handle });
      people.set(handle, person);
      await connectVerified(api.client, person, connector, { network: 'X', handle });
    }
    // The world before today: established people engage `top` a lot and a few others a little; the
    // pod reshares itself every other day; the comparison has 20 real outside engagers.
    const established = [...range('real', 300), ...range('organic', 50)];
    await ingestAccounts(
      api.client,
      connector,
      established.map((h) => establishedAccount('X', h)),
    );
    await ingestAccounts(
      api.client,
      connector,
      range('fresh', 50).map((h) => freshAccount('X', h)),
    );
    const world: object[] = [];
    range('real', 200).forEach((actor, i) => world.push(reshare(actor, 'top', daysAgo(2 + (i % 40)))));
    range('real', 5).forEach((actor) => world.push(reshare(actor, 'hubtarget', daysAgo(5))));
    range('real', 20).forEach((actor, i) => world.push(reshare(`real${200 + i}`, 'podcomparison', daysAgo(3 + i))));
    for (const actor of pod)
      for (const target of pod) for (let d = 2; d < 60 && actor !== target; d += 2) world.push(reshare(actor, target, daysAgo(d)));
    await ingest(world);
    await run(dayString(1));
    await read(before);

    // Today's attacks.
    await ingest([
      ...range('fresh', 50).map((actor) => reshare(actor, 'fakebought', attackTime())),
      ...range('ghost', 50).map((actor) => reshare(actor, 'unknownbought', attackTime())), // no connector ever described them
      ...range('organic', 50).map((actor) => reshare(actor, 'organic', attackTime())),
      reshare('top', 'hubtarget', attackTime()),
    ]);
    await run(dayString(0));
    await read(after);
  }, 240_000);
  afterAll(async () => {
    await worker?.close();
    await api?.stop();
    await database?.drop();
  });

  it('gives 50 accounts made for the purpose at most 10 points, and 50 established engagers at least 35', () => {
    expect(before.get('fakebought')!.score).toBe(10);
    expect(lift('fakebought')).toBeLessThanOrEqual(10);
    expect(lift('unknownbought')).toBeLessThanOrEqual(10);
    expect(lift('organic')).toBeGreaterThanOrEqual(35);
  });

  it('puts a pod member at least 10 points below an influencer with as many real outside engagers', () => {
    const comparison = after.get('podcomparison')!.score;
    for (const member of pod) expect([member, comparison - after.get(member)!.score >= 10]).toEqual([member, true]);
  });

  it('lets one reshare by the top account move a score by at most 15 points', () => {
    expect(after.get('top')!.score).toBeGreaterThan(after.get('hubtarget')!.score + 20);
    expect(lift('hubtarget')).toBeGreaterThan(0);
    expect(lift('hubtarget')).toBeLessThanOrEqual(15);
  });

  it('shows audience quality beside the score and lets a campaign target it', async () => {
    expect(after.get('organic')!.audienceQuality).toBeGreaterThan(0.8);
    expect(after.get('fakebought')!.audienceQuality).toBeLessThan(0.1);
    expect(after.get('pod0')!.audienceQuality).toBeLessThan(0.3);
    const { eligibleInfluencers } = await api.client.ok(SEARCH, { targeting: { minAudienceQuality: 0.6 } }, agency);
    const found = new Set(eligibleInfluencers.edges.map((e: { node: { id: string } }) => e.node.id));
    expect(found.has(after.get('organic')!.id)).toBe(true);
    expect(found.has(after.get('podcomparison')!.id)).toBe(true);
    for (const handle of ['fakebought', 'unknownbought', 'pod0'])
      expect([handle, found.has(after.get(handle)!.id)]).toEqual([handle, false]);
    const refused = await api.client.request(SEARCH, { targeting: { minAudienceQuality: 1.5 } }, agency);
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(refused.errors?.[0].message).toMatch(/minAudienceQuality must be between 0 and 1/);
  });

  it('explains the credible share and what moved the score since the previous run', async () => {
    const explained = async (handle: string) =>
      (await api.client.ok(EXPLAIN, { handle }, people.get(handle)!)).influencerByHandle.scoreExplanation;
    const organic = await explained('organic');
    expect(organic).toMatchObject({ credibleEngagers: 50, delta: { credibleEngagers: 50 } });
    expect(organic.summary.join('\n')).toMatch(/50 accounts engaged with you .*, 50 of them credible/);
    expect(organic.summary.join('\n')).toMatch(/50 more credible engagers/);
    // The sum the summary states is version 2's, with its weights.
    expect(organic.summary[0]).toMatch(/^Score \d+ = 0\.2 x authority \d+ \+ 0\.7 x reach \d+ \+ 0\.1 x amplification \d+, rounded/);
    const fake = await explained('fakebought');
    expect(fake).toMatchObject({ credibleEngagers: 0 });
    expect(fake.summary.join('\n')).toMatch(/50 accounts engaged with you .*, 0 of them credible/);
    expect(fake.summary[0]).toMatch(/of which \d+% counts above 10: the credible engagement is below 3 engagers' worth/);
    expect(fake.topEngagers.every((e: { credibility: number }) => e.credibility < 0.1)).toBe(true);
  });
});
