import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import 'reflect-metadata';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { createDataSource } from '../ormconfig';
import { databaseName, ensureDatabase, maintenanceUrl } from '../src/core/database';
import { readInstanceId } from '../src/core/instance';
import { logger } from '../src/core/logger';
import { closeQueues, createQueues } from '../src/core/queues';
import { createRedis } from '../src/core/redis';
import { ScoringService } from '../src/modules/scoring/scoring.service';
import { ScoreRunTrigger } from '../src/modules/scoring/score-run.entity';
import type { ScoreRunStats } from '../src/modules/scoring/score-run.entity';

/** Shared by the benchmarks: flags, the API as a child process, autocannon loads, seeded databases. */

export const ROOT = path.resolve(__dirname, '..', '..');

export function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** A flag's comma-separated numbers (`--sizes 10000,100000`), or `fallback` when it is not given. */
export function listFlag(name: string, fallback: number[]): number[] {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? '').split(',').map(Number) : fallback;
}

export async function startApi(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  return startProcess('dist/src/main.js', env, 'API listening');
}

/** Spawns a compiled script that logs one JSON line with "url" and "msg": <message> once it listens. */
export async function startProcess(
  script: string,
  env: Record<string, string>,
  message: string,
): Promise<{ url: string; child: ChildProcess }> {
  // BENCH_API_NODE_ARGS passes flags to the API process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = process.env.BENCH_API_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, script)], {
    env: { ...process.env, LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const pattern = new RegExp(`"url":"([^"]+)".*"msg":"${message}"`);
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      const match = pattern.exec(buffer);
      if (match) {
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening`)));
  });
  return { url, child };
}

/**
 * CPU seconds (user + system) a process has used so far, from /proc (Linux; null elsewhere). Read
 * before and after a load, it gives the server's CPU per request, which the other load on a shared
 * machine disturbs far less than throughput. Clock ticks are 1/100 s.
 */
export function cpuSecondsOf(pid: number): number | null {
  try {
    // The fields after the command name (which may hold spaces) start at its closing parenthesis.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/**
 * CPU seconds Postgres has used so far on this machine: every server process's own, plus the
 * children's totals the postmaster has reaped (a backend that exited since the last reading still
 * counts). Null when no postmaster is readable (a server on another machine).
 */
export function postgresCpuSeconds(): number | null {
  let total = 0;
  let postmaster = false;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const open = stat.indexOf('(');
    const close = stat.lastIndexOf(') ');
    if (stat.slice(open + 1, close) !== 'postgres') continue;
    const fields = stat.slice(close + 2).split(' ');
    total += Number(fields[11]) + Number(fields[12]);
    // The postmaster is the postgres process whose parent is not a postgres process.
    if (!isPostgres(Number(fields[1]))) {
      postmaster = true;
      total += Number(fields[13]) + Number(fields[14]);
    }
  }
  return postmaster ? total / 100 : null;
}

function isPostgres(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(') ')) === 'postgres';
  } catch {
    return false;
  }
}

/** Microseconds of a process's CPU per request between two cpuSecondsOf readings. */
export function cpuMicrosPerRequest(before: number | null, after: number | null, requests: number): number | null {
  return before === null || after === null || requests === 0 ? null : Math.round(((after - before) * 1e6) / requests);
}

export async function graphql(url: string, query: string, variables: object, token?: string): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return ((await response.json()) as { data: any }).data;
}

export interface Figures {
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** Bytes of one response body (the last one seen). */
  responseBytes: number;
}

const percentile = (sorted: Float64Array, p: number) =>
  Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] * 10) / 10;

/** Loads one request with autocannon; latency percentiles come from every response's own time. */
export async function load(
  url: string,
  body: string,
  headers: Record<string, string>,
  connections: number,
  seconds: number,
): Promise<Figures> {
  const times: number[] = [];
  let responseBytes = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url, method: 'POST', body, headers: { 'content-type': 'application/json', ...headers }, connections, duration: seconds },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client, _status, bytes, ms) => {
      times.push(ms);
      responseBytes = bytes;
    });
  });
  const sorted = Float64Array.from(times).sort();
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: percentile(sorted, 0.5),
    p95Ms: percentile(sorted, 0.95),
    p99Ms: percentile(sorted, 0.99),
    requests: times.length,
    non2xx: result.non2xx,
    errors: result.errors,
    responseBytes,
  };
}

export function describe(label: string, f: Figures): string {
  return `${label.padEnd(28)} ${String(f.requestsPerSecond).padStart(5)} req/s  p50 ${f.p50Ms} ms  p95 ${f.p95Ms} ms  p99 ${f.p99Ms} ms  ${f.responseBytes} B${f.non2xx || f.errors ? `  non-2xx ${f.non2xx} errors ${f.errors}` : ''}`;
}

export function run(command: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [command, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(command)} exited with ${code}`))));
  });
}

/** Runs a node script, its stderr shown, and resolves with what it printed on stdout (logs quieted to warnings). */
export function runForOutput(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [command, ...args], {
      env: { ...process.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`${path.basename(command)} exited with ${code}`))));
  });
}

/**
 * What the seed writes; part of a cached database's name, so a database seeded by an older seed is
 * not reused (2: account snapshots and verified links). Older ones can be dropped.
 */
const SEED_FORMAT = 2;

/** The seeded database for a size and seed, created and filled on first use (its comment marks it complete). */
export async function seededDatabase(influencers: number, interactions: number, seed: number): Promise<{ url: string; runDate: string }> {
  const base = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/perks_bench');
  // BENCH_DATABASE_SUFFIX: a copy of one's own (e.g. made with CREATE DATABASE ... TEMPLATE), so a branch with new migrations leaves the shared cache alone.
  base.pathname = `/perks_bench_scores_${influencers}_${interactions}_${seed}_f${SEED_FORMAT}${process.env.BENCH_DATABASE_SUFFIX ?? ''}`;
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

/** Brings a cached database up to the current migrations and makes sure it has a current score run (computed once). */
export async function ensureScored(url: string, runDate: string): Promise<ScoreRunStats | null> {
  const dataSource = await createDataSource(url, 2).initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const queues = createQueues(redis, `perks-bench-${process.pid}`);
  try {
    const [current] = await dataSource.query(`SELECT id FROM score_runs WHERE is_current`);
    if (current) return null;
    const scoring = new ScoringService(dataSource, queues, {
      databaseUrl: url,
      historyDays: 180,
      instanceId: await readInstanceId(dataSource),
    });
    const requested = await scoring.requestRun(runDate, ScoreRunTrigger.ADMIN);
    return await scoring.execute(requested.id, logger());
  } finally {
    await closeQueues(queues);
    await redis.quit();
    await dataSource.destroy();
  }
}
