import type { Job } from 'bullmq';
import { Client } from 'pg';
import { CREDIBILITY } from '../../src/modules/scoring/score-model';
import { RUN_LOCK } from '../../src/core/locks';
import { ScoreRunBusyError } from '../../src/modules/scoring/scoring.service';
import type { WorkerRuntime } from '../../src/core/worker-runtime';
import { connectVerified, establishedAccount, ingestAccounts } from '../helpers/accounts';
import { startTestApi, type TestApi } from '../helpers/api';
import { createScratchDatabase } from '../helpers/database';
import { logInAdmin, signUp } from '../helpers/graphql';
import { until } from '../helpers/wait';
import { startTestWorker, suitePrefix } from '../helpers/worker';

const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { ... on CreatedApiKey { key } } }`;
const INGEST = `mutation($input: IngestActivityInput!) { ingestActivity(input: $input) { ... on IngestReport { accepted rejected } } }`;
const RECOMPUTE = `mutation($date: String) { recomputeScores(date: $date) { __typename ... on ScoreRun { id runDate status } ... on ErrorResult { errorCode message } } }`;
const RUN = `query($id: ID!) { scoreRun(id: $id) { id status phase progress isCurrent stats { influencers interactions pairs iterations totalSeconds } error } }`;

const dayString = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
const today = dayString(0);
const yesterday = dayString(1);
const dayBefore = dayString(2);
const PROFILE = `query($handle: String!) {
  influencerByHandle(network: X, handle: $handle) {
    id scoredOn score reach amplification authority topics { topic { slug } score }
  }
}`;
const POLL = `{
  a: influencerByHandle(network: X, handle: "alice") { scoredOn score reach authority topics { topic { slug } score } }
  d: influencerByHandle(network: X, handle: "dave") { scoredOn score reach authority }
  h: influencerByHandle(network: X, handle: "hub") { scoredOn score reach authority }
}`;
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
      occurredAt: daysAgo(3 + (i % 20)),
    }));
  const passwords = new Map<string, string>();
  const logInAs = async (name: string): Promise<string> => {
    const { logIn } = await api.client.ok(`mutation($input: LogInInput!) { logIn(input: $input) { ... on AuthPayload { token } } }`, {
      input: { email: passwords.get(name), password: 'correct horse battery' },
    });
    return logIn.token;
  };
  const range = (name: string, n: number) => Array.from({ length: n }, (_, i) => `${name}${i}`);

  async function waitForRun(
    id: string,
    done = (run: { status: string; phase: string }) => run.status === 'SUCCEEDED' || run.status === 'FAILED',
  ) {
    let last: unknown;
    for (let i = 0; i < 400; i++) {
      const { scoreRun } = await api.client.ok(RUN, { id }, { token: admin });
      if (done(scoreRun)) return scoreRun;
      last = scoreRun;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`score run did not reach the expected state; last seen ${JSON.stringify(last)}`);
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
      passwords.set(name, person.email);
      await connectVerified(api.client, person, connector, { network: 'X', handle: name });
    }
    // Every engager is an established account a connector described: the tests below compare
    // graph shapes, not credibility.
    await ingestAccounts(
      api.client,
      connector,
      [...range('fan', 40), 'lurker', 'bot', ...range('crowd', 30)].map((h) => establishedAccount('X', h)),
    );
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
    const answers = await Promise.all(Array.from({ length: 5 }, () => api.client.ok(RECOMPUTE, { date: dayBefore }, { token: admin })));
    const ids = new Set(answers.map((a) => a.recomputeScores.id));
    expect(ids.size).toBe(1);
    const run = await waitForRun([...ids][0]);
    expect(run).toMatchObject({ status: 'SUCCEEDED', phase: 'DONE', progress: 1, isCurrent: true, error: null });
    // 40 + 1 + 1 + 1000 + 30 in the window; the 120-day-old one is not read.
    expect(run.stats).toMatchObject({ influencers: influencers.length, interactions: 1072 });
    const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM score_runs`);
    expect(n).toBe(1);
    // Asking again for a finished date returns the same run without computing again.
    const again = await api.client.ok(RECOMPUTE, { date: dayBefore }, { token: admin });
    expect(again.recomputeScores).toMatchObject({ id: run.id, status: 'SUCCEEDED' });
  });

  it('keeps the previous snapshot current when a run dies half-way, and completes on retry', async () => {
    // Hold the snapshot parent so the run stops at its switch, then kill its connection there.
    const blocker = new Client({ connectionString: database.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE influencer_scores IN EXCLUSIVE MODE');
      const { recomputeScores } = await api.client.ok(RECOMPUTE, { date: yesterday }, { token: admin });
      await waitForRun(recomputeScores.id, (r) => r.phase === 'SWITCHING');
      // Readers are not blocked and still see the previous snapshot.
      expect((await api.client.ok(POLL, {}, { token: admin })).a.scoredOn).toBe(dayBefore);
      const killed = await blocker.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'perks-score-run' AND datname = current_database()`,
      );
      expect(killed.rowCount).toBe(1);
      const failed = await waitForRun(recomputeScores.id, (r) => r.status === 'FAILED');
      expect(failed.isCurrent).toBe(false);
      expect((await api.client.ok(POLL, {}, { token: admin })).a.scoredOn).toBe(dayBefore);
      const attached = await blocker.query(`SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'influencer_scores'::regclass`);
      expect(attached.rows[0].n).toBe(1);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    // BullMQ retries the job; with the table free, the run completes and becomes current.
    const { recomputeScores: again } = await api.client.ok(RECOMPUTE, { date: yesterday }, { token: admin });
    const done = await waitForRun(again.id, (r) => r.status === 'SUCCEEDED');
    expect(done.isCurrent).toBe(true);
    expect((await api.client.ok(POLL, {}, { token: admin })).a.scoredOn).toBe(yesterday);
  });

  it('never shows a reader a mix of two snapshots while a run switches', async () => {
    const before = (await api.client.ok(POLL, {}, { token: admin })) as Record<string, { scoredOn: string }>;
    expect(before.a.scoredOn).toBe(yesterday);
    const seen: Array<Record<string, { scoredOn: string }>> = [];
    let polling = true;
    const poller = (async () => {
      while (polling) seen.push(await api.client.ok(POLL, {}, { token: admin }));
    })();
    const { recomputeScores } = await api.client.ok(RECOMPUTE, { date: today }, { token: admin });
    const run = await waitForRun(recomputeScores.id);
    expect(run.status).toBe('SUCCEEDED');
    polling = false;
    await poller;
    const after = (await api.client.ok(POLL, {}, { token: admin })) as Record<string, { scoredOn: string }>;
    expect(after.a.scoredOn).toBe(today);
    expect(seen.length).toBeGreaterThan(3);
    for (const response of seen) {
      const snapshot = response.a.scoredOn === yesterday ? before : after;
      expect(response).toEqual(snapshot);
    }
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

  it('shows scores, topics, history and the explanation through the API, each to whom it belongs', async () => {
    const alice = await logInAs('alice');
    const { influencerByHandle: profile } = await api.client.ok(
      `query { influencerByHandle(network: X, handle: "ALICE") {
        score scoredOn topics { topic { slug } score }
        scoreHistory(days: 7) { runDate score }
        scoreExplanation {
          runDate score summary
          reach { score raw weight } amplification { score raw } authority { score raw }
          delta { previousRunDate score }
          topEngagers { network handle displayName interactions share }
          topPosts { externalId topics reactions engagement }
        }
      } }`,
      {},
      { token: alice },
    );
    expect(profile.scoredOn).toBe(today);
    expect(profile.topics).toEqual([{ topic: { slug: 'tech-ai' }, score: expect.any(Number) }]);
    expect(profile.scoreHistory.map((p: { runDate: string }) => p.runDate)).toEqual([dayBefore, yesterday, today]);
    const explanation = profile.scoreExplanation;
    expect(explanation).toMatchObject({ runDate: today, score: profile.score, delta: { previousRunDate: yesterday } });
    expect(explanation.reach.weight).toBe(CREDIBILITY.weights.reach); // model 2 weighs reach 0.7
    expect(explanation.summary[0]).toContain(`Score ${profile.score} =`);
    // The one engager is the hub, an opted-in influencer, so it is named.
    expect(explanation.topEngagers).toEqual([{ network: 'X', handle: 'hub', displayName: 'hub', interactions: 1, share: 1 }]);
    expect(explanation.topPosts).toEqual([{ externalId: 'alice-post', topics: ['tech-ai'], reactions: 1, engagement: expect.any(Number) }]);

    // People who never signed up are never named.
    const hub = await logInAs('hub');
    const { influencerByHandle: hubProfile } = await api.client.ok(
      `query { influencerByHandle(network: X, handle: "hub") { scoreExplanation { topEngagers { handle displayName } } } }`,
      {},
      { token: hub },
    );
    expect(hubProfile.scoreExplanation.topEngagers).toHaveLength(5);
    for (const engager of hubProfile.scoreExplanation.topEngagers) expect(engager).toEqual({ handle: null, displayName: null });

    // A brand sees scores but not the explanation; another influencer sees nothing.
    const brand = await signUp(api.client, 'BRAND');
    const seen = await api.client.ok(PROFILE, { handle: 'alice' }, brand);
    expect(seen.influencerByHandle).toMatchObject({ score: profile.score, scoredOn: today });
    const withExplanation = await api.client.ok(
      `query { influencerByHandle(network: X, handle: "alice") { scoreExplanation { score } } }`,
      {},
      brand,
    );
    expect(withExplanation.influencerByHandle.scoreExplanation).toBeNull();
    const bob = await logInAs('bob');
    expect((await api.client.request(PROFILE, { handle: 'alice' }, { token: bob })).errors![0].extensions!.code).toBe('NOT_FOUND');
    expect((await api.client.ok(PROFILE, { handle: 'bob' }, { token: bob })).influencerByHandle.score).toBeGreaterThanOrEqual(10);
  });

  it('shows outreach and activity beside the score, on profiles, in search and in the explanation', async () => {
    // The hub reshared alice once; alice posted once; nobody else engaged anyone or posted.
    const FIGURES_QUERY = `query($handle: String!) {
      influencerByHandle(network: X, handle: $handle) { outreach activity scoreExplanation { summary } }
    }`;
    const hub = (await api.client.ok(FIGURES_QUERY, { handle: 'hub' }, { token: await logInAs('hub') })).influencerByHandle;
    const alice = (await api.client.ok(FIGURES_QUERY, { handle: 'alice' }, { token: await logInAs('alice') })).influencerByHandle;
    expect(hub).toMatchObject({ outreach: 2, activity: 1 });
    expect(alice).toMatchObject({ outreach: 1, activity: 100 });
    const line = (summary: string[], figure: string) => summary.find((l) => l.startsWith(figure));
    expect(line(hub.scoreExplanation.summary, 'Outreach 2 of 10')).toContain(
      `you engaged 1 account with 1 interaction in the 90 days to ${today}`,
    );
    expect(line(hub.scoreExplanation.summary, 'Activity 1 of 100')).toContain('no posts');
    expect(line(alice.scoreExplanation.summary, 'Outreach 1 of 10')).toContain("engaged no one else's content");
    expect(line(alice.scoreExplanation.summary, 'Activity 100 of 100')).toContain('1 post in the 90 days');
    expect(line(alice.scoreExplanation.summary, 'Activity 100 of 100')).toContain('in 1 of its 13 weeks');

    // A brand sees both (not the explanation), the same on a search page as on the profile.
    const brand = await signUp(api.client, 'BRAND');
    const { eligibleInfluencers } = await api.client.ok(
      `query { eligibleInfluencers(first: 20) { edges { node { outreach activity socialAccounts { handle } } } } }`,
      {},
      brand,
    );
    const byHandle = Object.fromEntries(
      eligibleInfluencers.edges.map((e: { node: { socialAccounts: Array<{ handle: string }> } }) => [
        e.node.socialAccounts[0].handle,
        e.node,
      ]),
    );
    expect(byHandle.hub).toMatchObject({ outreach: 2, activity: 1 });
    expect(byHandle.alice).toMatchObject({ outreach: 1, activity: 100 });
    expect(
      (await api.client.ok(PROFILE.replace('score ', 'outreach activity score '), { handle: 'frank' }, brand)).influencerByHandle,
    ).toMatchObject({
      outreach: 1,
      activity: 1,
    });
  });

  it('gives the same scores for the same data when a date is computed again', async () => {
    const date = dayString(3);
    const snapshot = async (runId: string) =>
      api.dataSource.query(
        `SELECT s.influencer_id, s.score, s.reach, s.amplification, s.authority, s.reach_raw, s.amplification_raw, s.authority_raw,
                s.outreach, s.outreach_raw, s.engaged_accounts, s.engaged_interactions, s.activity, s.active_weeks,
                coalesce((SELECT json_agg(json_build_array(t.topic_id, t.score, t.engagement) ORDER BY t.topic_id)
                          FROM influencer_topic_scores t WHERE t.run_id = s.run_id AND t.influencer_id = s.influencer_id), '[]') AS topics
         FROM influencer_scores s WHERE s.run_id = $1 ORDER BY s.influencer_id`,
        [runId],
      );
    const first = await waitForRun((await api.client.ok(RECOMPUTE, { date }, { token: admin })).recomputeScores.id);
    const before = await snapshot(first.id);
    // An operator forces a recomputation of the same date (a failed run is recomputed on request).
    await api.dataSource.query(`UPDATE score_runs SET status = 'FAILED' WHERE id = $1`, [first.id]);
    const second = await api.client.ok(RECOMPUTE, { date }, { token: admin });
    expect(second.recomputeScores.id).toBe(first.id);
    const done = await waitForRun(first.id, (r) => r.status === 'SUCCEEDED');
    expect(done.isCurrent).toBe(false); // an older date never takes the pointer back
    expect(before).toHaveLength(influencers.length);
    expect(await snapshot(first.id)).toEqual(before);
  });

  it('fails a run busy while another holds the run lock, leaves it untouched, and completes it on a BullMQ retry', async () => {
    const date = dayString(4);
    // Another worker's run, as the service sees it: a session holding the run lock.
    const other = new Client({ connectionString: database.url });
    await other.connect();
    let runId: string;
    let job: Job | undefined;
    try {
      await other.query('SELECT pg_advisory_lock($1)', [RUN_LOCK]);
      runId = (await api.client.ok(RECOMPUTE, { date }, { token: admin })).recomputeScores.id;
      const jobId = `score-run-${api.instanceId}-${runId}-1`;
      // Two busy attempts: the first and BullMQ's first retry, each refused, each left for the next.
      job = await until(
        'two busy attempts',
        async () => {
          const seen = await api.queues.scoring.getJob(jobId);
          return seen && seen.attemptsMade >= 2 && seen;
        },
        60_000,
      );
      expect(job.failedReason).toBe(ScoreRunBusyError.MESSAGE);
      // Not given up on: waiting for its next retry (or already in it, on a slow machine).
      expect(['delayed', 'waiting', 'active']).toContain(await job.getState());
      // A refused attempt writes nothing: the row still waits, and no snapshot table exists.
      const [row] = await api.dataSource.query(`SELECT status, phase, started_at, error FROM score_runs WHERE id = $1`, [runId]);
      expect(row).toEqual({ status: 'PENDING', phase: 'QUEUED', started_at: null, error: null });
      const [{ tables }] = await api.dataSource.query(`SELECT count(*)::int AS tables FROM pg_class WHERE relname LIKE $1`, [
        `%\\_r${runId}`,
      ]);
      expect(tables).toBe(0);
    } finally {
      await other.end(); // the other run ends: its session releases the lock
    }
    await until('the retried job to complete', async () => (await job!.getState()) === 'completed', 60_000);
    const done = await waitForRun(runId);
    expect(done).toMatchObject({ status: 'SUCCEEDED', phase: 'DONE', error: null, isCurrent: false });
    // One run for the date, its snapshot written once and attached once.
    const [{ runs }] = await api.dataSource.query(`SELECT count(*)::int AS runs FROM score_runs WHERE run_date = $1`, [date]);
    expect(runs).toBe(1);
    const [{ rows, distinct }] = await api.dataSource.query(
      `SELECT count(*)::int AS rows, count(DISTINCT influencer_id)::int AS distinct FROM influencer_scores WHERE run_id = $1`,
      [runId],
    );
    expect({ rows, distinct }).toEqual({ rows: influencers.length, distinct: influencers.length });
    const tables = await api.dataSource.query(
      `SELECT c.relname, i.inhparent::regclass::text AS parent FROM pg_class c LEFT JOIN pg_inherits i ON i.inhrelid = c.oid
       WHERE c.relkind = 'r' AND c.relname LIKE $1 ORDER BY c.relname`,
      [`%\\_r${runId}`],
    );
    // (Node ranks are kept for the two latest runs only: this older date's went at its own purge.)
    expect(tables).toEqual([
      { relname: `influencer_scores_r${runId}`, parent: 'influencer_scores' },
      { relname: `influencer_topic_scores_r${runId}`, parent: 'influencer_topic_scores' },
    ]);
  });

  it('retries at the resume sweep, not fails, a run refused busy on every attempt', async () => {
    const date = dayString(5);
    const other = new Client({ connectionString: database.url });
    await other.connect();
    let runId: string;
    try {
      await other.query('SELECT pg_advisory_lock($1)', [RUN_LOCK]);
      runId = (await api.client.ok(RECOMPUTE, { date }, { token: admin })).recomputeScores.id;
      const jobId = `score-run-${api.instanceId}-${runId}-1`;
      // Every attempt refused (DEFAULT_JOB_OPTIONS: 5, over about 30 s of backoff): BullMQ gives up.
      const job = await until(
        'the job to fail for good',
        async () => {
          const seen = await api.queues.scoring.getJob(jobId);
          return seen && (await seen.getState()) === 'failed' && seen;
        },
        100_000,
        250,
      );
      expect(job.failedReason).toBe(ScoreRunBusyError.MESSAGE);
      expect((await api.dataSource.query(`SELECT status FROM score_runs WHERE id = $1`, [runId]))[0].status).toBe('PENDING');
    } finally {
      await other.end();
    }
    // The sweep (every 10 minutes, and after Redis lost its data) tries it again instead of failing the date.
    expect(await api.services.scoring.resumeRuns()).toEqual({ enqueued: 1, failed: 0 });
    const done = await waitForRun(runId, (r) => r.status === 'SUCCEEDED' || r.status === 'FAILED');
    expect(done).toMatchObject({ status: 'SUCCEEDED', error: null });
    const [{ rows }] = await api.dataSource.query(`SELECT count(*)::int AS rows FROM influencer_scores WHERE run_id = $1`, [runId]);
    expect(rows).toBe(influencers.length);
  }, 150_000);

  it('fails at the resume sweep a run whose job failed for another reason, and counts it once', async () => {
    const [stuck] = await api.dataSource.query(
      `INSERT INTO score_runs (run_date, trigger, status, phase, started_at) VALUES ($1, 'ADMIN', 'RUNNING', 'LOADING', now()) RETURNING id`,
      [dayString(6)],
    );
    const jobId = `score-run-${api.instanceId}-${stuck.id}-1`;
    await api.queues.scoring.add('no-such-job', {}, { jobId }); // the worker fails it at once, without retries
    await until('the job to fail', async () => (await (await api.queues.scoring.getJob(jobId))?.getState()) === 'failed');
    expect(await api.services.scoring.resumeRuns()).toEqual({ enqueued: 0, failed: 1 });
    expect((await waitForRun(String(stuck.id), (r) => r.status === 'FAILED')).error).toMatch(/^job failed: No handler/);
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
