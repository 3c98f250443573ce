import { readInstanceId } from '../src/core/instance';
import { closeQueues, createQueues } from '../src/core/queues';
import { createRedis } from '../src/core/redis';
import { logger } from '../src/core/logger';
import { createDataSource } from '../ormconfig';
import { ScoringService } from '../src/modules/scoring/scoring.service';
import { ScoreRunTrigger } from '../src/modules/scoring/score-run.entity';
import path from 'node:path';
import { median } from '../src/modules/activity/synthetic/trust-figures';
import { MODEL_VERSION, type ModelVersion } from '../src/modules/scoring/score-model';
import { flag, graphql, listFlag, load, runForOutput, seededDatabase, startApi } from './lib';
import { benchExport } from './export';
import { benchClaims, benchMatching } from './matching';
import { benchSearch } from './search';
import { predictedPeakMb } from './memory-budget';
import { benchTolerance } from './tolerance';
import { benchTrust } from './trust';

/**
 * `npm run bench -- <name> [--seconds N] [--connections N]`. Each benchmark prints its figures and
 * ends with one JSON line. Benchmarks are never part of `npm test`.
 *
 *   api     the API as its own process (compiled, as in production): `me` with a bearer token and
 *           `logIn` (scrypt-bound), through HTTP with autocannon from this process.
 *   scores  a whole score run (COPY in, compute, COPY out, switch) on a synthetic network, seeded
 *           once into a database named after its size and seed and reused afterwards.
 *   search    eligibleInfluencers through the API process at 50 connections over a scored network,
 *             against a bare Apollo server answering the same size of response (bench/search.ts).
 *   matching  one campaign matched to ~100,000 of 1M influencers (bench/matching.ts).
 *   claims    sustained claimOffer through the API on one hot campaign, then an oversell check.
 *   export    a campaign's claims ledger as CSV through the API process, 10k and 100k rows, with the
 *             API's RSS and heap sampled: memory flat whatever the row count (bench/export.ts).
 *   tolerance PageRank's stopping tolerance: iterations, seconds and scores moved at candidate
 *             tolerances against the current one, on the scores bench's network (bench/tolerance.ts).
 *   trust     what gaming the score buys, model versions 1 and 2 side by side, on planted attacks
 *             in memory, no database (bench/trust.ts).
 */

