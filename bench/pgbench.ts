import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { cpuMicrosPerRequest, postgresCpuSeconds } from './lib';

/**
 * The claims bench's floor: pgbench at the API's number of clients running a claim's bare SQL on a
 * campaign of its own, so that the API's claims/s can be read as a fraction of what Postgres does
 * with the same work and no API in front. Two scripts, each on the same offers (reset between):
 *
 *   four statements  BEGIN; the guarded UPDATE of the campaign; INSERT INTO claims; COMMIT
 *   one statement    the same UPDATE and INSERT as one statement (the INSERT only when a unit was taken)
 *
 * Each transaction takes the next of the campaign's offers (a sequence numbers them), so every claim
 * is distinct (the claims' unique offer and influencer). After each run the database is checked the
 * way the API's run is: claims = inventory - remaining, never more than the inventory.
 */

export interface PgbenchFigures {
  script: 'four-statement' | 'one-statement';
  clients: number;
  transactions: number;
  failed: number;
  tps: number;
  latencyMs: number;
  claims: number;
  remaining: number;
  oversold: boolean;
  /** CPU per transaction of Postgres and of pgbench itself (null where not readable). */
  postgresMicrosPerTransaction: number | null;
  clientMicrosPerTransaction: number | null;
}

/** pgbench's path when it is on PATH, else null. */
export function findPgbench(): Promise<string | null> {
  return new Promise((resolve) => execFile('pgbench', ['--version'], (error) => resolve(error ? null : 'pgbench')));
}

/**
 * pgbench's output and the CPU seconds it used: a shell runs it and then prints its children's
 * times (the `times` builtin), so the figure is the kernel's own account of the finished process.
 */
function runPgbench(args: string[]): Promise<{ output: string; cpuSeconds: number | null }> {
  return new Promise((resolve, reject) =>
    execFile(
      'sh',
      ['-c', 'pgbench "$@"; code=$?; times >&2; exit $code', 'sh', ...args],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`pgbench failed: ${stderr || error.message}`));
        // `times` prints the shell's user and system time, then its children's: "0m1.234s 0m0.567s".
        const children = stderr
          .trim()
          .split('\n')
          .at(-1)
          ?.match(/(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/);
        const cpuSeconds = children
          ? Number(children[1]) * 60 + Number(children[2]) + Number(children[3]) * 60 + Number(children[4])
          : null;
        resolve({ output: stdout, cpuSeconds });
      },
    ),
  );
}

/**
 * Runs both scripts on `campaignId` (already launched and matched: one offer per transaction, its
 * inventory the transactions' number) at `clients`, `transactions` in all, with prepared statements
 * (as the API's claim is). Leaves the campaign's claims in place for the caller to drop.
 */
export async function pgbenchClaims(
  dataSource: DataSource,
  databaseUrl: string,
  campaignId: string,
  clients: number,
  transactions: number,
): Promise<PgbenchFigures[]> {
  const table = `bench_pgbench_offers_${process.pid}`;
  const sequence = `${table}_n`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'perks-pgbench-'));
  await dataSource.query(
    `CREATE UNLOGGED TABLE ${table} AS
       SELECT (row_number() OVER (ORDER BY id))::int AS n, id, influencer_id FROM offers WHERE campaign_id = $1`,
    [campaignId],
  );
  await dataSource.query(`ALTER TABLE ${table} ADD PRIMARY KEY (n)`);
  await dataSource.query(`CREATE SEQUENCE ${sequence}`);
  try {
    const [{ offers }] = await dataSource.query(`SELECT count(*)::int AS offers FROM ${table}`);
    if (offers < transactions) throw new Error(`the pgbench campaign has ${offers} offers for ${transactions} transactions`);
    const next = `(SELECT o FROM ${table} o WHERE o.n = (SELECT nextval('${sequence}')))`;
    const scripts = {
      'four-statement': `BEGIN;
UPDATE campaigns SET remaining = remaining - 1 WHERE id = '${campaignId}' AND remaining > 0;
INSERT INTO claims (offer_id, campaign_id, influencer_id, code) SELECT (x.o).id, '${campaignId}', (x.o).influencer_id, 'PGB-' || (x.o).n FROM (SELECT ${next} AS o) x;
COMMIT;
`,
      'one-statement': `WITH taken AS (UPDATE campaigns SET remaining = remaining - 1 WHERE id = '${campaignId}' AND remaining > 0 RETURNING id)
INSERT INTO claims (offer_id, campaign_id, influencer_id, code) SELECT (x.o).id, taken.id, (x.o).influencer_id, 'PGB-' || (x.o).n FROM taken, (SELECT ${next} AS o) x;
`,
    } as const;
    const perClient = Math.ceil(transactions / clients);
    const results: PgbenchFigures[] = [];
    for (const [script, sql] of Object.entries(scripts) as Array<[PgbenchFigures['script'], string]>) {
      // Each script starts from the same state: no claims on the campaign, every unit there, the offers numbered from 1.
      await dataSource.query(`DELETE FROM claims WHERE campaign_id = $1`, [campaignId]);
      await dataSource.query(`UPDATE campaigns SET remaining = inventory WHERE id = $1`, [campaignId]);
      await dataSource.query(`ALTER SEQUENCE ${sequence} RESTART`);
      await dataSource.query(`VACUUM ANALYZE claims, campaigns`);
      const file = path.join(dir, `${script}.sql`);
      writeFileSync(file, sql);
      const postgresBefore = postgresCpuSeconds();
      const { output, cpuSeconds } = await runPgbench([
        '-n',
        '-M',
        'prepared',
        '-c',
        String(clients),
        '-t',
        String(perClient),
        '-f',
        file,
        databaseUrl,
      ]);
      const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(output)?.[1]);
      const done = Number(/number of transactions actually processed: (\d+)/.exec(output)?.[1]);
      const failed = Number(/number of failed transactions: (\d+)/.exec(output)?.[1] ?? 0);
      const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(output)?.[1]);
      const postgresMicrosPerTransaction = cpuMicrosPerRequest(postgresBefore, postgresCpuSeconds(), done);
      const clientMicrosPerTransaction = cpuMicrosPerRequest(0, cpuSeconds, done);
      if (!Number.isFinite(tps)) throw new Error(`pgbench printed no tps:\n${output}`);
      const [check] = await dataSource.query(
        `SELECT c.inventory, c.remaining, (SELECT count(*)::int FROM claims WHERE campaign_id = c.id) AS claims FROM campaigns c WHERE c.id = $1`,
        [campaignId],
      );
      const oversold = check.claims > check.inventory || check.remaining < 0 || check.inventory - check.remaining !== check.claims;
      results.push({
        script,
        clients,
        transactions: done,
        failed,
        tps: Math.round(tps),
        latencyMs,
        claims: check.claims,
        remaining: check.remaining,
        oversold,
        postgresMicrosPerTransaction,
        clientMicrosPerTransaction,
      });
    }
    return results;
  } finally {
    await dataSource.query(`DROP TABLE IF EXISTS ${table}`);
    await dataSource.query(`DROP SEQUENCE IF EXISTS ${sequence}`);
    rmSync(dir, { recursive: true, force: true });
  }
}
