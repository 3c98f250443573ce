import { spawn } from 'node:child_process';
import path from 'node:path';
import type { WorkerRuntime } from '../../src/core/worker-runtime';
import { startTestApi, type TestApi } from '../helpers/api';
import { createScratchDatabase } from '../helpers/database';
import { freePort } from '../helpers/processes';
import { logInAdmin, signUp } from '../helpers/graphql';
import { startTestWorker, suitePrefix } from '../helpers/worker';

const ROOT = path.resolve(__dirname, '../..');

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run perks -- ...` as an operator types it: its own process, through ts-node, stdout not a TTY. */
function perks(args: string[], env: Record<string, string>): Promise<Ran> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'src/scripts/perks.ts'), ...args], {
    cwd: ROOT,
    // Only what the CLI reads: no PERKS_* leaks in from the environment running the tests.
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const INGEST = `mutation { ingestActivity(input: { posts: [], interactions: [] }) { __typename } }`;

describe('the operator CLI against a running API (real Postgres, Redis and worker)', () => {
  let database: { url: string; drop: () => Promise<void> };
  let api: TestApi;
  let worker: WorkerRuntime;
  let operator: Record<string, string>;

  beforeAll(async () => {
    database = await createScratchDatabase('cli');
    api = await startTestApi({ DATABASE_URL: database.url, BULLMQ_PREFIX: suitePrefix('cli') });
    worker = await startTestWorker(api);
    operator = { PERKS_URL: api.url, PERKS_EMAIL: api.env.ADMIN_EMAIL, PERKS_PASSWORD: api.env.ADMIN_PASSWORD };
  });
  afterAll(async () => {
    await worker?.close();
    await api?.stop();
    await database?.drop();
  });

  it('creates, lists and revokes a connector key; the key works until it is revoked', async () => {
    const created = await perks(['keys', 'create', '--name', 'cli connector', '--scopes', 'INGEST', '--json'], operator);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    const key = JSON.parse(created.stdout);
    expect(key).toMatchObject({ name: 'cli connector', scopes: ['INGEST'], revokedAt: null, key: expect.any(String) });
    expect((await api.client.request(INGEST, {}, { apiKey: key.key })).errors).toBeUndefined();

    const listed = await perks(['keys', 'list'], operator);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${key.id}\\s+cli connector\\s+${key.prefix}\\s+INGEST`, 'm'));

    const revoked = await perks(['keys', 'revoke', key.id], operator);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`revoked key ${key.id} "cli connector"`);
    const refused = await api.client.request(INGEST, {}, { apiKey: key.key });
    expect(refused.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const after = JSON.parse((await perks(['keys', 'list', '--json'], operator)).stdout);
    expect(after.find((k: { id: string }) => k.id === key.id).revokedAt).toEqual(expect.any(String));
  });

  it('grants an agency the right to act for a brand, and withdraws it', async () => {
    const brand = await signUp(api.client, 'BRAND');
    const agency = await signUp(api.client, 'AGENCY');
    // An operator's token works as well as a password.
    const asToken = { PERKS_URL: api.url, PERKS_TOKEN: await logInAdmin(api.client) };
    const granted = await perks(['agencies', 'grant', brand.organizationId!, agency.organizationId!, '--json'], asToken);
    expect(granted.code).toBe(0);
    expect(JSON.parse(granted.stdout)).toMatchObject({ brand: { id: brand.organizationId }, agency: { id: agency.organizationId } });
    const agencies = async () =>
      (
        await api.client.ok(
          `query($id: ID!) { organization(id: $id) { agencies { id } } }`,
          { id: brand.organizationId },
          { token: brand.token },
        )
      ).organization.agencies;
    expect(await agencies()).toEqual([{ id: agency.organizationId }]);

    // A brand is not an agency: the typed refusal, in its own words.
    const wrong = await perks(['agencies', 'grant', brand.organizationId!, brand.organizationId!], asToken);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^perks: NOT_AN_AGENCY: /);

    const withdrawn = await perks(['agencies', 'revoke', brand.organizationId!, agency.organizationId!], asToken);
    expect(withdrawn).toMatchObject({ code: 0, stdout: 'grant withdrawn\n' });
    expect(await agencies()).toEqual([]);
  });

  it('requests a score run and follows it to 100% with plain lines when stdout is not a terminal', async () => {
    const date = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const requested = await perks(['score-run', 'request', '--date', date, '--json'], operator);
    expect(requested.code).toBe(0);
    const run = JSON.parse(requested.stdout);
    expect(run).toMatchObject({ runDate: date, status: expect.stringMatching(/PENDING|RUNNING|SUCCEEDED/) });

    const followed = await perks(['score-run', 'follow', run.id, '--interval', '100'], operator);
    expect(followed).toMatchObject({ code: 0, stderr: '' });
    const lines = followed.stdout.trim().split('\n');
    expect(lines.at(-1)).toMatch(new RegExp(`^run ${run.id} \\(${date}\\) SUCCEEDED 100\\.0% elapsed \\d+s$`));
    const percents = lines.map((l) => Number(/ (\d+\.\d)% /.exec(l)![1]));
    for (let i = 1; i < percents.length; i++) expect(percents[i]).toBeGreaterThanOrEqual(percents[i - 1]);
    expect(followed.stdout).not.toContain('\r'); // no bar redraws outside a terminal

    // Without an id: the newest run; as JSON lines for scripts.
    const latest = await perks(['score-run', 'follow', '--json'], operator);
    expect(latest.code).toBe(0);
    expect(JSON.parse(latest.stdout.trim().split('\n').at(-1)!)).toMatchObject({ id: run.id, status: 'SUCCEEDED', progress: 1 });
    const listed = await perks(['score-run', 'list'], operator);
    expect(listed.stdout).toMatch(new RegExp(`^${run.id}\\s+${date}\\s+SUCCEEDED\\s+DONE\\s+1\\s`, 'm'));
  });

  it('shows every queue with its job counts', async () => {
    const shown = await perks(['queues', '--json'], operator);
    expect(shown.code).toBe(0);
    const queues = JSON.parse(shown.stdout);
    expect(queues.map((q: { name: string }) => q.name)).toEqual(['scoring', 'matching', 'maintenance', 'webhooks', 'email']);
    for (const q of queues) expect(q).toMatchObject({ reachable: true, paused: false, waiting: expect.any(Number), outboxed: 0 });
    // The score run of the test above completed on the scoring queue.
    expect(queues[0].completed).toBeGreaterThanOrEqual(1);
    const text = await perks(['queues'], operator);
    expect(text.stdout.split('\n')[0]).toMatch(/^name\s+reachable\s+paused\s+waiting/);
  });

  it('says clearly what went wrong, with exit code 1 for refusals and 2 for usage, never a stack', async () => {
    const badPassword = await perks(['keys', 'list'], { ...operator, PERKS_PASSWORD: 'not the password' });
    expect(badPassword.code).toBe(1);
    expect(badPassword.stderr).toMatch(/^perks: sign-in refused: .+ \(check PERKS_EMAIL and PERKS_PASSWORD\)\n$/);

    const badToken = await perks(['queues'], { PERKS_URL: api.url, PERKS_TOKEN: 'not-a-token' });
    expect(badToken.code).toBe(1);
    expect(badToken.stderr).toMatch(/^perks: not signed in: .+\(check PERKS_TOKEN\)\n$/);

    const brand = await signUp(api.client, 'BRAND');
    const notOperator = await perks(['queues'], { PERKS_URL: api.url, PERKS_EMAIL: brand.email, PERKS_PASSWORD: 'correct horse battery' });
    expect(notOperator).toMatchObject({ code: 1, stderr: `perks: ${brand.email} is not an operator: the CLI needs an operator account\n` });

    const nobody = await perks(['queues'], { PERKS_URL: `http://127.0.0.1:${await freePort()}`, PERKS_TOKEN: 'x' });
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toMatch(
      /^perks: cannot reach the API at http:\/\/127\.0\.0\.1:\d+\/graphql \(ECONNREFUSED\): is it running\? check PERKS_URL\n$/,
    );

    const remote = await perks(['queues'], { PERKS_URL: 'https://perks.example.com' });
    expect(remote).toMatchObject({
      code: 2,
      stderr: 'perks: set PERKS_TOKEN, or PERKS_EMAIL and PERKS_PASSWORD, to sign in to https://perks.example.com\n',
    });

    const unknownKey = await perks(['keys', 'revoke', '00000000-0000-4000-8000-000000000000'], operator);
    expect(unknownKey.code).toBe(1);
    expect(unknownKey.stderr).toMatch(/^perks: .*(not found|No API key)/i);

    const noRun = await perks(['score-run', 'follow', '999999'], operator);
    expect(noRun).toMatchObject({ code: 1, stderr: 'perks: no score run with id 999999\n' });

    const badDate = await perks(['score-run', 'request', '--date', '2026-02-30'], operator);
    expect(badDate.code).toBe(1);
    expect(badDate.stderr).toMatch(/^perks: INVALID_RUN_DATE: date must be a calendar date/);

    for (const args of [['frobnicate'], ['keys', 'create'], ['score-run', 'follow', 'abc'], ['queues', '--bogus'], []]) {
      const wrong = await perks(args, operator);
      expect(wrong.code).toBe(2);
      expect(wrong.stdout + wrong.stderr).toContain('usage: npm run perks -- <command>');
    }
    const help = await perks(['--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('score-run follow [<id>]');
    for (const ran of [badPassword, badToken, notOperator, nobody, unknownKey, noRun, badDate]) expect(ran.stderr).not.toMatch(/\n\s+at /);
  });
});
