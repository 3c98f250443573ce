import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { RUN_LOCK } from '../../src/core/locks';
import { connectorKey, connectVerified, establishedAccount, ingestAccounts } from '../helpers/accounts';
import { GraphQLClient, logInAdmin, signUp, type SignedUp } from '../helpers/graphql';
import { freePort, runEntry, waitForLog, type Running } from '../helpers/processes';
import { sleep, until } from '../helpers/wait';

/**
 * Faults survived, with real processes (API and two workers run from src/ through ts-node) on a
 * Postgres cluster and a Redis server of this suite's own, which it kills and restarts. The
 * machine's shared Postgres and Redis are never touched: other suites run against them.
 */

const PG_BIN = '/usr/lib/postgresql/15/bin';
const run = promisify(execFile);

const dayString = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

/** True when a Redis server answers PING on the port. */
function redisAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setTimeout(500);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      socket.destroy();
      resolve(chunk.toString().startsWith('+PONG'));
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** A Redis server of our own, without persistence: a restart loses every key, as a crash would. */
class PrivateRedis {
  private child?: ChildProcess;
  constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--maxmemory-policy',
        'noeviction',
        '--dir',
        this.dir,
      ],
      { stdio: 'ignore' },
    );
    await until('redis to answer', () => redisAnswers(this.port), 10_000, 50);
  }

  /** Killed, not shut down: clients see their connections drop. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
}

/** A Postgres cluster of our own (initdb refuses root, so it runs as the postgres user when we are root). */
class PrivatePostgres {
  readonly dir: string;
  constructor(readonly port: number) {
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'perks-faults-pg-'));
    if (process.getuid?.() === 0) {
      const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
      chownSync(this.dir, id('-u'), id('-g'));
    }
  }

  private exec(binary: string, args: string[]) {
    const command = path.join(PG_BIN, binary);
    return process.getuid?.() === 0 ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args);
  }

  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async init(): Promise<void> {
    await this.exec('initdb', ['-D', `${this.dir}/data`, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  }

  async start(): Promise<void> {
    // fsync off: a killed server still keeps every commit (the kernel has it); only a machine crash would not.
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=100`;
    await this.exec('pg_ctl', ['-D', `${this.dir}/data`, '-l', `${this.dir}/log`, '-o', options, '-w', '-t', '60', 'start']);
  }

  /** An immediate stop is a crash: backends are killed, nothing is checkpointed, the next start recovers from WAL. */
  async crash(): Promise<void> {
    await this.exec('pg_ctl', ['-D', `${this.dir}/data`, '-m', 'immediate', '-w', 'stop']);
  }

  async destroy(): Promise<void> {
    await this.crash().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const alive = (proc: Running) => proc.child.exitCode === null && proc.child.signalCode === null;

async function stopProc(proc: Running | undefined): Promise<void> {
  if (!proc || !alive(proc)) return;
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 8_000);
  await proc.exited;
  clearTimeout(timer);
}

/** What a client may see in an error answer: a code and a sentence, never internals. */
const LEAKS =
  /(\s+at\s+\S+\s+\(|\.ts:\d+|\/src\/|node_modules|QueryFailedError|TypeORM|ECONNREFUSED|SELECT\s|INSERT\s|UPDATE\s|pg_|postgres)/i;

const RECOMPUTE = `mutation($date: String) { recomputeScores(date: $date) { __typename ... on ScoreRun { id status } ... on ErrorResult { message } } }`;
const RUN = `query($id: ID!) { scoreRun(id: $id) { id status phase isCurrent error } }`;
const SCORED_ON = `{ influencerByHandle(network: X, handle: "hub0") { scoredOn score } }`;
const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { __typename ... on Campaign { id } ... on ErrorResult { message } } }`;
const LAUNCH = `mutation($id: ID!) { launchCampaign(id: $id) { __typename ... on Campaign { status } } }`;
const CLAIM = `mutation($offerId: ID!, $key: String) {
  claimOffer(offerId: $offerId, idempotencyKey: $key) { __typename ... on Claim { id code status } ... on ErrorResult { errorCode } }
}`;
const CANCEL = `mutation($id: ID!) { cancelClaim(claimId: $id) { __typename ... on Claim { status } ... on ErrorResult { errorCode } } }`;
const REDEEM = `mutation($code: String!) { redeemClaim(code: $code) { __typename ... on Claim { status } ... on ErrorResult { errorCode } } }`;

describe('faults survived (real processes, private Postgres and Redis)', () => {
  let redis: PrivateRedis;
  let pg: PrivatePostgres;
  let redisDir: string;
  let db: Client;
  let api: Running;
  const workers: Running[] = [];
  const killed = new Set<Running>();
  let client: GraphQLClient;
  let admin: string;
  let brand: SignedUp;
  let influencers: Array<SignedUp & { influencerId: string }>;
  const prefix = `perks-faults-${randomUUID().slice(0, 6)}`;
  let env: Record<string, string>;

  const startWorker = (name: string) => {
    const worker = runEntry('worker.ts', { ...env, LOG_LEVEL: 'debug' }, name);
    workers.push(worker);
    return worker;
  };
  /** A score run attempt's job id, as src/modules/scoring/scoring.service.ts builds it (with the database's instance id). */
  const runJobId = async (runId: string | number, attempt: number | string = 1) =>
    `score-run-${(await db.query('SELECT id FROM instance')).rows[0].id}-${runId}-${attempt}`;
  const waitForRun = async (id: string, done: (r: { status: string; phase: string }) => boolean, timeoutMs = 30_000) =>
    until(
      `score run ${id}`,
      async () => {
        const { scoreRun } = await client.ok(RUN, { id }, { token: admin });
        return done(scoreRun) && scoreRun;
      },
      timeoutMs,
      100,
    );
  const snapshot = async (runId: string) =>
    (
      await db.query(
        `SELECT s.influencer_id, s.score, s.reach, s.amplification, s.authority, s.reach_raw, s.amplification_raw, s.authority_raw,
                coalesce((SELECT json_agg(json_build_array(t.topic_id, t.score, t.engagement) ORDER BY t.topic_id)
                          FROM influencer_topic_scores t WHERE t.run_id = s.run_id AND t.influencer_id = s.influencer_id), '[]') AS topics
         FROM influencer_scores s WHERE s.run_id = $1 ORDER BY s.influencer_id`,
        [runId],
      )
    ).rows;
  const campaign = async (name: string, inventory: number, maxOutstandingOffers: number): Promise<string> => {
    const { createCampaign } = await client.ok(
      CREATE,
      {
        input: {
          name,
          perk: { title: 'Tasting kit', kind: 'PRODUCT', valueCents: 2500, currency: 'EUR' },
          inventory,
          maxOutstandingOffers,
          endsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        },
      },
      brand,
    );
    if (createCampaign.__typename !== 'Campaign') throw new Error(createCampaign.message);
    expect((await client.ok(LAUNCH, { id: createCampaign.id }, brand)).launchCampaign.status).toBe('ACTIVE');
    return createCampaign.id;
  };
  const openOffers = async (campaignId: string) =>
    (
      await db.query<{ id: string; influencer_id: string }>(
        `SELECT id, influencer_id FROM offers WHERE campaign_id = $1 AND status = 'OFFERED'`,
        [campaignId],
      )
    ).rows;
  const personOf = (influencerId: string) => influencers.find((p) => p.influencerId === influencerId)!;

  beforeAll(async () => {
    const [redisPort, pgPort] = [await freePort(), await freePort()];
    redisDir = mkdtempSync(path.join(os.tmpdir(), 'perks-faults-redis-'));
    redis = new PrivateRedis(redisPort, redisDir);
    pg = new PrivatePostgres(pgPort);
    await Promise.all([redis.start(), pg.init().then(() => pg.start())]);
    env = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      DATABASE_URL: pg.url('perks'),
      REDIS_URL: redis.url,
      BULLMQ_PREFIX: prefix,
      HOST: '127.0.0.1',
      PORT: '0',
      WORKER_PORT: '0',
      SHUTDOWN_TIMEOUT_MS: '5000',
      // Seconds, not minutes: a dead worker's job is taken back within about lock + 2 checks.
      WORKER_STALLED_INTERVAL_MS: '1000',
      WORKER_LOCK_DURATION_MS: '3000',
      OUTBOX_POLL_MS: '300',
      REDIS_COMMAND_TIMEOUT_MS: '1000',
    };
    // The API creates and migrates the database; the workers wait for it under the same lock.
    api = runEntry('main.ts', env, 'api');
    const listening = await waitForLog(api, 'API listening', undefined, 90_000);
    client = new GraphQLClient(listening.url);
    startWorker('worker-a');
    startWorker('worker-b');
    db = new Client({ connectionString: pg.url('perks') });
    db.on('error', () => undefined);
    await db.connect();

    admin = await logInAdmin(client);
    const connector = await connectorKey(client, admin);
    brand = await signUp(client, 'BRAND');
    const people = await Promise.all(Array.from({ length: 40 }, () => signUp(client, 'INFLUENCER', { country: 'FR' })));
    // Some engagement, so scores differ and a wrong recovery would show in them.
    for (const [i, person] of people.slice(0, 4).entries()) {
      await connectVerified(client, person, connector, { network: 'X', handle: `hub${i}` });
    }
    await ingestAccounts(
      client,
      connector,
      Array.from({ length: 70 }, (_, i) => establishedAccount('X', `fan${i}`)),
    );
    const { ingestActivity } = await client.ok(
      `mutation($input: IngestActivityInput!) { ingestActivity(input: $input) { ... on IngestReport { accepted rejected } } }`,
      {
        input: {
          posts: [{ externalId: 'p0', network: 'X', authorHandle: 'hub1', topics: ['tech-ai'], postedAt: daysAgo(10) }],
          interactions: Array.from({ length: 300 }, (_, i) => ({
            externalId: `i${i}`,
            network: 'X',
            kind: i % 3 ? 'RESHARE' : 'REPLY',
            actorHandle: `fan${i % 70}`,
            targetHandle: `hub${i % 4}`,
            postExternalId: i % 4 === 1 ? 'p0' : undefined,
            occurredAt: daysAgo(3 + (i % 40)),
          })),
        },
      },
      { apiKey: connector },
    );
    expect(ingestActivity.rejected).toBe(0);
    const ids = (await db.query<{ id: string; user_id: string }>(`SELECT id, user_id FROM influencers`)).rows;
    influencers = people.map((p) => ({ ...p, influencerId: ids.find((r) => r.user_id === p.userId)!.id }));

    await Promise.all(workers.map((w) => waitForLog(w, 'worker ready', undefined, 90_000)));
    const { recomputeScores } = await client.ok(RECOMPUTE, { date: dayString(3) }, { token: admin });
    expect((await waitForRun(recomputeScores.id, (r) => r.status === 'SUCCEEDED' || r.status === 'FAILED')).status).toBe('SUCCEEDED');
  }, 150_000);

  afterAll(async () => {
    await Promise.all([stopProc(api), ...workers.map(stopProc)]);
    await db?.end().catch(() => undefined);
    await redis?.stop();
    if (redisDir) rmSync(redisDir, { recursive: true, force: true });
    await pg?.destroy();
  }, 30_000);

  it('takes a score run back from a worker killed mid-run; the old snapshot stays current; the result equals a clean run', async () => {
    const previous = dayString(3);
    const date = dayString(2);
    // Hold the snapshot parent, so the run stops at its switch: the worker is then killed mid-run.
    const blocker = new Client({ connectionString: pg.url('perks') });
    blocker.on('error', () => undefined);
    await blocker.connect();
    let runId: string;
    let victim: Running;
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE influencer_scores IN EXCLUSIVE MODE');
      runId = (await client.ok(RECOMPUTE, { date }, { token: admin })).recomputeScores.id;
      await waitForRun(runId, (r) => r.phase === 'SWITCHING');
      const jobId = await runJobId(runId);
      // The worker whose latest line about the job is its start: another may have started it first
      // and failed it busy (the previous run's worker still held the run lock), before the retry ran here.
      const started = (w: Running) => w.logs.filter((l) => l.job === 'recompute-scores' && l.jobId === jobId).at(-1)?.msg === 'job started';
      victim = await until('the worker running the job', async () => workers.find(started), 30_000);
      expect((await client.ok(SCORED_ON, {}, { token: admin })).influencerByHandle.scoredOn).toBe(previous);

      killed.add(victim);
      victim.child.kill('SIGKILL');
      await victim.exited;
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      await blocker.end().catch(() => undefined);
    }
    // The row still says RUNNING: nobody but the other worker's stalled check can know its worker died.
    const [row] = (await db.query(`SELECT status FROM score_runs WHERE id = $1`, [runId])).rows;
    expect(row.status).toBe('RUNNING');

    const rescuer = workers.find((w) => w !== victim && alive(w))!;
    const seen: string[] = [];
    const done = await until(
      'the run to be taken back and finished',
      async () => {
        // The snapshot first: once it shows the new date, the run read next must have succeeded.
        const { influencerByHandle } = await client.ok(SCORED_ON, {}, { token: admin });
        const { scoreRun } = await client.ok(RUN, { id: runId }, { token: admin });
        seen.push(`${influencerByHandle.scoredOn}:${scoreRun.status}`);
        return scoreRun.status === 'SUCCEEDED' && influencerByHandle.scoredOn === date && scoreRun;
      },
      30_000,
      100,
    );
    expect(done.isCurrent).toBe(true);
    // Until the switch, every read saw the previous snapshot whole (API processes cache the pointer briefly).
    for (const s of seen) expect(s.startsWith(`${previous}:`) || s === `${date}:SUCCEEDED`).toBe(true);
    expect(seen.filter((s) => s.startsWith(`${previous}:`)).length).toBeGreaterThan(0);
    const jobId = await runJobId(runId);
    await waitForLog(rescuer, 'job stalled (its worker died); taken back', (l) => l.jobId === jobId, 30_000);
    await waitForLog(rescuer, 'score run finished', (l) => String(l.runId) === String(runId), 30_000);
    const recovered = await snapshot(runId);
    expect(recovered.length).toBe(influencers.length);

    // A clean run of the same date on the same data gives the same scores, bit for bit.
    // (The run is current, so the previous one takes the pointer back while it is recomputed.)
    await db.query('BEGIN');
    await db.query(`UPDATE score_runs SET status = 'FAILED', is_current = false WHERE id = $1`, [runId]);
    await db.query(`UPDATE score_runs SET is_current = true WHERE run_date = $1`, [previous]);
    await db.query('COMMIT');
    expect((await client.ok(RECOMPUTE, { date }, { token: admin })).recomputeScores.id).toBe(runId);
    await waitForRun(runId, (r) => r.status === 'SUCCEEDED');
    expect(await snapshot(runId)).toEqual(recovered);
  }, 120_000);

  it('marks a run whose job died for good FAILED, so asking again re-arms it', async () => {
    // As after a job taken back from dead workers more than maxStalledCount times: the row says
    // RUNNING, the job is failed, and no handler ever recorded why.
    const date = dayString(6);
    const [stuck] = (
      await db.query(
        `INSERT INTO score_runs (run_date, trigger, status, phase, started_at) VALUES ($1, 'ADMIN', 'RUNNING', 'LOADING', now()) RETURNING id, attempt`,
        [date],
      )
    ).rows;
    const jobId = await runJobId(stuck.id, stuck.attempt);
    const scoring = new Queue('scoring', { connection: { host: '127.0.0.1', port: redis.port }, prefix });
    try {
      await scoring.add('no-such-job', {}, { jobId }); // fails at once, without retries
      await until('the job to fail', async () => (await (await scoring.getJob(jobId))?.getState()) === 'failed');
      expect((await client.ok(RECOMPUTE, { date }, { token: admin })).recomputeScores).toMatchObject({
        id: String(stuck.id),
        status: 'RUNNING',
      });
      await scoring.add('resume-score-runs', {}); // the 10-minute sweep, now
      const failed = await waitForRun(String(stuck.id), (r) => r.status === 'FAILED');
      expect(failed.error).toMatch(/^job failed: /);
    } finally {
      await scoring.close();
    }
    const { recomputeScores } = await client.ok(RECOMPUTE, { date }, { token: admin });
    expect(recomputeScores).toMatchObject({ id: String(stuck.id), status: 'PENDING' });
    expect((await waitForRun(recomputeScores.id, (r) => r.status === 'SUCCEEDED' || r.status === 'FAILED')).status).toBe('SUCCEEDED');
  }, 60_000);

  it('keeps claims and redemptions working while Redis is down, and delivers what was enqueued once it is back', async () => {
    const campaignId = await campaign('Redis outage', 20, 10);
    const offers = await until('the launch match', async () => {
      const open = await openOffers(campaignId);
      return open.length === 10 && open;
    });
    const claimed: Array<{ id: string; code: string }> = [];
    for (const offer of offers.slice(0, 3)) {
      const { claimOffer } = await client.ok(CLAIM, { offerId: offer.id }, personOf(offer.influencer_id));
      expect(claimOffer.__typename).toBe('Claim');
      claimed.push(claimOffer);
    }

    // A run queued in Redis when it dies: a session holds the run lock, so the job waits there for a retry.
    await db.query('SELECT pg_advisory_lock($1)', [RUN_LOCK]);
    const queuedDate = dayString(1);
    const queued = (await client.ok(RECOMPUTE, { date: queuedDate }, { token: admin })).recomputeScores;
    expect(queued.status).toBe('PENDING');
    const queuedJobId = await runJobId(queued.id);
    await until('a worker to try the queued run', async () =>
      workers.some((w) => w.logs.some((l) => l.msg === 'job failed' && l.jobId === queuedJobId)),
    );

    await redis.stop();
    await db.query('SELECT pg_advisory_unlock($1)', [RUN_LOCK]);
    const timed = async <T>(fn: () => Promise<T>): Promise<T> => {
      const started = Date.now();
      const result = await fn();
      // Fails fast: never the minutes a request would wait on a reconnecting Redis.
      expect(Date.now() - started).toBeLessThan(5_000);
      return result;
    };
    // Claim, redeem and cancel: none of them needs Redis; the cancel's match request waits in the outbox.
    const { claimOffer } = await timed(() =>
      client.ok(CLAIM, { offerId: offers[3].id, key: randomUUID() }, personOf(offers[3].influencer_id)),
    );
    expect(claimOffer.__typename).toBe('Claim');
    expect((await timed(() => client.ok(REDEEM, { code: claimed[0].code }, brand))).redeemClaim.status).toBe('REDEEMED');
    expect((await timed(() => client.ok(CANCEL, { id: claimed[1].id }, brand))).cancelClaim.status).toBe('CANCELLED');
    // A score run requested now is recorded and waits in the outbox too.
    const date = dayString(0);
    const { recomputeScores } = await timed(() => client.ok(RECOMPUTE, { date }, { token: admin }));
    expect(recomputeScores.status).toBe('PENDING');
    const outbox = (await db.query(`SELECT name, data FROM job_outbox ORDER BY id`)).rows;
    expect(outbox).toEqual(
      expect.arrayContaining([
        { name: 'match-campaign', data: { campaignId } },
        { name: 'recompute-scores', data: { runId: Number(recomputeScores.id) } },
      ]),
    );
    const [stock] = (
      await db.query(
        `SELECT inventory - remaining AS held, (SELECT count(*)::int FROM claims WHERE campaign_id = $1 AND status <> 'CANCELLED') AS claims
         FROM campaigns WHERE id = $1`,
        [campaignId],
      )
    ).rows;
    expect(stock).toEqual({ held: 3, claims: 3 });
    await sleep(1_500); // the workers keep running without Redis (they retry, they do not exit)
    expect(workers.filter((w) => !killed.has(w)).every(alive)).toBe(true);
    const logsBefore = new Map(workers.map((w) => [w, w.logs.length]));

    // Redis comes back empty (no persistence): Postgres still knows what must run.
    await redis.start();
    const run = await waitForRun(recomputeScores.id, (r) => r.status === 'SUCCEEDED', 40_000);
    expect(run.isCurrent).toBe(true);
    await until(
      'the new snapshot to be served',
      async () => (await client.ok(SCORED_ON, {}, { token: admin })).influencerByHandle.scoredOn === date,
    );
    // The run that was waiting in the lost Redis was re-derived from Postgres and ran too.
    expect((await waitForRun(queued.id, (r) => r.status === 'SUCCEEDED', 40_000)).isCurrent).toBe(false);
    expect(
      workers.some((w) =>
        w.logs
          .slice(logsBefore.get(w))
          .some((l) => l.msg === 'Redis holds none of our jobs (new, or restarted empty): re-deriving them from Postgres'),
      ),
    ).toBe(true);
    await until('the outbox to empty', async () => (await db.query(`SELECT count(*)::int AS n FROM job_outbox`)).rows[0].n === 0);
    // The match the cancel asked for ran: the campaign is back at its cap of open offers.
    await until('the campaign to be matched again', async () => (await openOffers(campaignId)).length === 10);
    const matchedAfter = (w: Running) =>
      w.logs.slice(logsBefore.get(w)).some((l) => l.msg === 'campaign matched' && l.campaignId === campaignId);
    expect(workers.some(matchedAfter)).toBe(true);
    // The workers put back the job schedulers the empty Redis had lost.
    const scoring = new Queue('scoring', { connection: { host: '127.0.0.1', port: redis.port }, prefix });
    try {
      await until('the nightly scheduler to be restored', async () =>
        (await scoring.getJobSchedulers()).some((s) => s.key === 'nightly-score-run' || s.id === 'nightly-score-run'),
      );
    } finally {
      await scoring.close();
    }
  }, 120_000);

  it('keeps every claim whole or absent through a Postgres crash, and serves again without a restart', async () => {
    const inventory = 15;
    const campaignId = await campaign('Postgres crash', inventory, 1000);
    const offers = await until('the launch match', async () => {
      const open = await openOffers(campaignId);
      return open.length === influencers.length && open;
    });
    const bad: string[] = [];
    let errors = 0;
    // Each influencer claims with an idempotency key and retries on errors, as a careful client does.
    const claimUntilAnswered = async (offer: { id: string; influencer_id: string }, delayMs: number) => {
      await sleep(delayMs);
      const key = randomUUID();
      for (let attempt = 0; attempt < 200; attempt++) {
        const started = Date.now();
        const response = await client.request(CLAIM, { offerId: offer.id, key }, personOf(offer.influencer_id));
        if (Date.now() - started > 12_000) bad.push(`slow answer: ${Date.now() - started} ms`);
        if (response.data?.claimOffer) return response.data.claimOffer as { __typename: string; id?: string };
        errors++;
        const error = response.errors?.[0];
        if (!error?.extensions?.code || LEAKS.test(response.raw))
          bad.push(`unclean error: ${response.status} ${response.raw.slice(0, 300)}`);
        await sleep(200);
      }
      throw new Error('no answer after 200 attempts');
    };
    const claims = Promise.all(offers.map((offer, i) => claimUntilAnswered(offer, i * 60)));
    await sleep(400);
    await pg.crash();
    await sleep(1_000);
    await pg.start();
    const answers = await claims;

    expect(bad).toEqual([]);
    expect(errors).toBeGreaterThan(0); // the crash did hit claims in flight
    const won = answers.filter((a) => a.__typename === 'Claim');
    expect(won).toHaveLength(inventory);
    expect(answers.filter((a) => a.__typename !== 'Claim').every((a) => a.__typename === 'SoldOutError')).toBe(true);

    await db.end().catch(() => undefined);
    db = new Client({ connectionString: pg.url('perks') });
    db.on('error', () => undefined);
    await db.connect();
    const [state] = (
      await db.query(
        `SELECT c.inventory, c.remaining, c.status,
                (SELECT count(*)::int FROM claims k WHERE k.campaign_id = c.id AND k.status = 'ACTIVE') AS active,
                (SELECT count(*)::int FROM offers o WHERE o.campaign_id = c.id AND o.status = 'CLAIMED') AS claimed_offers,
                (SELECT count(*)::int FROM claims k JOIN offers o ON o.id = k.offer_id WHERE k.campaign_id = c.id AND o.status <> 'CLAIMED') AS orphans
         FROM campaigns c WHERE c.id = $1`,
        [campaignId],
      )
    ).rows;
    expect(state).toEqual({ inventory, remaining: 0, status: 'SOLD_OUT', active: inventory, claimed_offers: inventory, orphans: 0 });
    const stored = (await db.query<{ id: string }>(`SELECT id FROM claims WHERE campaign_id = $1`, [campaignId])).rows.map((r) => r.id);
    expect(stored.sort()).toEqual(won.map((w) => w.id!).sort());

    // The same API process serves again, and so does a worker.
    expect(alive(api)).toBe(true);
    expect((await client.ok(`{ me { email } }`, {}, brand)).me.email).toBe(brand.email);
    const worker = workers.filter(alive)[0];
    const readyz = (await waitForLog(worker, 'worker ready')).readyz as string;
    await until('the worker to report ready', async () => (await fetch(readyz)).status === 200, 20_000, 250);
  }, 120_000);
});
