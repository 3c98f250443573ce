import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import IORedis from 'ioredis';
import { assertNoEviction, readMaxmemoryPolicy } from '../../src/core/redis-policy';
import { startTestApi, type TestApi } from '../helpers/api';
import { createScratchDatabase } from '../helpers/database';
import { LOG_IN, logInAdmin, signUp } from '../helpers/graphql';
import { suitePrefix } from '../helpers/worker';
import { freePort, runEntry, waitForLog, type Running } from '../helpers/processes';

const METRICS_TOKEN = `metrics-${randomBytes(12).toString('hex')}`;
const RECOMPUTE = `mutation($date: String) { recomputeScores(date: $date) { __typename ... on ScoreRun { id } ... on ErrorResult { errorCode } } }`;
const RUN = `query($id: ID!) { scoreRun(id: $id) { status } }`;
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

/** A redis-server of the test's own: the shared one on 6379 is never reconfigured. */
async function privateRedis(args: string[]): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', os.tmpdir(), ...args],
    { stdio: 'ignore' },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `redis://127.0.0.1:${port}`;
  const probe = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    for (let i = 0; ; i++) {
      try {
        if (probe.status !== 'ready') await probe.connect();
        if ((await probe.ping()) === 'PONG') break;
      } catch (error) {
        if (i > 100) throw error;
        probe.disconnect();
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  } finally {
    probe.disconnect();
  }
  return {
    url,
    async stop() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

type Sample = { labels: Record<string, string>; value: number };

/** The Prometheus text format, reduced to name -> samples. */
function parseMetrics(text: string): Map<string, Sample[]> {
  const metrics = new Map<string, Sample[]>();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key] = value;
    const samples = metrics.get(match[1]) ?? [];
    samples.push({ labels, value: Number(match[3]) });
    metrics.set(match[1], samples);
  }
  return metrics;
}

