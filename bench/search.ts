import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  cpuMicrosPerRequest,
  cpuSecondsOf,
  describe,
  ensureScored,
  flag,
  graphql,
  load,
  seededDatabase,
  startApi,
  startProcess,
  type Figures,
} from './lib';

const QUERY = `query Search($targeting: TargetingInput, $first: Int, $after: String) {
  eligibleInfluencers(targeting: $targeting, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id displayName country score reach amplification authority scoredOn } }
  }
}`;

const WARM_UP_SECONDS = 3;

type Measured = Figures & { cpuMicrosPerRequest: number | null };

/** The median, to a tenth (two rounds: their mean). */
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return Math.round((sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2) * 10) / 10;
};
const round2 = (x: number) => Math.round(x * 100) / 100;

/** One load on a server, with that server's CPU per request over it. */
async function measured(url: string, pid: number, body: string, headers: Record<string, string>, connections: number, seconds: number) {
  const before = cpuSecondsOf(pid);
  const figures = await load(url, body, headers, connections, seconds);
  return { ...figures, cpuMicrosPerRequest: cpuMicrosPerRequest(before, cpuSecondsOf(pid), figures.requests) };
}

/**
 * eligibleInfluencers through the API process (production mode) with autocannon at 50
 * connections, a broad and a narrow targeting, each on its first page and on page 100 (reached by
 * walking the cursors), against a bare Apollo server answering each page's own response bytes from
 * memory. Both servers run side by side and each page is loaded in turns (bare, ours, bare, ours:
 * `--rounds` each), so that the rest of the machine weighs on both alike; the ratios are of the
 * medians: throughput ours / bare (target >= 0.9x), p99 ours / bare (target <= 1.25x).
 */
