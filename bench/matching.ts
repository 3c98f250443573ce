import http from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../ormconfig';
import { Role, type UserPrincipal } from '../src/core/context';
import { readInstanceId } from '../src/core/instance';
import { closeQueues, createQueues } from '../src/core/queues';
import { createRedis } from '../src/core/redis';
import { signAccessToken } from '../src/modules/accounts/tokens';
import { PerkKind } from '../src/modules/campaigns/campaign.entity';
import { createServices, type Services } from '../src/modules/services';
import { loadEnv } from '../src/core/env';
import { cpuMicrosPerRequest, cpuSecondsOf, ensureScored, flag, listFlag, postgresCpuSeconds, seededDatabase, startApi } from './lib';
import { findPgbench, pgbenchClaims, type PgbenchFigures } from './pgbench';

const JWT_SECRET = 'bench-secret-bench-secret-bench-secret-0';

/** A scored 1M-influencer network (cached), services on it, and a brand to own the campaigns. */
async function setUp(): Promise<{
  url: string;
  dataSource: DataSource;
  services: Services;
  brand: UserPrincipal;
  close: () => Promise<void>;
}> {
  const influencers = flag('influencers', 1_000_000);
  const interactions = flag('interactions', 5_000_000);
  const { url, runDate } = await seededDatabase(influencers, interactions, 1);
  await ensureScored(url, runDate);
  const env = loadEnv({ ...process.env, DATABASE_URL: url, JWT_SECRET, LOG_LEVEL: 'warn' });
  const dataSource = await createDataSource(url, 4).initialize();
  const redis = createRedis(env.REDIS_URL);
  const queues = createQueues(redis, `perks-bench-${process.pid}`);
  const services = createServices(dataSource, env, queues, await readInstanceId(dataSource));
  // Launching enqueues match jobs; no worker consumes this prefix, and close() drops the queues.
  const [{ id: userId }] = await dataSource.query(
    `INSERT INTO users (email, password_hash, role, name) VALUES ($1, 'x', 'BRAND', 'Bench brand') RETURNING id`,
    [`bench-brand-${Date.now()}@bench.perks`],
  );
  const [{ id: brandId }] = await dataSource.query(`INSERT INTO organizations (kind, name) VALUES ('BRAND', 'Bench brand') RETURNING id`);
  await dataSource.query(`INSERT INTO memberships (user_id, organization_id, role) VALUES ($1, $2, 'OWNER')`, [userId, brandId]);
  return {
    url,
    dataSource,
    services,
    brand: { kind: 'user', userId, role: Role.BRAND },
    close: async () => {
      for (const queue of Object.values(queues)) await queue.obliterate({ force: true }).catch(() => undefined);
      await closeQueues(queues);
      await redis.quit();
      await dataSource.destroy();
    },
  };
}

async function launchedCampaign(
  services: Services,
  brand: UserPrincipal,
  inventory: number,
  maxOutstandingOffers: number,
  minScore?: number,
) {
  const campaign = await services.campaigns.create(brand, {
    name: 'Bench campaign',
    perk: { title: 'Bench perk', description: '', kind: PerkKind.PRODUCT, valueCents: 100, currency: 'USD' },
    inventory,
    maxOutstandingOffers,
    offerLifetimeHours: 72,
    targeting: minScore === undefined ? {} : { minScore },
    endsAt: new Date(Date.now() + 86_400_000),
  });
  if (!('id' in campaign)) throw new Error(campaign.message);
  await services.campaigns.transition(brand, campaign.id, 'launch');
  return campaign.id;
}

async function dropCampaign(dataSource: DataSource, id: string): Promise<void> {
  await dataSource.query(`DELETE FROM claims WHERE campaign_id = $1`, [id]);
  await dataSource.query(`DELETE FROM offers WHERE campaign_id = $1`, [id]);
  // Each offer wrote its OFFER_NEW notification (no index leads from a campaign to them: a bench-only scan).
  await dataSource.query(`DELETE FROM notifications WHERE data->>'campaignId' = $1`, [id]);
  await dataSource.query(`DELETE FROM campaigns WHERE id = $1`, [id]);
  // The next measured run starts on clean tables, not on the dead rows of this one.
  await dataSource.query(`VACUUM ANALYZE offers, claims, campaigns, notifications`);
}

/**
 * pgbench's bare claim at the same clients and number of transactions, on a campaign of its own
 * (launched and matched like the API's, dropped after), with the ratios printed; nothing when
 * pgbench is not installed.
 */