function valueOf(metrics: Map<string, Sample[]>, name: string, labels: Record<string, string> = {}): number | undefined {
  return metrics.get(name)?.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

async function scrape(url: string, token?: string): Promise<{ status: number; body: string; metrics: Map<string, Sample[]> }> {
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const body = await response.text();
  return { status: response.status, body, metrics: parseMetrics(body) };
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('operations: metrics, the queue dashboard and the Redis policy check', () => {
  let database: { url: string; drop: () => Promise<void> };
  let api: TestApi;
  let worker: Running | undefined;
  let admin: string;
  const prefix = suitePrefix('ops');

  beforeAll(async () => {
    // A database of its own: this suite switches the current score run.
    database = await createScratchDatabase('ops');
    api = await startTestApi({ DATABASE_URL: database.url, BULLMQ_PREFIX: prefix, METRICS_TOKEN });
    admin = await logInAdmin(api.client);
  }, 60_000);

  afterAll(async () => {
    if (worker) {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
    await api?.stop();
    await database?.drop();
  }, 60_000);

  it('exposes HTTP, GraphQL, queue, score-run and process metrics on the API and the worker, after requests and a job', async () => {
    worker = runEntry('worker.ts', {
      DATABASE_URL: database.url,
      BULLMQ_PREFIX: prefix,
      WORKER_PORT: '0',
      HOST: '127.0.0.1',
      METRICS_TOKEN,
    });
    const ready = await waitForLog(worker, 'worker ready');

    for (let i = 0; i < 3; i++) await api.client.ok('query Me { me { email } }', {}, { token: admin });
    const invalid = await api.client.request('query Broken { noSuchField }', {}, { token: admin });
    expect(invalid.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const { recomputeScores } = await api.client.ok(RECOMPUTE, { date: yesterday }, { token: admin });
    expect(recomputeScores.__typename).toBe('ScoreRun');
    let status = '';
    for (let i = 0; i < 600 && status !== 'SUCCEEDED'; i++) {
      ({
        scoreRun: { status },
      } = await api.client.ok(RUN, { id: recomputeScores.id }, { token: admin }));
      expect(status).not.toBe('FAILED');
      if (status !== 'SUCCEEDED') await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe('SUCCEEDED');

    // The run's row says SUCCEEDED a moment before its job completes (history purge, follow-up
    // jobs): scrape until the job is no longer active, for up to 10 s, then check everything.
    let { status: httpStatus, metrics } = await scrape(`${api.url}/metrics`, METRICS_TOKEN);
    for (let i = 0; i < 100 && valueOf(metrics, 'perks_queue_jobs', { queue: 'scoring', state: 'active' }) !== 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      ({ status: httpStatus, metrics } = await scrape(`${api.url}/metrics`, METRICS_TOKEN));
    }
    expect(httpStatus).toBe(200);
    // HTTP: every request so far went through /graphql with 200.
    expect(
      valueOf(metrics, 'perks_http_request_duration_seconds_count', { method: 'POST', route: '/graphql', status: '200' }),
    ).toBeGreaterThanOrEqual(5);
    const httpSum = valueOf(metrics, 'perks_http_request_duration_seconds_sum', { method: 'POST', route: '/graphql', status: '200' })!;
    expect(httpSum).toBeGreaterThan(0);
    expect(httpSum).toBeLessThan(60);
    // GraphQL: by operation name and type, errors by code.
    expect(valueOf(metrics, 'perks_graphql_operation_duration_seconds_count', { operation: 'Me', type: 'query' })).toBe(3);
    expect(valueOf(metrics, 'perks_graphql_operation_duration_seconds_count', { type: 'mutation' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(metrics, 'perks_graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(valueOf(metrics, 'perks_graphql_errors_total', { operation: 'Me' })).toBeUndefined();
    // Queues, read from Redis at scrape time: the run's job is done and the worker's schedulers wait.
    expect(valueOf(metrics, 'perks_queue_jobs', { queue: 'scoring', state: 'completed' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(metrics, 'perks_queue_jobs', { queue: 'scoring', state: 'active' })).toBe(0);
    expect(valueOf(metrics, 'perks_queue_jobs', { queue: 'maintenance', state: 'delayed' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(metrics, 'perks_queue_jobs', { queue: 'matching', state: 'waiting' })).toBeDefined();
    // The last run's phases, from score_runs.
    const phase = (p: string) => valueOf(metrics, 'perks_score_run_phase_seconds', { phase: p })!;
    for (const p of ['loading', 'computing', 'writing', 'switching']) expect(phase(p)).toBeGreaterThanOrEqual(0);
    expect(phase('total')).toBeGreaterThan(0);
    expect(phase('loading') + phase('computing') + phase('writing')).toBeLessThanOrEqual(phase('total') + 0.001);
    const finished = valueOf(metrics, 'perks_score_run_last_success_timestamp_seconds')!;
    expect(Math.abs(Date.now() / 1000 - finished)).toBeLessThan(120);
    expect(metrics.get('perks_score_run_in_progress') ?? []).toEqual([]);
    expect(valueOf(metrics, 'perks_metrics_source_up', { source: 'redis' })).toBe(1);
    expect(valueOf(metrics, 'perks_metrics_source_up', { source: 'postgres' })).toBe(1);
    // Node's own.
    expect(valueOf(metrics, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(valueOf(metrics, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);

    // The scrape itself is counted on its route, not under /graphql: once more than the scrapes
    // before it (how many there were depends on how soon the run's job left 'active' above).
    const scrapes = { method: 'GET', route: '/metrics', status: '200' };
    const before = valueOf(metrics, 'perks_http_request_duration_seconds_count', scrapes) ?? 0;
    const again = await scrape(`${api.url}/metrics`, METRICS_TOKEN);
    expect(valueOf(again.metrics, 'perks_http_request_duration_seconds_count', scrapes)).toBe(before + 1);

    // The worker's health port: its own job counts, and the same queue and score-run gauges.
    const fromWorker = await scrape(ready.metrics, METRICS_TOKEN);
    expect(fromWorker.status).toBe(200);
    const w = fromWorker.metrics;
    expect(valueOf(w, 'perks_jobs_total', { queue: 'scoring', name: 'recompute-scores', outcome: 'completed' })).toBe(1);
    expect(valueOf(w, 'perks_job_duration_seconds_count', { queue: 'scoring', name: 'recompute-scores', outcome: 'completed' })).toBe(1);
    expect(valueOf(w, 'perks_job_duration_seconds_sum', { name: 'recompute-scores' })).toBeGreaterThan(0);
    expect(valueOf(w, 'perks_queue_jobs', { queue: 'scoring', state: 'completed' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(w, 'perks_score_run_phase_seconds', { phase: 'total' })).toBe(phase('total'));
    expect(valueOf(w, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(valueOf(w, 'perks_http_request_duration_seconds_count')).toBeUndefined();
  }, 180_000);

  it('serves /metrics only with the token, and not at all on a production API without one', async () => {
    for (const token of [undefined, 'wrong-token-0123456789', `${METRICS_TOKEN}x`]) {
      const { status, body } = await scrape(`${api.url}/metrics`, token);
      expect(status).toBe(401);
      expect(body).not.toContain('perks_');
    }
    const worker401 = await scrape((await waitForLog(worker!, 'worker ready')).metrics, 'wrong-token-0123456789');
    expect(worker401.status).toBe(401);
    expect(worker401.body).not.toContain('perks_');

    const production = await startTestApi({ DATABASE_URL: database.url, BULLMQ_PREFIX: prefix, NODE_ENV: 'production' });
    try {
      expect((await fetch(`${production.url}/metrics`)).status).toBe(404);
      expect((await fetch(`${production.url}/healthz`)).status).toBe(200);
    } finally {
      await production.stop();
    }
  }, 60_000);

  it('lets only an operator into /admin/queues, and refuses everyone else without saying why', async () => {
    const dashboard = `${api.url}/admin/queues`;
    const get = (authorization?: string, url = dashboard) => fetch(url, { headers: authorization ? { authorization } : {} });
    const brand = await signUp(api.client, 'BRAND');

    const anonymous = await get();
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const refusals = [
      await get(basic(brand.email, 'correct horse battery')), // a brand with its right password
      await get(basic(process.env.ADMIN_EMAIL!, 'not-the-admin-password')),
      await get(basic('nobody@test.perks', 'whatever-password')),
      await get('Bearer not-a-token'),
    ];
    for (const response of refusals) {
      expect(response.status).toBe(401);
      expect(await response.text()).toBe('Unauthorized\n');
    }
    // A valid token of someone who is not an operator.
    const brandToken = await get(`Bearer ${brand.token}`);
    expect(brandToken.status).toBe(403);
    expect(await brandToken.text()).toBe('Forbidden\n');
    const brandApi = await get(basic(brand.email, 'correct horse battery'), `${dashboard}/api/queues`);
    expect(brandApi.status).toBe(401);

    const adminBasic = basic(process.env.ADMIN_EMAIL!, process.env.ADMIN_PASSWORD!);
    const page = await get(adminBasic);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const queues = await get(adminBasic, `${dashboard}/api/queues`);
    expect(queues.status).toBe(200);
    const body = (await queues.json()) as { queues: Array<{ name: string }> };
    expect(body.queues.map((q) => q.name).sort()).toEqual(['email', 'maintenance', 'matching', 'scoring', 'webhooks']);
    // A script with an admin's bearer token.
    expect((await get(`Bearer ${admin}`, `${dashboard}/api/queues`)).status).toBe(200);

    // A change sent from another site with the admin's browser credentials is refused.
    const forged = await fetch(`${dashboard}/api/queues/scoring/pause`, {
      method: 'PUT',
      headers: { authorization: adminBasic, origin: 'https://evil.example' },
    });
    expect(forged.status).toBe(403);
    expect(await api.queues.scoring.isPaused()).toBe(false);
    // The same request from the dashboard's own page goes through.
    const own = (action: string) =>
      fetch(`${dashboard}/api/queues/scoring/${action}`, { method: 'PUT', headers: { authorization: adminBasic, origin: api.url } });
    expect((await own('pause')).status).toBe(200);
    expect(await api.queues.scoring.isPaused()).toBe(true);
    expect((await own('resume')).status).toBe(200);
    expect(await api.queues.scoring.isPaused()).toBe(false);
  }, 60_000);

  it('counts password guesses at the dashboard against the same limit as logIn', async () => {
    const target = await signUp(api.client, 'BRAND');
    const limit = api.env.RATE_LIMIT_LOGIN_EMAIL!.limit;
    for (let i = 0; i < limit; i++) {
      const guess = await fetch(`${api.url}/admin/queues`, { headers: { authorization: basic(target.email, `guess-${i}`) } });
      expect(guess.status).toBe(401);
    }
    const limited = await fetch(`${api.url}/admin/queues`, { headers: { authorization: basic(target.email, 'guess-again') } });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // The log-in mutation sees the same counter, right password or not.
    const logIn = await api.client.request(LOG_IN, { input: { email: target.email, password: 'correct horse battery' } });
    expect(logIn.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
  }, 60_000);

  it('refuses to start on a Redis whose maxmemory-policy is not noeviction, saying what to do', async () => {
    const lru = await privateRedis(['--maxmemory-policy', 'allkeys-lru']);
    // CONFIG disabled, as on some managed services: the policy is read from INFO memory.
    const noConfig = await privateRedis(['--maxmemory-policy', 'volatile-ttl', '--rename-command', 'CONFIG', '']);
    const clients: IORedis[] = [];
    try {
      const api = runEntry('main.ts', {
        DATABASE_URL: database.url,
        BULLMQ_PREFIX: prefix,
        PORT: '0',
        HOST: '127.0.0.1',
        REDIS_URL: lru.url,
      });
      expect(await api.exited).toBe(1);
      const stderr = api.stderr.join('');
      expect(stderr).toContain('maxmemory-policy "allkeys-lru"');
      expect(stderr).toContain('CONFIG SET maxmemory-policy noeviction');
      expect(api.logs.find((l) => l.msg === 'API listening')).toBeUndefined();

      const client = new IORedis(noConfig.url, { maxRetriesPerRequest: 1 });
      clients.push(client);
      await expect(client.config('GET', 'maxmemory-policy')).rejects.toThrow();
      expect(await readMaxmemoryPolicy(client)).toBe('volatile-ttl');
      await expect(assertNoEviction(client)).rejects.toThrow(/maxmemory-policy "volatile-ttl"; BullMQ needs "noeviction"/);

      const shared = new IORedis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
      clients.push(shared);
      await expect(assertNoEviction(shared)).resolves.toBeUndefined();
    } finally {
      for (const c of clients) c.disconnect();
      await Promise.all([lru.stop(), noConfig.stop()]);
    }
  }, 90_000);
});
