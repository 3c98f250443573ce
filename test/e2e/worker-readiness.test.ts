import { Client } from 'pg';
import { startTestApi, type TestApi } from '../helpers/api';
import { createScratchDatabase } from '../helpers/database';
import { logInAdmin } from '../helpers/graphql';
import { runEntry, waitForLog } from '../helpers/processes';
import { suitePrefix } from '../helpers/worker';

const RUN = `query($id: ID!) { scoreRun(id: $id) { status phase } }`;

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * The worker process's probes: /healthz is liveness only (the process answers), /readyz is
 * readiness (workers running, Postgres and Redis answering) and says 503 "draining" from SIGTERM
 * until the jobs in progress are done. A score run held by a table lock is the job in progress.
 */
describe('the worker process: liveness and readiness', () => {
  let database: { url: string; drop: () => Promise<void> };
  let api: TestApi;
  const prefix = suitePrefix('ready');

  beforeAll(async () => {
    database = await createScratchDatabase('ready');
    api = await startTestApi({ DATABASE_URL: database.url, BULLMQ_PREFIX: prefix });
  });
  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  it('is ready while it runs, answers 503 draining after SIGTERM until its job is done, and stays live', async () => {
    const worker = runEntry('worker.ts', { DATABASE_URL: database.url, BULLMQ_PREFIX: prefix, WORKER_PORT: '0', HOST: '127.0.0.1' });
    const blocker = new Client({ connectionString: database.url });
    await blocker.connect();
    let locked = false;
    try {
      const { healthz, readyz } = await waitForLog(worker, 'worker ready');
      const ready = await fetch(readyz);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', workers: true, postgres: true, redis: true });

      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE account_snapshots IN ACCESS EXCLUSIVE MODE');
      locked = true;
      const admin = await logInAdmin(api.client);
      const { recomputeScores } = await api.client.ok(`mutation { recomputeScores { ... on ScoreRun { id } } }`, {}, { token: admin });
      const run = async () => (await api.client.ok(RUN, { id: recomputeScores.id }, { token: admin })).scoreRun;
      await until('the run to start loading', async () => (await run()).phase === 'LOADING');

      worker.child.kill('SIGTERM');
      await until('/readyz to say draining', async () => {
        const r = await fetch(readyz);
        return r.status === 503 && ((await r.json()) as { status: string }).status === 'draining';
      });
      expect((await fetch(healthz)).status).toBe(200);
      expect(worker.child.exitCode).toBeNull(); // waiting for the job

      await blocker.query('ROLLBACK');
      locked = false;
      expect(await worker.exited).toBe(0);
      expect(await run()).toEqual({ status: 'SUCCEEDED', phase: 'DONE' });
    } finally {
      if (locked) await blocker.query('ROLLBACK');
      await blocker.end();
      if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    }
  });
});
