import { randomBytes } from 'node:crypto';
import { dropDatabase } from '../../src/core/database';
import { GraphQLClient, LOG_IN, SIGN_UP, uniqueEmail } from '../helpers/graphql';
import { runEntry, waitForLog } from '../helpers/processes';

describe('the API and worker processes', () => {
  // A database that does not exist yet: the processes must create and migrate it themselves.
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `${url.pathname}_proc_${randomBytes(3).toString('hex')}`;
  const env = { DATABASE_URL: url.toString(), PORT: '0', WORKER_PORT: '0', HOST: '127.0.0.1' };

  afterAll(() => dropDatabase(url.toString()));

  it('boots the API on a new database, serves signUp -> logIn -> me, and drains on SIGTERM', async () => {
    const api = runEntry('main.ts', env);
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

  it('boots the worker with its own /healthz and /readyz and stops it on SIGTERM', async () => {
    const worker = runEntry('worker.ts', env);
    try {
      const ready = await waitForLog(worker, 'worker ready');
      const health = await fetch(ready.healthz);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const readiness = await fetch(ready.readyz);
      expect(readiness.status).toBe(200);
      expect(await readiness.json()).toEqual({ status: 'ready', workers: true, postgres: true, redis: true });
    } finally {
      worker.child.kill('SIGTERM');
    }
    expect(await worker.exited).toBe(0);
  });

  it('refuses to start with invalid configuration, saying what to fix', async () => {
    const api = runEntry('main.ts', { ...env, JWT_SECRET: 'too-short', PORT: 'eighty' });
    expect(await api.exited).toBe(1);
    const stderr = api.stderr.join('');
    expect(stderr).toContain('JWT_SECRET must be at least 32 characters');
    expect(stderr).toContain('PORT must be a whole number from 0 to 65535 (got "eighty")');
  });

  it('says which service it cannot reach', async () => {
    const api = runEntry('main.ts', { ...env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/perks' });
    expect(await api.exited).toBe(1);
    expect(api.stderr.join('')).toMatch(/is the service at 127\.0\.0\.1:1 running\? check DATABASE_URL/);
  });
});
