import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, ensureScored, flag, graphql, load, seededDatabase, startApi, startProcess, type Figures } from './lib';

const QUERY = `query Search($targeting: TargetingInput, $first: Int, $after: String) {
  eligibleInfluencers(targeting: $targeting, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id displayName country score reach amplification authority scoredOn } }
  }
}`;

const WARM_UP_SECONDS = 3;

/**
 * eligibleInfluencers through the API process (production mode) with autocannon at 50
 * connections: a broad and a narrow targeting, each on its first page and on page 100 (reached
 * by walking the cursors), then the same query against a bare Apollo server answering the broad
 * first page from memory, for the throughput ratio.
 */
export async function benchSearch(): Promise<Record<string, unknown>> {
  const influencers = flag('influencers', 1_000_000);
  const interactions = flag('interactions', 5_000_000);
  const seconds = flag('seconds', 10);
  const connections = flag('connections', 50);
  const { url: databaseUrl, runDate } = await seededDatabase(influencers, interactions, 1);
  const scored = await ensureScored(databaseUrl, runDate);
  if (scored) console.log(`scored the network once: ${JSON.stringify(scored)}`);

  const { url, child } = await startApi({
    DATABASE_URL: databaseUrl,
    NODE_ENV: 'production',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0',
    ADMIN_PASSWORD: 'bench-admin-password',
  });
  const results: Record<string, Figures & { totalCount: number; page: number }> = {};
  let bareBody = '';
  try {
    const signUp = await graphql(url, 'mutation($i: SignUpInput!) { signUp(input: $i) { ... on AuthPayload { token } } }', {
      i: { email: `bench-${Date.now()}@bench.perks`, password: 'bench password 1234', role: 'AGENCY', name: 'Bench' },
    });
    const auth = { authorization: `Bearer ${signUp.signUp.token}` };
    const targetings: Record<string, object> = {
      broad: {},
      narrow: { minScore: 25, topics: { slugs: ['tech-ai', 'tech-gadgets', 'tech-software'] }, countries: ['US', 'GB', 'IN', 'DE'] },
    };
    // Both servers get the same few seconds of load before anything is measured (JIT, pools, caches).
    await load(url, JSON.stringify({ query: QUERY, variables: { targeting: {}, first: 20 } }), auth, connections, WARM_UP_SECONDS);
    for (const [name, targeting] of Object.entries(targetings)) {
      let after: string | undefined;
      let page = 1;
      let totalCount = 0;
      for (const target of [1, 100]) {
        while (page < target) {
          const data = await graphql(url, QUERY, { targeting, first: 20, after }, auth.authorization.slice(7));
          totalCount = data.eligibleInfluencers.totalCount;
          if (!data.eligibleInfluencers.pageInfo.hasNextPage) break;
          after = data.eligibleInfluencers.pageInfo.endCursor;
          page++;
        }
        const body = JSON.stringify({ query: QUERY, variables: { targeting, first: 20, after } });
        if (name === 'broad' && target === 1) {
          const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body });
          bareBody = JSON.stringify(((await response.json()) as { data: { eligibleInfluencers: unknown } }).data.eligibleInfluencers);
        }
        const figures = await load(url, body, auth, connections, seconds);
        const first = await graphql(url, QUERY, { targeting, first: 20, after }, auth.authorization.slice(7));
        totalCount = first.eligibleInfluencers.totalCount;
        results[`${name} page ${page}`] = { ...figures, totalCount, page };
        console.log(describe(`${name} page ${page} (of ${Math.ceil(totalCount / 20)})`, figures));
      }
    }
  } finally {
    child.kill('SIGTERM');
  }

  const cannedFile = path.join(os.tmpdir(), `perks-bare-${process.pid}.json`);
  writeFileSync(cannedFile, bareBody);
  const bare = await startProcess('dist/bench/bare-apollo.js', { BARE_RESPONSE: cannedFile, NODE_ENV: 'production' }, 'bare listening');
  let baseline: Figures;
  try {
    await load(bare.url, JSON.stringify({ query: QUERY, variables: { targeting: {}, first: 20 } }), {}, connections, WARM_UP_SECONDS);
    baseline = await load(bare.url, JSON.stringify({ query: QUERY, variables: { targeting: {}, first: 20 } }), {}, connections, seconds);
    console.log(describe('bare Apollo, same response', baseline));
  } finally {
    bare.child.kill('SIGTERM');
  }
  const broad = results['broad page 1'];
  const ratio = Math.round((broad.requestsPerSecond / baseline.requestsPerSecond) * 100) / 100;
  console.log(`broad first page at ${Math.round(ratio * 100)}% of the bare server's throughput`);
  return { bench: 'search', influencers, interactions, connections, seconds, scenarios: results, bare: baseline, ratioToBare: ratio };
}