async function benchApi(): Promise<Record<string, unknown>> {
  const seconds = flag('seconds', 10);
  const connections = flag('connections', 50);
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/perks_bench';
  const { url, child } = await startApi({
    DATABASE_URL: databaseUrl,
    NODE_ENV: 'production',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0',
    ADMIN_PASSWORD: 'bench-admin-password',
    // logIn is timed with one account from one address: the abuse limits would refuse it.
    RATE_LIMIT_LOGIN_EMAIL: 'off',
    RATE_LIMIT_LOGIN_IP: 'off',
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

/**
 * One score run (the child's part of `scores`): a full, fresh run of model `--version` on the
 * cached database, its stats printed as the last line. A process per run, so that peak RSS is
 * the run's own.
 */
async function scoreRunOnce(): Promise<Record<string, unknown>> {
  const influencers = flag('influencers', 100_000);
  const interactions = flag('interactions', 2_000_000);
  const seed = flag('seed', 1);
  const version = flag('version', MODEL_VERSION) as ModelVersion;
  const { url, runDate } = await seededDatabase(influencers, interactions, seed);
  const dataSource = await createDataSource(url, 2).initialize();
  // A database cached by an older checkout is brought up to this one's schema first.
  await dataSource.runMigrations({ transaction: 'each' });
  const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const queues = createQueues(redis, `perks-bench-${process.pid}`);
  try {
    // Each measured run starts from no runs at all, so it is always a full, fresh run.
    const previous: Array<{ id: number }> = await dataSource.query(`SELECT id FROM score_runs`);
    for (const { id } of previous) {
      await dataSource.query(`DROP TABLE IF EXISTS influencer_scores_r${id}, influencer_topic_scores_r${id}, actor_ranks_r${id}`);
    }
    await dataSource.query(`DELETE FROM score_runs`);
    const scoring = new ScoringService(dataSource, queues, {
      databaseUrl: url,
      historyDays: 180,
      instanceId: await readInstanceId(dataSource),
      modelVersion: version,
    });
    const requested = await scoring.requestRun(runDate, ScoreRunTrigger.ADMIN);
    const stats = await scoring.execute(requested.id, logger());
    return { version, ...stats, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
  } finally {
    await closeQueues(queues);
    await redis.quit();
    await dataSource.destroy();
  }
}

/**
 * `scores [--versions 1,2] [--runs N]`: score runs of each model version, alternated (v1, v2, v1,
 * v2 ...) so that a noisy machine weighs on both alike, each in its own process; prints every run
 * and the medians per version side by side.
 */
async function benchScores(): Promise<Record<string, unknown>> {
  const influencers = flag('influencers', 100_000);
  const interactions = flag('interactions', 2_000_000);
  const seed = flag('seed', 1);
  const runs = flag('runs', 1);
  const versions = listFlag('versions', [MODEL_VERSION]);
  await seededDatabase(influencers, interactions, seed);
  const results: Array<Record<string, number>> = [];
  const size = ['--influencers', String(influencers), '--interactions', String(interactions), '--seed', String(seed)];
  for (let r = 0; r < runs; r++) {
    for (const version of versions) {
      const output = await runForOutput(path.join(__dirname, 'run.js'), ['score-run', ...size, '--version', String(version)]);
      const figures = JSON.parse(output.trim().split('\n').pop()!);
      figures.predictedPeakRssMb = predictedPeakMb(figures);
      results.push(figures);
      console.log(
        `run ${r + 1}, model ${version}: load ${figures.loadingSeconds} s  compute ${figures.computingSeconds} s  write ${figures.writingSeconds} s  total ${figures.totalSeconds} s  peak RSS ${figures.peakRssMb} MB (budget ${figures.predictedPeakRssMb} MB; after loading ${figures.peakRssMbAfterLoading}, computing ${figures.peakRssMbAfterComputing})  (worker parts ${figures.workerParts}, fallbacks ${figures.threadFallbacks})`,
      );
    }
  }
  const fields = ['loadingSeconds', 'computingSeconds', 'writingSeconds', 'totalSeconds', 'peakRssMb'] as const;
  const medians = Object.fromEntries(
    versions.map((v) => [
      `v${v}`,
      Object.fromEntries(fields.map((f) => [f, median(results.filter((x) => x.version === v).map((x) => x[f]))])),
    ]),
  );
  console.log(`\nmedians over ${runs} run(s) each, ${influencers} influencers / ${interactions} interactions:`);
  console.log(`model   load   compute   write   total   peak RSS`);
  for (const v of versions) {
    const m = medians[`v${v}`];
    console.log(
      `v${v}     ${m.loadingSeconds} s  ${m.computingSeconds} s    ${m.writingSeconds} s  ${m.totalSeconds} s  ${m.peakRssMb} MB`,
    );
  }
  if (versions.includes(1) && versions.includes(2)) {
    console.log(
      `v2 / v1 total: ${(medians.v2.totalSeconds / medians.v1.totalSeconds).toFixed(2)}x (target <= 1.15x); v2 peak RSS ${medians.v2.peakRssMb} MB (target <= 1,500 MB)`,
    );
  }
  return { bench: 'scores', influencers, interactions, seed, runs, medians, results };
}

const BENCHES: Record<string, () => Promise<Record<string, unknown>>> = {
  api: benchApi,
  scores: benchScores,
  'score-run': scoreRunOnce,
  search: benchSearch,
  matching: benchMatching,
  claims: benchClaims,
  trust: benchTrust,
  tolerance: benchTolerance,
  export: benchExport,
};

async function main(): Promise<void> {
  const name = process.argv[2];
  const bench = BENCHES[name];
  if (!bench) {
    console.error(
      [
        'usage: npm run bench -- api [--seconds N] [--connections N]',
        '       npm run bench -- scores [--influencers N] [--interactions M] [--seed S] [--versions 1,2] [--runs N]',
        '       npm run bench -- search [--influencers N] [--interactions M] [--seconds N] [--connections N]',
        '       npm run bench -- matching [--eligible N]',
        '       npm run bench -- claims [--units N] [--claimers N] [--connections N] [--budget N] [--cap N] [--pgbench-clients 2,10]',
        '       npm run bench -- export [--sizes 10000,100000] [--runs N] [--heap-cap MB]',
        '       npm run bench -- tolerance [--influencers N] [--interactions M] [--seed S] [--tolerances 1e-6,1e-7,1e-8,1e-9]',
        '       npm run bench -- trust [--influencers N] [--interactions M] [--seed S]',
      ].join('\n'),
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
