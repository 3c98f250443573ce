import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { dropDatabase } from '../../src/core/database';
import { GraphQLClient, LOG_IN, SIGN_UP, uniqueEmail } from '../helpers/graphql';

const ROOT = path.resolve(__dirname, '../..');

interface Running {
  child: ChildProcessWithoutNullStreams;
  logs: Array<Record<string, any>>;
  stderr: string[];
  exited: Promise<number | null>;
}

/** Runs src/<entry>.ts as its own process (through ts-node, as `npm run dev` does). */
function run(entry: string, env: Record<string, string>): Running {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'src', entry)], {
    cwd: ROOT,
    // development, not test: Apollo behaves differently under NODE_ENV=test (signal handling).
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info', ...env },
  });
  const logs: Array<Record<string, any>> = [];
  const stderr: string[] = [];
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines.filter(Boolean)) {
      try {
        logs.push(JSON.parse(line));
      } catch {
        logs.push({ msg: line });
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, logs, stderr, exited };
}

async function waitForLog(
  running: Running,
  msg: string,
  match: (l: Record<string, any>) => boolean = () => true,
  timeoutMs = 20_000,
): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = running.logs.find((l) => l.msg === msg && match(l));
    if (found) return found;
    if (running.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no "${msg}" log line; stderr: ${running.stderr.join('')}; logs: ${JSON.stringify(running.logs)}`);
}

describe('the API and worker processes', () => {
  // A database that does not exist yet: the processes must create and migrate it themselves.
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `${url.pathname}_proc_${randomBytes(3).toString('hex')}`;
  const env = { DATABASE_URL: url.toString(), PORT: '0', WORKER_PORT: '0', HOST: '127.0.0.1' };

  afterAll(() => dropDatabase(url.toString()));

  it('boots the API on a new database, serves signUp -> logIn -> me, and drains on SIGTERM', async () => {
    const api = run('main.ts', env);
    try {
      expect((await waitForLog(api, 'database created')).database).toBe(url.pathname.slice(1));
      const listening = await waitForLog(api, 'API listening');
      const client = new GraphQLClient(listening.url);
      const email = uniqueEmail('proc');
      await client.ok(SIGN_UP, { input: { email, password: 'correct horse battery', role: 'BRAND', name: 'P' } });
      const { logIn } = await client.ok(LOG_IN, { input: { email, password: 'correct horse battery' } });
      const { me } = await client.ok('{ me { email } }', {}, { token: logIn.token });
      expect(me.email).toBe(email);
      const requestLog = await waitForLog(api, 'request', (l) => l.operationName === 'LogIn');
      expect(requestLog).toMatchObject({ requestId: expect.any(String), status: 200 });
      expect(JSON.stringify(api.logs)).not.toContain(email);
    } finally {
      api.child.kill('SIGTERM');
    }
    expect(await api.exited).toBe(0);
    expect(api.logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
  });

  it('boots the worker with its own /healthz and stops it on SIGTERM', async () => {
    const worker = run('worker.ts', env);
    try {
      const ready = await waitForLog(worker, 'worker ready');
      const health = await fetch(ready.healthz);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', workers: true, postgres: true, redis: true });
    } finally {
      worker.child.kill('SIGTERM');
    }
    expect(await worker.exited).toBe(0);
  });

  it('refuses to start with invalid configuration, saying what to fix', async () => {
    const api = run('main.ts', { ...env, JWT_SECRET: 'too-short', PORT: 'eighty' });
    expect(await api.exited).toBe(1);
    const stderr = api.stderr.join('');
    expect(stderr).toContain('JWT_SECRET must be at least 32 characters');
    expect(stderr).toContain('PORT must be a whole number from 0 to 65535 (got "eighty")');
  });

  it('says which service it cannot reach', async () => {
    const api = run('main.ts', { ...env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/perks' });
    expect(await api.exited).toBe(1);
    expect(api.stderr.join('')).toMatch(/is the service at 127\.0\.0\.1:1 running\? check DATABASE_URL/);
  });
});