async function pgbenchFloor(
  dataSource: DataSource,
  url: string,
  services: Services,
  brand: UserPrincipal,
  clients: number,
  claims: number,
): Promise<{ runs: PgbenchFigures[]; fourStatementTps: number | null; oneStatementTps: number | null }> {
  if (!(await findPgbench())) {
    console.log('pgbench is not on PATH: no floor measured, no ratio printed');
    return { runs: [], fourStatementTps: null, oneStatementTps: null };
  }
  const transactions = Math.ceil(claims / clients) * clients;
  const id = await launchedCampaign(services, brand, transactions, transactions);
  try {
    await services.matching.matchCampaign(id);
    const describe = (r: PgbenchFigures) =>
      `pgbench ${r.script.padEnd(14)} ${r.tps} tps (${r.transactions} transactions at ${r.clients} clients, ${r.failed} failed, latency ${r.latencyMs} ms; CPU per transaction: Postgres ${r.postgresMicrosPerTransaction ?? '?'} µs, pgbench ${r.clientMicrosPerTransaction ?? '?'} µs); claims ${r.claims}, remaining ${r.remaining}: ${r.oversold ? 'OVERSOLD' : 'no oversell'}`;
    const runs = await pgbenchClaims(dataSource, url, id, clients, transactions);
    for (const r of runs) console.log(describe(r));
    // --pgbench-clients 2,10: the same scripts at other client counts, for information only (the
    // ratio is to the run at the API's connections). How Postgres's CPU per transaction grows with
    // the transactions queued at the campaign's row differs between machines.
    for (const at of listFlag('pgbench-clients', []).filter((n) => Number.isInteger(n) && n >= 1 && n !== clients)) {
      const extra = await pgbenchClaims(dataSource, url, id, at, Math.floor(transactions / at) * at);
      for (const r of extra) console.log(`(for information) ${describe(r)}`);
      runs.push(...extra);
    }
    const tpsOf = (script: PgbenchFigures['script']) => runs.find((r) => r.script === script)?.tps ?? null;
    return { runs, fourStatementTps: tpsOf('four-statement'), oneStatementTps: tpsOf('one-statement') };
  } finally {
    await dropCampaign(dataSource, id);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * `npm run bench -- matching`: a campaign whose targeting admits about 100,000 of the 1M
 * influencers is matched end to end (expire, withdraw, one INSERT ... SELECT), three times on a
 * fresh campaign; then matched again with every offer in place (the withdraw check over them all).
 */
export async function benchMatching(): Promise<Record<string, unknown>> {
  const target = flag('eligible', 100_000);
  const { dataSource, services, brand, close } = await setUp();
  try {
    const [run] = await dataSource.query(`SELECT id FROM score_runs WHERE is_current`);
    const [{ score }] = await dataSource.query(`SELECT score FROM influencer_scores_r${run.id} ORDER BY score DESC OFFSET $1 LIMIT 1`, [
      target,
    ]);
    const minScore = score + 1;
    const firsts: number[] = [];
    const again: number[] = [];
    let offered = 0;
    for (let i = 0; i < 3; i++) {
      const id = await launchedCampaign(services, brand, 1000, 1_000_000, minScore);
      let started = performance.now();
      const report = await services.matching.matchCampaign(id);
      firsts.push((performance.now() - started) / 1000);
      offered = report.offered;
      started = performance.now();
      await services.matching.matchCampaign(id);
      again.push((performance.now() - started) / 1000);
      const [{ notified }] = await dataSource.query(
        `SELECT count(*)::int AS notified FROM notifications WHERE kind = 'OFFER_NEW' AND data->>'campaignId' = $1`,
        [id],
      );
      await dropCampaign(dataSource, id);
      console.log(
        `match ${i + 1}: ${report.offered} offers (${notified} notified) in ${firsts[i].toFixed(2)} s; rematch ${again[i].toFixed(2)} s`,
      );
    }
    const seconds = median(firsts);
    console.log(`minScore ${minScore}: ${offered} offers, median ${seconds.toFixed(2)} s (${Math.round(offered / seconds)} offers/s)`);
    return {
      bench: 'matching',
      minScore,
      offers: offered,
      matchSeconds: Math.round(seconds * 100) / 100,
      offersPerSecond: Math.round(offered / seconds),
      rematchSeconds: Math.round(median(again) * 100) / 100,
    };
  } finally {
    await close();
  }
}

/**
 * `npm run bench -- claims`: one hot campaign with `units` units offered to `claimers`
 * influencers (more people than units); every claimer sends one claimOffer through the API
 * process at 50 connections, each with its own token and idempotency key. Afterwards the
 * database must show no oversell: claims = inventory - remaining <= inventory.
 */
export async function benchClaims(): Promise<Record<string, unknown>> {
  const units = flag('units', 8_000);
  const claimers = flag('claimers', 10_000);
  const connections = flag('connections', 50);
  // --webhooks: the brand has an endpoint subscribed to every event (a local receiver answering 200),
  // so each claim also writes its event and delivery and asks Redis for a delivery job.
  const webhooks = process.argv.includes('--webhooks');
  const { url, dataSource, services, brand, close } = await setUp();
  const prefix = `perks-bench-claims-${process.pid}`;
  const api = await startApi({
    DATABASE_URL: url,
    NODE_ENV: 'production',
    JWT_SECRET,
    ADMIN_PASSWORD: 'bench-admin-password',
    BULLMQ_PREFIX: prefix,
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  });
  const receiver = webhooks ? http.createServer((_req, res) => res.writeHead(200).end()) : null;
  let campaignId: string | undefined;
  try {
    if (receiver) {
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      const [{ organization_id: brandId }] = await dataSource.query(`SELECT organization_id FROM memberships WHERE user_id = $1`, [
        brand.userId,
      ]);
      await dataSource.query(
        `INSERT INTO webhook_endpoints (organization_id, url, events, secret)
         VALUES ($1, $2, '{claim.created,claim.cancelled,claim.redeemed,offer.declined,campaign.sold_out,campaign.ended}', $3)`,
        [brandId, `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`, `whsec_${'b'.repeat(43)}`],
      );
    }
    campaignId = await launchedCampaign(services, brand, units, claimers);
    // --budget N (minor units; each claim spends 100) and --cap N (the brand's cap) measure the claim path with them on.
    const budget = flag('budget', -1);
    const cap = flag('cap', -1);
    if (budget >= 0) await dataSource.query(`UPDATE campaigns SET budget = $2 WHERE id = $1`, [campaignId, budget]);
    await dataSource.query(
      `UPDATE organizations SET max_active_claims_per_influencer = $2 WHERE id = (SELECT brand_id FROM campaigns WHERE id = $1)`,
      [campaignId, cap >= 1 ? cap : null],
    );
    const report = await services.matching.matchCampaign(campaignId);
    // Give the offered influencers logins, so each can claim with a token of their own.
    // Set-up, not measured: no statement timeout, so a busy machine slows it down instead of failing the run.
    const people: Array<{ user_id: string; offer_id: string }> = await dataSource.transaction(async (m) => {
      await m.query(`SET LOCAL statement_timeout = 0`);
      return m.query(
        `WITH o AS (SELECT id AS offer_id, influencer_id FROM offers WHERE campaign_id = $1),
            u AS (INSERT INTO users (email, password_hash, role, name)
                  SELECT 'bench-' || o.offer_id || '@bench.perks', 'x', 'INFLUENCER', 'Bench' FROM o RETURNING id, email),
            linked AS (UPDATE influencers i SET user_id = u.id FROM o JOIN u ON u.email = 'bench-' || o.offer_id || '@bench.perks'
                       WHERE i.id = o.influencer_id RETURNING i.user_id, o.offer_id)
       SELECT user_id, offer_id FROM linked`,
        [campaignId],
      );
    });
    const settings = { secret: JWT_SECRET, issuer: 'perks-api', audience: 'perks-clients', ttlSeconds: 3600 };
    const requests = await Promise.all(
      people.map(async (p, i) => ({
        token: (await signAccessToken(p.user_id, settings)).token,
        body: JSON.stringify({
          query: `mutation($o: ID!, $k: String) { claimOffer(offerId: $o, idempotencyKey: $k) { __typename ... on Claim { id } } }`,
          variables: { o: p.offer_id, k: `bench-${i}-${Date.now()}` },
        }),
      })),
    );
    console.log(
      `campaign with ${units} units offered to ${report.offered} influencers; ${requests.length} claims at ${connections} connections`,
    );
    let next = 0;
    const outcomes: Record<string, number> = {};
    const cpuBefore = cpuSecondsOf(api.child.pid!);
    const postgresBefore = postgresCpuSeconds();
    const clientBefore = process.cpuUsage();
    const started = performance.now();
    // autocannon reports the end on its next one-second tick: the last answer marks it exactly.
    let lastResponse = started;
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url: api.url,
          connections,
          amount: requests.length,
          requests: [
            {
              method: 'POST',
              setupRequest: (request) => {
                const r = requests[next++ % requests.length];
                return { ...request, body: r.body, headers: { 'content-type': 'application/json', authorization: `Bearer ${r.token}` } };
              },
              onResponse: (_status, body) => {
                lastResponse = performance.now();
                const type = /"__typename":"(\w+)"/.exec(body)?.[1] ?? 'error';
                outcomes[type] = (outcomes[type] ?? 0) + 1;
              },
            },
          ],
        },
        (error, finished) => (error ? reject(error) : resolve(finished)),
      );
      void instance;
    });
    const seconds = (lastResponse - started) / 1000;
    const cpuMicrosPerClaim = cpuMicrosPerRequest(cpuBefore, cpuSecondsOf(api.child.pid!), requests.length);
    const postgresMicrosPerClaim = cpuMicrosPerRequest(postgresBefore, postgresCpuSeconds(), requests.length);
    const client = process.cpuUsage(clientBefore);
    const clientMicrosPerClaim = Math.round((client.user + client.system) / requests.length);
    const [check] = await dataSource.query(
      `SELECT c.inventory, c.remaining, c.status, c.budget::float8 AS budget, c.budget_spent::float8 AS "budgetSpent",
              (SELECT count(*)::int FROM claims WHERE campaign_id = c.id AND status <> 'CANCELLED') AS claims
       FROM campaigns c WHERE c.id = $1`,
      [campaignId],
    );
    const oversold =
      check.claims - check.inventory > 0 ||
      check.inventory - check.remaining !== check.claims ||
      check.budgetSpent !== 100 * check.claims ||
      (check.budget !== null && check.budgetSpent > check.budget);
    const latency = result.latency as unknown as Record<string, number>;
    console.log(
      `${requests.length} claims in ${seconds.toFixed(1)} s: ${Math.round(requests.length / seconds)} claims/s, p50 ${latency.p50} ms, p99 ${latency.p99} ms, CPU per claim: API ${cpuMicrosPerClaim ?? '?'} µs, Postgres ${postgresMicrosPerClaim ?? '?'} µs, load generator ${clientMicrosPerClaim} µs; outcomes ${JSON.stringify(outcomes)}`,
    );
    console.log(
      `database: inventory ${check.inventory}, remaining ${check.remaining}, claims ${check.claims}, budget ${check.budget ?? 'none'}, spent ${check.budgetSpent}, status ${check.status}: ${oversold ? 'OVERSOLD' : 'no oversell'}`,
    );
    if (oversold) process.exitCode = 1;
    const [events] = await dataSource.query(
      `SELECT count(*)::int AS events, (SELECT count(*)::int FROM webhook_deliveries) AS deliveries FROM webhook_events`,
    );
    if (webhooks) console.log(`webhooks on: ${events.events} events, ${events.deliveries} deliveries written`);
    const claimsPerSecond = Math.round(requests.length / seconds);
    // The floor, after the API is gone (its pool holds connections pgbench's clients need).
    api.child.kill('SIGTERM');
    await new Promise((resolve) => (api.child.exitCode !== null ? resolve(null) : api.child.once('exit', resolve)));
    const floor = await pgbenchFloor(dataSource, url, services, brand, connections, requests.length);
    if (floor.runs.some((r) => r.oversold || r.failed > 0)) process.exitCode = 1;
    if (floor.fourStatementTps && floor.oneStatementTps) {
      console.log(
        `API ${claimsPerSecond} claims/s = ${(claimsPerSecond / floor.fourStatementTps).toFixed(2)}x pgbench's four-statement transaction (${floor.fourStatementTps} tps; target >= 0.85x), ${(claimsPerSecond / floor.oneStatementTps).toFixed(2)}x its one statement (${floor.oneStatementTps} tps)`,
      );
    }
    return {
      bench: 'claims',
      webhooks,
      webhookEvents: events.events,
      units,
      claimers: requests.length,
      connections,
      claimsPerSecond,
      cpuMicrosPerClaim,
      postgresMicrosPerClaim,
      clientMicrosPerClaim,
      pgbench: floor.runs,
      ratioToPgbench: floor.fourStatementTps ? Math.round((claimsPerSecond / floor.fourStatementTps) * 100) / 100 : null,
      ratioToOneStatement: floor.oneStatementTps ? Math.round((claimsPerSecond / floor.oneStatementTps) * 100) / 100 : null,
      p50Ms: latency.p50,
      p99Ms: latency.p99,
      outcomes,
      database: check,
      oversold,
    };
  } finally {
    api.child.kill('SIGTERM');
    receiver?.close();
    // The delivery jobs the API enqueued under the run's own prefix (no worker consumes it).
    const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const leftover = createQueues(redis, prefix);
    for (const queue of Object.values(leftover)) await queue.obliterate({ force: true }).catch(() => undefined);
    await closeQueues(leftover);
    await redis.quit();
    await dataSource.query(`DELETE FROM webhook_endpoints`); // the events and deliveries of the run go with them
    await dataSource.query(`DELETE FROM webhook_events`);
    if (campaignId) {
      await dataSource.query(
        `UPDATE influencers SET user_id = NULL WHERE user_id IN (SELECT id FROM users WHERE email LIKE 'bench-%@bench.perks' AND role = 'INFLUENCER')`,
      );
      await dataSource.query(`DELETE FROM claim_requests`);
      await dropCampaign(dataSource, campaignId);
      await dataSource.query(`DELETE FROM users WHERE email LIKE 'bench-%@bench.perks' AND role = 'INFLUENCER'`);
    }
    await close();
  }
}
