import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { databaseName, dropDatabase, maintenanceUrl } from '../../src/core/database';
import { startTestApi, type TestApi } from '../helpers/api';
import { runEntry, waitForLog, type Running } from '../helpers/processes';
import { suitePrefix } from '../helpers/worker';

const html = (api: TestApi) => fetch(`${api.url}/graphql`, { headers: { accept: 'text/html' } });

/** A database name of this suite's own that nothing has created (yet). */
function freshDatabaseUrl(label: string): string {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `${url.pathname}_${label}_${randomBytes(3).toString('hex')}`;
  return url.toString();
}

async function databaseExists(url: string): Promise<boolean> {
  const client = new Client({ connectionString: maintenanceUrl(url) });
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [databaseName(url)])).rowCount === 1;
  } finally {
    await client.end();
  }
}

describe('the landing page at GET /graphql', () => {
  let production: TestApi;
  let development: TestApi;
  beforeAll(async () => {
    [production, development] = await Promise.all([startTestApi({ NODE_ENV: 'production' }), startTestApi()]);
  });
  afterAll(() => Promise.all([production?.stop(), development?.stop()]));

  it('is our own GraphiQL outside production, and asks for an operator sign-in in production', async () => {
    const page = await html(development);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const markup = await page.text();
    expect(markup).toContain('Perks GraphQL IDE');
    // Apollo's landing page (Sandbox from a CDN) is gone everywhere.
    expect(markup).not.toMatch(/apollo|sandbox|studio|https?:\/\//i);

    // No markup without an operator's credentials: a Basic challenge (the queue dashboard's).
    const refused = await html(production);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    expect(await refused.text()).not.toMatch(/<|sandbox|studio|landing/i);
  });
});

describe('demo data with NODE_ENV=production', () => {
  const running: Running[] = [];
  const databases: string[] = [];
  afterAll(async () => {
    for (const entry of running) {
      if (entry.child.exitCode === null) entry.child.kill('SIGTERM');
      await entry.exited;
    }
    for (const url of databases) await dropDatabase(url);
  });

  it('is refused by `npm run seed -- --demo`, saying why, before any database is touched', async () => {
    const url = freshDatabaseUrl('demo_refused');
    databases.push(url);
    const seed = runEntry('scripts/seed.ts', { NODE_ENV: 'production', DATABASE_URL: url });
    running.push(seed);
    expect(await seed.exited).toBe(1);
    expect(seed.stderr.join('')).toContain('seed: say what to seed');

    const demo = runEntry('scripts/seed.ts', { NODE_ENV: 'production', DATABASE_URL: url }, 'seed --demo', ['--demo']);
    running.push(demo);
    expect(await demo.exited).toBe(1);
    expect(demo.stderr.join('')).toContain('seed: demo data is never seeded with NODE_ENV=production');
    expect(await databaseExists(url)).toBe(false);
  });

  it('is not seeded by `npm start` into an empty database', async () => {
    const url = freshDatabaseUrl('start_production');
    databases.push(url);
    const start = runEntry('scripts/start.ts', {
      NODE_ENV: 'production',
      DATABASE_URL: url,
      BULLMQ_PREFIX: suitePrefix('start'),
      HOST: '127.0.0.1',
      PORT: '0',
      WORKER_PORT: '0',
    });
    running.push(start);
    await waitForLog(start, 'API listening');
    await waitForLog(start, 'worker ready');
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      // The operator only: no demo account, no synthetic network, no campaign.
      const { rows } = await client.query(
        `SELECT (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM influencers) AS influencers,
                (SELECT count(*)::int FROM campaigns) AS campaigns`,
      );
      expect(rows[0]).toEqual({ users: 1, influencers: 0, campaigns: 0 });
    } finally {
      await client.end();
    }
    start.child.kill('SIGTERM');
    await start.exited;
  });
});
