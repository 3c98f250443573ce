import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkerRuntime } from '../../src/core/worker-runtime';
import { logger } from '../../src/core/logger';
import { seedDemoIfEmpty } from '../../src/scripts/demo-data';
import { startTestApi, type TestApi } from '../helpers/api';
import { createScratchDatabase } from '../helpers/database';
import { startTestWorker, suitePrefix } from '../helpers/worker';

/**
 * The demo as a newcomer walks it: the demo seed into a fresh database (as `npm start` does), the
 * worker started after it, then the three requests the README's quick start ends with, read from
 * the README itself (so that the README cannot drift from what the demo answers) and sent over
 * HTTP to the real API.
 */

/** The request bodies (`-d '...'`) of the curl commands in the README's quick start, in order. */
function quickStartRequests(): Array<{ query: string; variables?: Record<string, unknown> }> {
  const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
  const start = readme.indexOf('## Quick start');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  return [...section.matchAll(/curl -s http:\/\/127\.0\.0\.1:4000\/graphql [^\n]*\\\n\s*-d '([^']+)'/g)].map((m) => JSON.parse(m[1]));
}

/** The token as the README's `sed -E 's/.*"token":"([^"]+)".*\/\1/'` cuts it out of the raw answer. */
const tokenOf = (raw: string) => /.*"token":"([^"]+)".*/.exec(raw)?.[1];

describe('the demo a newcomer walks (README quick start)', () => {
  let database: Awaited<ReturnType<typeof createScratchDatabase>>;
  let api: TestApi;
  let worker: WorkerRuntime | undefined;
  let runAfterSeed: { id: number; finished_at: Date; stats: unknown };

  const post = async (body: unknown, token?: string) => {
    const response = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const raw = await response.text();
    expect(response.status).toBe(200);
    const parsed = JSON.parse(raw);
    expect(parsed.errors).toBeUndefined();
    return { raw, data: parsed.data };
  };

  beforeAll(async () => {
    database = await createScratchDatabase('demo');
    api = await startTestApi({ DATABASE_URL: database.url, BULLMQ_PREFIX: suitePrefix('demo') });
    expect(await seedDemoIfEmpty(api.dataSource, api.env, logger())).toBe(true);
    [runAfterSeed] = await api.dataSource.query(`SELECT id, finished_at, stats FROM score_runs WHERE status = 'SUCCEEDED' AND is_current`);
    // The worker starts after the seed, as under `npm start`: it takes the run's job and the
    // matches the launches enqueued. Waited for, so the requests below see what follows them.
    worker = await startTestWorker(api);
    const jobIds = [`score-run-${api.instanceId}-${runAfterSeed.id}-1`, `score-run-completed-${api.instanceId}-${runAfterSeed.id}`];
    const deadline = Date.now() + 60_000;
    for (const [queue, id] of [
      [api.queues.scoring, jobIds[0]],
      [api.queues.matching, jobIds[1]],
    ] as const) {
      let state = await (await queue.getJob(id))?.getState();
      while (state !== 'completed' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        state = await (await queue.getJob(id))?.getState();
      }
      expect([id, state]).toEqual([id, 'completed']);
    }
  });
  afterAll(async () => {
    await worker?.close();
    await api?.stop();
    await database?.drop();
  });

  it('is seeded whole before the API would listen, and the worker finds the score run done', async () => {
    expect(runAfterSeed).toBeDefined();
    const runs = await api.dataSource.query(`SELECT id, status, finished_at, stats FROM score_runs`);
    expect(runs).toEqual([{ id: runAfterSeed.id, status: 'SUCCEEDED', finished_at: runAfterSeed.finished_at, stats: runAfterSeed.stats }]);
    expect(await api.services.scoring.resumeRuns()).toEqual({ enqueued: 0, failed: 0 });
    // Only into an empty database: a second seed changes nothing.
    expect(await seedDemoIfEmpty(api.dataSource, api.env, logger())).toBe(false);
    expect(await api.dataSource.query(`SELECT count(*)::int AS n FROM score_runs`)).toEqual([{ n: 1 }]);
  });

  it('answers the README three requests as Ines: a score above the campaigns, offers, a claimed and a redeemed perk, unread notifications', async () => {
    const requests = quickStartRequests();
    expect(requests).toHaveLength(3);
    const [logIn, score, perks] = requests;

    const token = tokenOf((await post(logIn)).raw);
    expect(token).toBeTruthy();

    const { influencer } = (await post(score, token)).data.me;
    // Above every threshold of the demo campaigns she is offered (30, 45, 50, 55), by the model.
    const thresholds: Array<{ min: number }> = await api.dataSource.query(
      `SELECT max((c->'args'->>'min')::int) AS min FROM campaigns, jsonb_array_elements(targeting) c WHERE c->>'code' = 'MIN_SCORE' AND status = 'ACTIVE'`,
    );
    expect(influencer.score).toBeGreaterThan(55);
    if (thresholds[0]?.min) expect(influencer.score).toBeGreaterThan(thresholds[0].min);
    expect(influencer.scoreExplanation.summary[0]).toMatch(new RegExp(`^Score ${influencer.score} = `));
    expect(influencer.scoreExplanation.summary.join(' ')).toMatch(/\d+ accounts engaged with you/);
    expect(influencer.topics.map((t: { topic: { slug: string } }) => t.topic.slug)).toEqual(
      expect.arrayContaining(['food-coffee', 'food-baking']),
    );

    const answer = (await post(perks, token)).data;
    expect(answer.myOffers.totalCount).toBeGreaterThanOrEqual(2);
    expect(answer.myOffers.edges.length).toBe(answer.myOffers.totalCount);
    const claims = answer.myClaims.edges.map((e: { node: { status: string; code: string } }) => e.node);
    expect(claims.filter((c: { status: string }) => c.status === 'ACTIVE')).toHaveLength(1);
    expect(claims.filter((c: { status: string }) => c.status === 'REDEEMED')).toHaveLength(1);
    expect(claims.every((c: { code: string }) => /^[A-Z0-9-]{10,}$/.test(c.code))).toBe(true);
    expect(answer.unreadNotificationCount).toBeGreaterThan(0);
    const kinds = answer.notifications.edges.map((e: { node: { kind: string } }) => e.node.kind);
    expect(kinds.length).toBe(Math.min(answer.unreadNotificationCount, 20));
    expect(kinds).toEqual(expect.arrayContaining(['OFFER_NEW', 'CLAIM_REDEEMED']));
  });

  it('gives Ivan, the second demo influencer, a score above 30 from the same seed', async () => {
    const [logIn, score] = quickStartRequests();
    const asIvan = JSON.parse(JSON.stringify(logIn).replace('influencer@demo.perks', 'influencer2@demo.perks'));
    const token = tokenOf((await post(asIvan)).raw);
    const { influencer } = (await post(score, token)).data.me;
    expect(influencer.displayName).toBe('Ivan Influencer');
    expect(influencer.score).toBeGreaterThan(30);
  });
});
