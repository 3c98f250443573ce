import { Client } from 'pg';
import type { WorkerRuntime } from '../../src/core/worker-runtime';
import { DEFAULT_WEIGHTS, phaseWeights } from '../../src/modules/scoring/run-progress';
import { connectVerified, establishedAccount, ingestAccounts } from '../helpers/accounts';
import { startTestApi, type TestApi } from '../helpers/api';
import { createScratchDatabase } from '../helpers/database';
import { logInAdmin, signUp } from '../helpers/graphql';
import { startTestWorker, suitePrefix } from '../helpers/worker';

const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { ... on CreatedApiKey { key } } }`;
const INGEST = `mutation($input: IngestActivityInput!) { ingestActivity(input: $input) { ... on IngestReport { accepted rejected } } }`;
const RECOMPUTE = `mutation($date: String) { recomputeScores(date: $date) { ... on ScoreRun { id } } }`;
const RUN = `query($id: ID!) {
  scoreRun(id: $id) { status phase progress phaseProgress etaSeconds progressAt phaseWork { phase done total seconds } error }
}`;

interface Seen {
  status: string;
  phase: string;
  progress: number;
  phaseProgress: number;
  etaSeconds: number | null;
  progressAt: string | null;
  phaseWork: Array<{ phase: string; done: number; total: number; seconds: number | null }>;
}

const PHASES = ['QUEUED', 'LOADING', 'COMPUTING', 'WRITING', 'SWITCHING', 'DONE'];
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
const dayString = (n: number) => daysAgo(n).slice(0, 10);

/**
 * Progress through the phases, held at each by a lock a phase needs (a run on a few hundred rows
 * is otherwise over in a blink): LOADING waits on account_snapshots (the other reads finish, so
 * part of the rows are counted), WRITING on influencer_topic_scores (the CREATE TABLE ... LIKE of
 * its snapshot table; the other two tables are written meanwhile, and the phase is not complete
 * while one is still to come, even an empty one as here), SWITCHING on influencer_scores (ATTACH
 * PARTITION). Every answer seen is recorded.
 */
describe('score run progress (real Postgres, Redis and worker)', () => {
  let database: { url: string; drop: () => Promise<void> };
  let api: TestApi;
  let worker: WorkerRuntime;
  let admin: string;
  const seen: Seen[] = [];

  beforeAll(async () => {
    database = await createScratchDatabase('progress');
    api = await startTestApi({ DATABASE_URL: database.url, BULLMQ_PREFIX: suitePrefix('progress'), SCORE_RUN_PROGRESS_MS: '100' });
    worker = await startTestWorker(api);
    admin = await logInAdmin(api.client);
    const connector = (await api.client.ok(CREATE_KEY, { input: { name: 'c', scopes: ['INGEST'] } }, { token: admin })).createApiKey.key;
    const fans = Array.from({ length: 60 }, (_, i) => `fan${i}`);
    for (const name of ['ada', 'bo', 'cy']) {
      const person = await signUp(api.client, 'INFLUENCER', { name });
      await connectVerified(api.client, person, connector, { network: 'X', handle: name });
    }
    await ingestAccounts(
      api.client,
      connector,
      fans.map((h) => establishedAccount('X', h)),
    );
    const interactions = ['ada', 'bo', 'cy'].flatMap((target, t) =>
      fans.slice(0, 20 * (t + 1)).map((actor, i) => ({
        externalId: `${target}-${i}`,
        network: 'X',
        kind: 'RESHARE',
        actorHandle: actor,
        targetHandle: target,
        occurredAt: daysAgo(3 + (i % 20)),
      })),
    );
    const { ingestActivity } = await api.client.ok(INGEST, { input: { posts: [], interactions } }, { apiKey: connector });
    expect(ingestActivity.rejected).toBe(0);
    // As autovacuum would: the loader's row estimates come from the planner's statistics.
    await api.dataSource.query('ANALYZE');
  });
  afterAll(async () => {
    await worker?.close();
    await api?.stop();
    await database?.drop();
  });

  async function waitFor(id: string, what: string, done: (run: Seen) => boolean): Promise<Seen> {
    const deadline = Date.now() + 60_000;
    let last: Seen | undefined;
    while (Date.now() < deadline) {
      last = (await api.client.ok(RUN, { id }, { token: admin })).scoreRun as Seen;
      seen.push(last);
      if (done(last)) return last;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`score run never reached ${what}; last seen ${JSON.stringify(last)}`);
  }

  async function hold(table: string, mode: string): Promise<Client> {
    const blocker = new Client({ connectionString: database.url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query(`LOCK TABLE ${table} IN ${mode} MODE`);
    return blocker;
  }
  const release = async (blocker: Client) => {
    await blocker.query('ROLLBACK');
    await blocker.end();
  };

  it('reports progress by work done, rising through the phases to 1, with an estimate of the time left', async () => {
    const loading = await hold('account_snapshots', 'ACCESS EXCLUSIVE');
    const writing = await hold('influencer_topic_scores', 'ACCESS EXCLUSIVE');
    const switching = await hold('influencer_scores', 'EXCLUSIVE');
    const blockers = [loading, writing, switching];
    try {
      const { id } = (await api.client.ok(RECOMPUTE, { date: dayString(1) }, { token: admin })).recomputeScores;

      // Interactions (120) and influencers (3) are read (there are no posts); the account snapshots are not.
      const l = await waitFor(
        id,
        'part of LOADING',
        (r) => r.phase === 'LOADING' && (r.phaseWork.find((x) => x.phase === 'LOADING')?.done ?? 0) >= 123,
      );
      expect(l.phaseProgress).toBeLessThan(1);
      expect(l.progress).toBeGreaterThan(0);
      expect(l.etaSeconds).toEqual(expect.any(Number));
      const counted = l.phaseWork.find((w) => w.phase === 'LOADING')!;
      expect(counted.done).toBe(123);
      expect(counted.done).toBeLessThan(counted.total);

      await release(blockers.shift()!);
      const w = await waitFor(id, 'WRITING', (r) => r.phase === 'WRITING');
      expect(w.progress).toBeGreaterThan(l.progress);
      expect(w.etaSeconds).toEqual(expect.any(Number));
      const computed = w.phaseWork.find((x) => x.phase === 'COMPUTING')!;
      expect(computed.done).toBe(computed.total);
      expect(computed.seconds).toEqual(expect.any(Number));
      const read = w.phaseWork.find((x) => x.phase === 'LOADING')!;
      expect(read.done).toBe(read.total);

      await release(blockers.shift()!);
      const s = await waitFor(id, 'SWITCHING', (r) => r.phase === 'SWITCHING');
      expect(s.progress).toBeGreaterThan(w.progress);
      expect(s.progress).toBeLessThan(1);
      const written = s.phaseWork.find((x) => x.phase === 'WRITING')!;
      expect(written.done).toBe(written.total);
      expect(written.total).toBeGreaterThan(3); // influencers, topic scores and node ranks

      await release(blockers.shift()!);
      const done = await waitFor(id, 'SUCCEEDED', (r) => r.status !== 'RUNNING' && r.status !== 'PENDING');
      expect(done).toMatchObject({ status: 'SUCCEEDED', phase: 'DONE', progress: 1, phaseProgress: 1, etaSeconds: null, error: null });
      expect(done.phaseWork.map((x) => x.phase)).toEqual(['LOADING', 'COMPUTING', 'WRITING', 'SWITCHING']);
      for (const x of done.phaseWork) {
        expect(x.done).toBe(x.total);
        expect(x.seconds).toEqual(expect.any(Number));
      }
    } finally {
      for (const blocker of blockers) await release(blocker);
    }

    // Every answer seen, in order: never a phase back, never less progress; an ETA whenever running with progress.
    for (let i = 1; i < seen.length; i++) {
      expect(PHASES.indexOf(seen[i].phase)).toBeGreaterThanOrEqual(PHASES.indexOf(seen[i - 1].phase));
      expect(seen[i].progress).toBeGreaterThanOrEqual(seen[i - 1].progress);
    }
    for (const r of seen.filter((x) => x.status === 'RUNNING' && x.progress >= 0.01)) expect(r.etaSeconds).not.toBeNull();
    // At least the four held or final points: part of LOADING, WRITING, SWITCHING, 1.
    const distinct = [...new Set(seen.map((r) => r.progress))];
    expect(distinct.length).toBeGreaterThanOrEqual(4);
  });

  it('weighs the phases of the next run by the durations of the last successful one', async () => {
    // The newest successful run (the worker may have run another since: the suite shares its day).
    const [{ stats }] = await api.dataSource.query(
      `SELECT stats FROM score_runs WHERE status = 'SUCCEEDED' ORDER BY finished_at DESC NULLS LAST LIMIT 1`,
    );
    const seconds = [stats.loadingSeconds, stats.computingSeconds, stats.writingSeconds, stats.switchingSeconds].map((x: number) =>
      Math.max(x, 0.02),
    );
    const sum = seconds.reduce((a: number, b: number) => a + b, 0);
    const weights = await phaseWeights(api.dataSource, 0);
    expect(weights).toEqual(seconds.map((x: number) => x / sum));
    expect(weights).not.toEqual(DEFAULT_WEIGHTS);
  });
});
