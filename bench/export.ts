import { readFileSync } from 'node:fs';
import { createDataSource } from '../ormconfig';
import { ensureDatabase } from '../src/core/database';
import { signAccessToken } from '../src/modules/accounts/tokens';
import { flag, listFlag, startApi } from './lib';

const JWT_SECRET = 'bench-secret-bench-secret-bench-secret-0';
const METRICS_TOKEN = 'bench-metrics-token-0123456789';

/**
 * Seeds a campaign with `claims` claims in SQL (influencers with a verified account each, offers,
 * claims in all three statuses; every tenth display name starts with "=", every one holds a comma
 * and quotes), once per size: a database reused by later runs finds the campaign by its name.
 */
async function seededCampaign(url: string, brandId: string, claims: number): Promise<string> {
  const dataSource = await createDataSource(url, 2).initialize();
  try {
    const name = `Export bench ${claims}`;
    const [existing] = await dataSource.query(`SELECT id FROM campaigns WHERE brand_id = $1 AND name = $2`, [brandId, name]);
    if (existing) return existing.id;
    const started = performance.now();
    const [{ id }] = await dataSource.query(
      `INSERT INTO campaigns (brand_id, name, perk_title, perk_kind, perk_value_cents, perk_currency, inventory, remaining, starts_at, ends_at,
                              offer_lifetime_hours, max_outstanding_offers, status)
       VALUES ($1, $2, 'Bench perk', 'PRODUCT', 100, 'EUR', $3, 0, now(), now() + interval '365 days', 72, 1, 'SOLD_OUT') RETURNING id`,
      [brandId, name, claims],
    );
    await dataSource.query(
      `WITH i AS (INSERT INTO influencers (display_name, opted_in_at)
                  SELECT CASE WHEN g % 10 = 0 THEN '=SUM(A1) ' ELSE '' END || 'Bench "' || g || '", Influencer', now()
                  FROM generate_series(1, $2) g RETURNING id),
            s AS (INSERT INTO social_accounts (influencer_id, network, handle, followers, following, account_created_at, status, verified_at, verification_method)
                  SELECT id, 'X', 'exp_' || replace(id::text, '-', ''), 1000, 100, now() - interval '3 years', 'VERIFIED', now(), 'OPERATOR' FROM i),
            o AS (INSERT INTO offers (campaign_id, influencer_id, status, priority, expires_at, closed_at)
                  SELECT $1, id, 'CLAIMED', 1, now() + interval '1 day', now() FROM i RETURNING id, influencer_id),
            n AS (SELECT o.*, row_number() OVER () AS k FROM o)
       INSERT INTO claims (offer_id, campaign_id, influencer_id, code, status, claimed_at, redeemed_at, cancelled_at)
       SELECT n.id, $1, n.influencer_id, 'EXP-' || n.id,
              (CASE WHEN k % 3 = 0 THEN 'REDEEMED' WHEN k % 7 = 0 THEN 'CANCELLED' ELSE 'ACTIVE' END)::claim_status,
              now() - k * interval '1 second', CASE WHEN k % 3 = 0 THEN now() END, CASE WHEN k % 3 <> 0 AND k % 7 = 0 THEN now() END
       FROM n`,
      [id, claims],
    );
    await dataSource.query(`VACUUM ANALYZE influencers, social_accounts, offers, claims`);
    console.log(`seeded ${claims} claims in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return id;
  } finally {
    await dataSource.destroy();
  }
}

/** The API process's resident set now and at its peak so far (Linux /proc), in MB. */
function rssOf(pid: number): { rssMb: number; hwmMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)![1]);
  return { rssMb: Math.round(kb('VmRSS') / 1024), hwmMb: Math.round(kb('VmHWM') / 1024) };
}

/** The API process's V8 heap in use, from its own /metrics, in MB. */
async function heapOf(url: string): Promise<number> {
  const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  const text = await response.text();
  const used = /^nodejs_heap_size_used_bytes (\S+)$/m.exec(text);
  if (!used) throw new Error(`no heap figure in /metrics (${response.status}): ${text.slice(0, 200)}`);
  return Math.round(Number(used[1]) / 1024 / 1024);
}

/**
 * `npm run bench -- export [--sizes 10000,100000] [--runs N] [--heap-cap MB]`: a campaign's claims ledger streamed as CSV
 * through the API process (compiled, production settings), once per size, while the API's
 * resident set and heap are sampled: memory must not grow with the row count.
 */
export async function benchExport(): Promise<Record<string, unknown>> {
  const sizes = listFlag('sizes', [10_000, 100_000]);
  const repeat = flag('runs', 1);
  const base = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/perks_bench');
  base.pathname = '/perks_bench_export';
  const url = base.toString();
  await ensureDatabase(url);
  const dataSource = await createDataSource(url, 2).initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  let [owner] = await dataSource.query(`SELECT u.id AS user_id, o.id AS brand_id FROM users u
    JOIN memberships m ON m.user_id = u.id JOIN organizations o ON o.id = m.organization_id WHERE u.email = 'export-bench@bench.perks'`);
  if (!owner) {
    const [{ id: userId }] = await dataSource.query(
      `INSERT INTO users (email, password_hash, role, name) VALUES ('export-bench@bench.perks', 'x', 'BRAND', 'Export bench') RETURNING id`,
    );
    const [{ id: brandId }] = await dataSource.query(
      `INSERT INTO organizations (kind, name) VALUES ('BRAND', 'Export bench') RETURNING id`,
    );
    await dataSource.query(`INSERT INTO memberships (user_id, organization_id, role) VALUES ($1, $2, 'OWNER')`, [userId, brandId]);
    owner = { user_id: userId, brand_id: brandId };
  }
  await dataSource.destroy();
  const campaigns = new Map<number, string>();
  for (const size of sizes) campaigns.set(size, await seededCampaign(url, owner.brand_id, size));

  // --heap-cap MB: the API's old space capped, to tell retained memory (which would then fail the
  // export) from garbage V8 has not collected yet (which a roomy heap lets pile up).
  const heapCap = flag('heap-cap', 0);
  if (heapCap > 0) process.env.BENCH_API_NODE_ARGS = `${process.env.BENCH_API_NODE_ARGS ?? ''} --max-old-space-size=${heapCap}`;
  const api = await startApi({
    DATABASE_URL: url,
    NODE_ENV: 'production',
    JWT_SECRET,
    ADMIN_PASSWORD: 'bench-admin-password',
    METRICS_TOKEN,
  });
  const pid = api.child.pid!;
  // The API logs its GraphQL endpoint; the export and /metrics hang off its origin.
  const origin = new URL(api.url).origin;
  const { token } = await signAccessToken(owner.user_id, {
    secret: JWT_SECRET,
    issuer: 'perks-api',
    audience: 'perks-clients',
    ttlSeconds: 3600,
  });
  const results: Array<Record<string, number>> = [];
  try {
    // A small export first, so lazy initialisation (pools, compiled code) is not counted as growth.
    await (
      await fetch(`${origin}/exports/campaigns/${campaigns.get(sizes[0])}/claims.csv`, { headers: { authorization: `Bearer ${token}` } })
    ).text();
    for (let r = 0; r < repeat; r++) {
      for (const size of sizes) {
        const before = { ...rssOf(pid), heapMb: await heapOf(origin) };
        let peakRss = before.rssMb;
        let peakHeap = before.heapMb;
        let sampling = true;
        const sampler = (async () => {
          while (sampling) {
            peakRss = Math.max(peakRss, rssOf(pid).rssMb);
            peakHeap = Math.max(peakHeap, await heapOf(origin));
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        })();
        const started = performance.now();
        const response = await fetch(`${origin}/exports/campaigns/${campaigns.get(size)}/claims.csv`, {
          headers: { authorization: `Bearer ${token}` },
        });
        if (response.status !== 200) throw new Error(`export answered ${response.status}: ${await response.text()}`);
        let bytes = 0;
        let lines = 0;
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          bytes += chunk.length;
          for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
        }
        const seconds = (performance.now() - started) / 1000;
        sampling = false;
        await sampler;
        const after = rssOf(pid);
        const figures = {
          rows: lines - 1,
          mb: Math.round((bytes / 1024 / 1024) * 10) / 10,
          seconds: Math.round(seconds * 100) / 100,
          rowsPerSecond: Math.round((lines - 1) / seconds),
          rssBeforeMb: before.rssMb,
          rssPeakMb: peakRss,
          rssGrowthMb: peakRss - before.rssMb,
          heapBeforeMb: before.heapMb,
          heapPeakMb: peakHeap,
          heapGrowthMb: peakHeap - before.heapMb,
          processPeakRssMb: after.hwmMb,
        };
        if (figures.rows !== size) throw new Error(`expected ${size} rows, got ${figures.rows}`);
        results.push(figures);
        console.log(
          `${String(figures.rows).padStart(7)} rows  ${String(figures.mb).padStart(5)} MB  ${figures.seconds} s  (${figures.rowsPerSecond} rows/s)  API RSS ${figures.rssBeforeMb} -> peak ${figures.rssPeakMb} MB (+${figures.rssGrowthMb})  heap ${figures.heapBeforeMb} -> peak ${figures.heapPeakMb} MB (+${figures.heapGrowthMb})`,
        );
      }
    }
    console.log(`API process peak RSS over the whole run: ${rssOf(pid).hwmMb} MB`);
  } finally {
    api.child.kill('SIGTERM');
  }
  return { bench: 'export', heapCapMb: heapCap || null, results };
}
