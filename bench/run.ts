import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';

/**
 * `npm run bench -- <name> [--seconds N] [--connections N]`. Each benchmark prints its figures and
 * ends with one JSON line. Benchmarks are never part of `npm test`.
 *
 *   api   the API as its own process (compiled, as in production): `me` with a bearer token and
 *         `logIn` (scrypt-bound), through HTTP with autocannon from this process.
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

const BENCHES: Record<string, () => Promise<Record<string, unknown>>> = { api: benchApi };

async function main(): Promise<void> {
  const name = process.argv[2];
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`usage: npm run bench -- <${Object.keys(BENCHES).join('|')}> [--seconds N] [--connections N]`);
    process.exit(2);
  }
  const figures = await bench();
  console.log(JSON.stringify(figures));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
