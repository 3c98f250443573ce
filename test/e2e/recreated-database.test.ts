import { createDataSource } from '../../ormconfig';
import { dropDatabase, ensureDatabase } from '../../src/core/database';
import type { WorkerRuntime } from '../../src/core/worker-runtime';
import { startTestApi, type TestApi } from '../helpers/api';
import { createScratchDatabase } from '../helpers/database';
import { logInAdmin } from '../helpers/graphql';
import { startTestWorker, suitePrefix } from '../helpers/worker';

const RECOMPUTE = `mutation($date: String) { recomputeScores(date: $date) { __typename ... on ScoreRun { id status } } }`;
const RUN = `query($id: ID!) { scoreRun(id: $id) { id status } }`;
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

/**
 * A database dropped and built again from the migrations (or restored elsewhere) under a Redis
 * that kept its keys: the new database's first score run has the id of the old one's, whose
 * completed job BullMQ still holds.
 */
describe('score runs after the database is recreated under the same Redis and BullMQ prefix', () => {
  const prefix = suitePrefix('recreated');
  let database: { url: string; drop: () => Promise<void> };
  let api: TestApi | undefined;
  let worker: WorkerRuntime | undefined;
  let admin: string;

  const startApi = async () => {
    api = await startTestApi({ DATABASE_URL: database.url, BULLMQ_PREFIX: prefix });
    admin = await logInAdmin(api.client);
    return api;
  };
  const stop = async () => {
    await worker?.close();
    await api?.stop();
    worker = api = undefined;
  };
  const request = async (): Promise<{ id: string; status: string }> => {
    const { recomputeScores } = await api!.client.ok(RECOMPUTE, { date: yesterday }, { token: admin });
    expect(recomputeScores.__typename).toBe('ScoreRun');
    return recomputeScores;
  };
  const runJobs = async (states: Array<'completed' | 'waiting'>) =>
    (await api!.queues.scoring.getJobs(states)).filter((job) => job.name === 'recompute-scores');
  const settled = async (id: string): Promise<string> => {
    for (let i = 0; i < 600; i++) {
      const { scoreRun } = await api!.client.ok(RUN, { id }, { token: admin });
      if (scoreRun.status === 'SUCCEEDED' || scoreRun.status === 'FAILED') return scoreRun.status;
      await new Promise((r) => setTimeout(r, 100));
    }
    return 'still not finished after 60 s';
  };

  beforeAll(async () => {
    database = await createScratchDatabase('recreated');
  });
  afterAll(async () => {
    await stop();
    await database?.drop();
  });

  it('computes a new run for the same date, and still enqueues each attempt once', async () => {
    const first = await startApi();
    worker = await startTestWorker(first);
    const before = await request();
    expect(await settled(before.id)).toBe('SUCCEEDED');
    const firstInstance = first.instanceId;
    await stop();

    await dropDatabase(database.url);
    await ensureDatabase(database.url);
    const migrator = await createDataSource(database.url, 2).initialize();
    try {
      await migrator.runMigrations({ transaction: 'each' });
    } finally {
      await migrator.destroy();
    }

    const second = await startApi();
    expect(second.instanceId).not.toBe(firstInstance);
    // Redis kept the completed job of the old database's run, which had the same id.
    expect(await runJobs(['completed'])).toHaveLength(1);
    const after = await request();
    expect(after.id).toBe(before.id);

    // Asking again, and the periodic repair, find the job queued for this attempt: one job, not two.
    expect((await request()).id).toBe(after.id);
    expect(await second.services.scoring.resumeRuns()).toEqual({ enqueued: 0, failed: 0 });
    expect(await runJobs(['waiting'])).toHaveLength(1);

    worker = await startTestWorker(second);
    expect(await settled(after.id)).toBe('SUCCEEDED');
  });
});