export async function benchSearch(): Promise<Record<string, unknown>> {
  const influencers = flag('influencers', 1_000_000);
  const interactions = flag('interactions', 5_000_000);
  const seconds = flag('seconds', 10);
  const connections = flag('connections', 50);
  const rounds = flag('rounds', 2);
  const { url: databaseUrl, runDate } = await seededDatabase(influencers, interactions, 1);
  const scored = await ensureScored(databaseUrl, runDate);
  if (scored) console.log(`scored the network once: ${JSON.stringify(scored)}`);

  const api = await startApi({
    DATABASE_URL: databaseUrl,
    NODE_ENV: 'production',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0',
    ADMIN_PASSWORD: 'bench-admin-password',
  });
  const cannedFile = path.join(os.tmpdir(), `perks-bare-${process.pid}.json`);
  let bare: Awaited<ReturnType<typeof startProcess>> | undefined;
  const scenarios: Record<string, { page: number; totalCount: number; ours: Measured[]; bare: Measured[] }> = {};
  try {
    const signUp = await graphql(api.url, 'mutation($i: SignUpInput!) { signUp(input: $i) { ... on AuthPayload { token } } }', {
      i: { email: `bench-${Date.now()}@bench.perks`, password: 'bench password 1234', role: 'AGENCY', name: 'Bench' },
    });
    const token: string = signUp.signUp.token;
    const auth = { authorization: `Bearer ${token}` };
    const targetings: Record<string, object> = {
      broad: {},
      narrow: { minScore: 25, topics: { slugs: ['tech-ai', 'tech-gadgets', 'tech-software'] }, countries: ['US', 'GB', 'IN', 'DE'] },
    };
    // Each page's request body, and the API's answer to it, which the bare server is given to send back.
    const bodies: Record<string, string> = {};
    const canned: Record<string, unknown> = {};
    for (const [name, targeting] of Object.entries(targetings)) {
      let after: string | undefined;
      let page = 1;
      for (const target of [1, 100]) {
        let data = await graphql(api.url, QUERY, { targeting, first: 20, after }, token);
        while (page < target && data.eligibleInfluencers.pageInfo.hasNextPage) {
          after = data.eligibleInfluencers.pageInfo.endCursor;
          page++;
          data = await graphql(api.url, QUERY, { targeting, first: 20, after }, token);
        }
        const variables = { targeting, first: 20, after };
        const key = `${name} page ${page}`;
        bodies[key] = JSON.stringify({ query: QUERY, variables });
        canned[JSON.stringify(variables)] = data.eligibleInfluencers;
        scenarios[key] = { page, totalCount: data.eligibleInfluencers.totalCount, ours: [], bare: [] };
      }
    }
    writeFileSync(cannedFile, JSON.stringify(canned));
    bare = await startProcess('dist/bench/bare-apollo.js', { BARE_RESPONSE: cannedFile, NODE_ENV: 'production' }, 'bare listening');
    // Both servers get the same few seconds of load before anything is measured (JIT, pools, caches).
    const firstBody = Object.values(bodies)[0];
    await load(api.url, firstBody, auth, connections, WARM_UP_SECONDS);
    await load(bare.url, firstBody, {}, connections, WARM_UP_SECONDS);
    for (const [key, body] of Object.entries(bodies)) {
      const s = scenarios[key];
      for (let r = 0; r < rounds; r++) {
        s.bare.push(await measured(bare.url, bare.child.pid!, body, {}, connections, seconds));
        s.ours.push(await measured(api.url, api.child.pid!, body, auth, connections, seconds));
        console.log(describe(`${key} (of ${Math.ceil(s.totalCount / 20)}), bare`, s.bare[r]) + cpuNote(s.bare[r]));
        console.log(describe(`${key} (of ${Math.ceil(s.totalCount / 20)}), API`, s.ours[r]) + cpuNote(s.ours[r]));
      }
    }
  } finally {
    api.child.kill('SIGTERM');
    bare?.child.kill('SIGTERM');
    rmSync(cannedFile, { force: true });
  }

  console.log(`\nmedians of ${rounds} round(s) each, ${connections} connections, ${seconds} s per load:`);
  const summary = Object.fromEntries(
    Object.entries(scenarios).map(([key, s]) => {
      const m = (runs: Measured[], f: (x: Measured) => number | null) => median(runs.map(f).filter((x): x is number => x !== null));
      const row = {
        page: s.page,
        totalCount: s.totalCount,
        requestsPerSecond: m(s.ours, (x) => x.requestsPerSecond),
        bareRequestsPerSecond: m(s.bare, (x) => x.requestsPerSecond),
        p99Ms: m(s.ours, (x) => x.p99Ms),
        bareP99Ms: m(s.bare, (x) => x.p99Ms),
        cpuMicrosPerRequest: m(s.ours, (x) => x.cpuMicrosPerRequest),
        bareCpuMicrosPerRequest: m(s.bare, (x) => x.cpuMicrosPerRequest),
        ratioToBare: 0,
        p99RatioToBare: 0,
        runs: { ours: s.ours, bare: s.bare },
      };
      row.ratioToBare = round2(row.requestsPerSecond / row.bareRequestsPerSecond);
      row.p99RatioToBare = round2(row.p99Ms / row.bareP99Ms);
      console.log(
        `${key.padEnd(16)} ${row.requestsPerSecond} req/s = ${row.ratioToBare.toFixed(2)}x bare (${row.bareRequestsPerSecond}; target >= 0.9x)  p99 ${row.p99Ms} ms = ${row.p99RatioToBare.toFixed(2)}x bare (${row.bareP99Ms} ms; target <= 1.25x)  CPU ${row.cpuMicrosPerRequest} µs/request (bare ${row.bareCpuMicrosPerRequest})`,
      );
      return [key, row];
    }),
  );
  return { bench: 'search', influencers, interactions, connections, seconds, rounds, scenarios: summary };
}

const cpuNote = (f: Measured) => (f.cpuMicrosPerRequest === null ? '' : `  CPU ${f.cpuMicrosPerRequest} µs/request`);
