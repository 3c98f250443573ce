import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import 'reflect-metadata';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { createDataSource } from '../ormconfig';
import { databaseName, ensureDatabase, maintenanceUrl } from '../src/core/database';
import { logger } from '../src/core/logger';
import { closeQueues, createQueues } from '../src/core/queues';
import { createRedis } from '../src/core/redis';
import { ScoringService } from '../src/modules/scoring/scoring.service';
import { ScoreRunTrigger } from '../src/modules/scoring/score-run.entity';

/**
 * `npm run bench -- <name> [--seconds N] [--connections N]`. Each benchmark prints its figures and
 * ends with one JSON line. Benchmarks are never part of `npm test`.
 *
 *   api     the API as its own process (compiled, as in production): `me` with a bearer token and
 *           `logIn` (scrypt-bound), through HTTP with autocannon from this process.
 *   scores  a whole score run (COPY in, compute, COPY out, switch) on a synthetic network, seeded
 *           once into a database named after its size and seed and reused afterwards.
 */

const ROOT = path.resolve(__dirname, '..', '..');

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

async function startApi(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  // BENCH_API_NODE_ARGS passes flags to the API process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = process.env.BENCH_API_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, 'dist/src/main.js')], {
    env: { ...process.env, LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      const match = /"url":"([^"]+)".*"msg":"API listening"/.exec(buffer);
      if (match) {
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`API exited with ${code} before listening`)));
  });
  return { url, child };
}

async function graphql(url: string, query: string, variables: object, token?: string): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return ((await response.json()) as { data: any }).data;
}

interface Figures {
  requestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p97_5Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

async function load(url: string, body: string, headers: Record<string, string>, connections: number, seconds: number): Promise<Figures> {
  const result = await autocannon({
    url,
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
    connections,
    duration: seconds,
  });
  // autocannon reports these percentiles (it has no p95).
  const latency = result.latency as unknown as Record<string, number>;
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: latency.p50,
    p90Ms: latency.p90,
    p97_5Ms: latency.p97_5,
    p99Ms: latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

async function benchApi(): Promise<Record<string, unknown>> {
  const seconds = flag('seconds', 10);
  const connections = flag('connections', 50);
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/perks_bench';
  const { url, child } = await startApi({
    DATABASE_URL: databaseUrl,
    NODE_ENV: 'production',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0',
    ADMIN_PASSWORD: 'bench-admin-password',
  });
  try {
    const endpoint = `${url}`;
    const email = `bench-${Date.now()}@bench.perks`;
    const password = 'bench password 1234';
    const signUp = await graphql(endpoint, 'mutation($i: SignUpInput!) { signUp(input: $i) { ... on AuthPayload { token } } }', {
      i: { email, password, role: 'BRAND', name: 'Bench' },
    });
    const token: string = signUp.signUp.token;
    const me = await load(
      endpoint,
      JSON.stringify({ query: '{ me { id email role organizations { id name } } }' }),
      { authorization: `Bearer ${token}` },
      connections,
      seconds,
    );
    console.log(
      `me        ${me.requestsPerSecond} req/s  p50 ${me.p50Ms} ms  p99 ${me.p99Ms} ms  (${connections} connections, ${seconds} s)`,
    );
    const loginConnections = Math.min(connections, 8);
    const logIn = await load(
      endpoint,
      JSON.stringify({ query: 'mutation($i: LogInInput!) { logIn(input: $i) { __typename } }', variables: { i: { email, password } } }),
      {},
      loginConnections,
      Math.max(3, Math.round(seconds / 2)),
    );
    console.log(
      `logIn     ${logIn.requestsPerSecond} req/s  p50 ${logIn.p50Ms} ms  p99 ${logIn.p99Ms} ms  (${loginConnections} connections; scrypt N=2^15)`,
    );
    return { bench: 'api', connections, seconds, me, logIn };
  } finally {
    child.kill('SIGTERM');
  }
}

function run(command: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [command, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(command)} exited with ${code}`))));
  });
}

/** The seeded database for a size and seed, created and filled on first use (its comment marks it complete). */
async function seededDatabase(influencers: number, interactions: number, seed: number): Promise<{ url: string; runDate: string }> {
  const base = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/perks_bench');
  base.pathname = `/perks_bench_scores_${influencers}_${interactions}_${seed}`;
  const url = base.toString();
  await ensureDatabase(url);
  const admin = new Client({ connectionString: maintenanceUrl(url) });
  await admin.connect();
  try {
    const read = async () =>
      (
        await admin.query(`SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`, [
          databaseName(url),
        ])
      ).rows[0]?.comment as string | null;
    let marker = await read();
    if (!marker) {
      console.log(
        `seeding ${influencers} influencers / ${interactions} interactions (seed ${seed}) into ${databaseName(url)}; cached for later runs`,
      );
      await run(
        path.join(ROOT, 'dist/src/scripts/seed.js'),
        ['--influencers', String(influencers), '--interactions', String(interactions), '--seed', String(seed)],
        {
          DATABASE_URL: url,
          LOG_LEVEL: 'info',
        },
      );
      const client = new Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query(`SELECT to_char(max(occurred_at)::date, 'YYYY-MM-DD') AS day FROM interactions`);
      await client.end();
      await admin.query(`COMMENT ON DATABASE ${databaseName(url)} IS '${JSON.stringify({ runDate: rows[0].day })}'`);
      marker = await read();
    }
    return { url, runDate: JSON.parse(marker!).runDate };
  } finally {
    await admin.end();
  }
}

async function benchScores(): Promise<Record<string, unknown>> {
  const influencers = flag('influencers', 100_000);
  const interactions = flag('interactions', 2_000_000);
  const seed = flag('seed', 1);
  const { url, runDate } = await seededDatabase(influencers, interactions, seed);
  const dataSource = await createDataSource(url, 2).initialize();
  const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const queues = createQueues(redis, `perks-bench-${process.pid}`);
  try {
    // Each measured run starts from no runs at all, so it is always a full, fresh run.
    const previous: Array<{ id: number }> = await dataSource.query(`SELECT id FROM score_runs`);
    for (const { id } of previous) {
      await dataSource.query(`DROP TABLE IF EXISTS influencer_scores_r${id}, influencer_topic_scores_r${id}, actor_ranks_r${id}`);
    }
    await dataSource.query(`DELETE FROM score_runs`);
    const scoring = new ScoringService(dataSource, queues, { databaseUrl: url, historyDays: 180 });
    const requested = await scoring.requestRun(runDate, ScoreRunTrigger.ADMIN);
    const stats = await scoring.execute(requested.id, logger());
    console.log(`score run over ${influencers} influencers / ${interactions} interactions:`, stats);
    return { bench: 'scores', influencers, interactions, seed, ...stats, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
  } finally {
    await closeQueues(queues);
    await redis.quit();
    await dataSource.destroy();
  }
}

const BENCHES: Record<string, () => Promise<Record<string, unknown>>> = { api: benchApi, scores: benchScores };

async function main(): Promise<void> {
  const name = process.argv[2];
  const bench = BENCHES[name];
  if (!bench) {
    console.error(
      `usage: npm run bench -- api [--seconds N] [--connections N]\n       npm run bench -- scores [--influencers N] [--interactions M] [--seed S]`,
    );
    process.exit(2);
  }
  const figures = await bench();
  console.log(JSON.stringify(figures));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
