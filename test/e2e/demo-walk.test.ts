import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import { operationName } from '../../src/client/execute';
import type { WorkerRuntime } from '../../src/core/worker-runtime';
import { logger } from '../../src/core/logger';
import { seedDemoIfEmpty } from '../../src/scripts/demo-data';
import { walkDemo } from '../../src/scripts/demo-walk';
import { startTestApi, type TestApi } from '../helpers/api';
import { createScratchDatabase } from '../helpers/database';
import { freePort, runEntry } from '../helpers/processes';
import { startTestWorker, suitePrefix } from '../helpers/worker';

/**
 * The demo as a newcomer walks it: the demo seed into a fresh database (as `npm start` does), the
 * worker started after it, then the three requests the README's quick start ends with, read from
 * the README itself (so that the README cannot drift from what the demo answers) and sent over
 * HTTP to the real API. Then `npm run demo:walk` (src/scripts/demo-walk.ts) plays every operation
 * of examples/ on the same demo, twice: once in this process through the e2e client's typed
 * overload, once as the script runs for a newcomer.
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
    // Private URLs allowed: the walk's webhook endpoint is its own receiver on loopback.
    api = await startTestApi({ DATABASE_URL: database.url, BULLMQ_PREFIX: suitePrefix('demo'), WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
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

  it('plays every example of examples/ with `npm run demo:walk`, and again on the same data', async () => {
    const examples = path.join(__dirname, '../../examples');
    const files = readdirSync(examples, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.graphql'))
      .map((f) => f.split(path.sep).join('/'));
    const lines: string[] = [];
    const steps = await walkDemo({
      url: api.url,
      adminEmail: api.env.ADMIN_EMAIL,
      adminPassword: api.env.ADMIN_PASSWORD,
      // The e2e client's typed overload sends the generated documents.
      send: (document, variables, credentials) => api.client.ok(document, variables, credentials),
      print: (line) => lines.push(line),
      waitMs: 90_000,
    });
    expect(lines).toHaveLength(steps.length);
    // Every file is played, under the operation it holds.
    expect(new Set(steps.map((s) => `${s.journey}/${s.file}`))).toEqual(new Set(files));
    for (const s of steps) {
      expect([s.file, s.operation]).toEqual([s.file, operationName(parse(readFileSync(path.join(examples, s.journey, s.file), 'utf8')))]);
    }
    const summary = (file: string) => steps.find((s) => `${s.journey}/${s.file}` === file)!.summary;
    expect(summary('accounts/01-log-in.graphql')).toMatch(/signed in as ADMIN/);
    expect(summary('operator/04-follow-score-run.graphql')).toMatch(/SUCCEEDED/);
    expect(summary('connector/02-ingest-activity.graphql')).toMatch(
      /^accepted 3, duplicates 0, rejected 1 \(posts\[1\] demo-walk-post-2: /,
    );
    expect(summary('brand/04-campaign-funnel.graphql')).toMatch(/^ACTIVE: [1-9]\d* offered/);
    expect(summary('agency/02-eligibility.graphql')).toBe('Ines is eligible; has an open offer');
    expect(summary('influencer/03-claim-offer.graphql')).toMatch(/^claimed: ACTIVE, code [A-Z0-9-]{10,}$/);
    expect(summary('brand/06-redeem-claim.graphql')).toMatch(/: REDEEMED$/);
    expect(summary('brand/07-claims-ledger.graphql')).toMatch(/^1 claim\(s\): Ines Influencer \[.*INSTAGRAM ines\.eats.*\] REDEEMED$/);
    expect(summary('brand/08-webhook-deliveries.graphql')).toMatch(
      /^CLAIM_REDEEMED SUCCEEDED after 1 attempt\(s\) \(HTTP 200\); received here 1, signature valid$/,
    );
    expect(summary('brand/10-end-campaign.graphql')).toMatch(/^ENDED: .* 1 claimed, 1 redeemed/);

    // What the walk left behind, read in the database: its campaign ended, Ines's claim redeemed,
    // its key revoked, its endpoint gone.
    const [walked] = await api.dataSource.query(
      `SELECT c.status, cl.status AS claim FROM campaigns c JOIN claims cl ON cl.campaign_id = c.id WHERE c.name LIKE 'Espresso kit (demo walk %'`,
    );
    expect(walked).toEqual({ status: 'ENDED', claim: 'REDEEMED' });
    expect(
      await api.dataSource.query(`SELECT revoked_at IS NOT NULL AS revoked FROM api_keys WHERE name LIKE 'demo walk connector %'`),
    ).toEqual([{ revoked: true }]);
    expect(await api.dataSource.query(`SELECT count(*)::int AS n FROM webhook_endpoints`)).toEqual([{ n: 0 }]);

    // Again, as a newcomer runs it (its own process, DEMO_URL): the same demo data takes a second
    // walk, here through an API with the default WEBHOOK_ALLOW_PRIVATE_URLS (as under `npm start`),
    // which refuses the walk's loopback receiver: the walk says so and goes on.
    const strict = await startTestApi({
      DATABASE_URL: database.url,
      BULLMQ_PREFIX: api.env.BULLMQ_PREFIX,
      WEBHOOK_ALLOW_PRIVATE_URLS: 'false',
    });
    const again = runEntry('scripts/demo-walk.ts', { DEMO_URL: strict.url, LOG_LEVEL: 'silent' }, 'demo:walk');
    const exitCode = await again.exited;
    await strict.stop();
    expect([exitCode, again.stderr.join('')]).toEqual([0, expect.any(String)]); // stderr shown if it failed
    const printed = again.logs.map((l) => String(l.msg));
    expect(printed[0]).toBe(`Walking the demo journeys against ${strict.url} (examples/: one line per operation played)`);
    expect(printed.at(-1)).toBe(`${steps.length} steps, all succeeded`);
    const line = (file: string) => printed.find((l) => l.startsWith(file));
    expect(line('connector/02-ingest-activity.graphql')).toMatch(/accepted 0, duplicates 3, rejected 1/);
    expect(line('brand/05-create-webhook-endpoint.graphql')).toMatch(/refused: .*WEBHOOK_ALLOW_PRIVATE_URLS=true/);
    expect(line('brand/08-webhook-deliveries.graphql')).toMatch(/no endpoint \(refused above\)$/);
    expect(line('brand/06-redeem-claim.graphql')).toMatch(/: REDEEMED$/);
    expect(
      await api.dataSource.query(
        `SELECT count(*)::int AS n FROM campaigns WHERE name LIKE 'Espresso kit (demo walk %' AND status = 'ENDED'`,
      ),
    ).toEqual([{ n: 2 }]);
  });

  it('stops at the first step that fails, naming it and why', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const walk = walkDemo({ url: closed, adminEmail: 'admin@test.perks', adminPassword: 'x', print: () => undefined });
    await expect(walk).rejects.toThrow(`accounts/01-log-in.graphql (LogIn) failed: cannot reach ${closed}/graphql: ECONNREFUSED`);
    const wrong = walkDemo({ url: api.url, adminEmail: api.env.ADMIN_EMAIL, adminPassword: 'not-the-password', print: () => undefined });
    await expect(wrong).rejects.toThrow(
      /^accounts\/01-log-in\.graphql \(LogIn\) failed: AuthPayload expected, got InvalidCredentialsError: .* \(the walk signs the operator in with ADMIN_EMAIL \/ ADMIN_PASSWORD/,
    );
  });
});
