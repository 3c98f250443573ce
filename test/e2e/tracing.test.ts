import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { loadEnv } from '../../src/core/env';
import { establishedAccount } from '../helpers/accounts';
import { createScratchDatabase } from '../helpers/database';
import { campaignInput } from '../helpers/fixtures';
import { GraphQLClient, logInAdmin, signUp, type SignedUp } from '../helpers/graphql';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../helpers/otlp-receiver';
import { runEntry, waitForLog, type Running } from '../helpers/processes';
import { suitePrefix } from '../helpers/worker';

/**
 * Traces end to end: the API and the worker run as processes of their own (the instrumentations
 * patch http, express, graphql, pg and ioredis as they load, so they cannot be switched on inside
 * this jest process, which has loaded them long before) and export over OTLP/HTTP to a receiver in
 * this process, which keeps their spans in memory: the in-memory span exporter of the issue, one
 * network hop away, exercising the real exporter. Business metrics are read from both processes'
 * /metrics before and after, as deltas.
 */

const METRICS_TOKEN = `metrics-${randomBytes(12).toString('hex')}`;
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

const RECOMPUTE = `mutation Recompute($date: String) { recomputeScores(date: $date) { __typename ... on ScoreRun { id } } }`;
const RUN = `query Run($id: ID!) { scoreRun(id: $id) { status } }`;
const CREATE = `mutation CreateCampaign($input: CreateCampaignInput!) { createCampaign(input: $input) { __typename ... on Campaign { id } ... on ErrorResult { message } } }`;
const LAUNCH = `mutation LaunchCampaign($id: ID!) { launchCampaign(id: $id) { __typename ... on Campaign { status } } }`;
const OFFERS = `query MyOffers { myOffers { edges { node { id campaignId } } } }`;
const CLAIM = `mutation ClaimOffer($offerId: ID!) { claimOffer(offerId: $offerId) { __typename ... on Claim { id code } ... on ErrorResult { errorCode } } }`;
const CANCEL = `mutation CancelClaim($id: ID!) { cancelClaim(claimId: $id) { __typename ... on Claim { status } } }`;
const REDEEM = `mutation RedeemClaim($code: String!) { redeemClaim(code: $code) { __typename ... on Claim { status } } }`;
const CREATE_KEY = `mutation CreateKey($input: CreateApiKeyInput!) { createApiKey(input: $input) { ... on CreatedApiKey { key } } }`;
const INGEST = `mutation Ingest($input: IngestActivityInput!) {
  ingestActivity(input: $input) { ... on IngestReport { accepted rejected rejections { code } } }
}`;

type Samples = Map<string, number>;

/** The Prometheus text format as `name{labels}` -> value, labels sorted as prom-client writes them. */
async function scrape(url: string): Promise<Samples> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(response.status).toBe(200);
  const samples: Samples = new Map();
  for (const line of (await response.text()).split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*(?:\{.*\})?)\s+(\S+)$/.exec(line);
    if (match) samples.set(match[1], Number(match[2]));
  }
  return samples;
}

const delta = (before: Samples, after: Samples, sample: string) => (after.get(sample) ?? 0) - (before.get(sample) ?? 0);

/** Every span of the trace, checked to hang together: one root, every other span's parent in the trace. */
function traceOf(spans: ReceivedSpan[], traceId: string): { root: ReceivedSpan; spans: ReceivedSpan[] } {
  const trace = spans.filter((s) => s.traceId === traceId);
  const ids = new Set(trace.map((s) => s.spanId));
  const roots = trace.filter((s) => !s.parentSpanId);
  expect(roots).toHaveLength(1);
  expect(trace.filter((s) => s.parentSpanId && !ids.has(s.parentSpanId))).toEqual([]);
  return { root: roots[0], spans: trace };
}

/** The chain of span names from `span` up to its trace's root. */
function ancestry(trace: ReceivedSpan[], span: ReceivedSpan): string[] {
  const byId = new Map(trace.map((s) => [s.spanId, s]));
  const chain: string[] = [];
  for (let s: ReceivedSpan | undefined = span; s; s = s.parentSpanId ? byId.get(s.parentSpanId) : undefined)
    chain.push(`${s.service}:${s.name}`);
  return chain;
}

/** The span of one GraphQL operation (graphql.execute, named "<type> <name>" by the instrumentation). */
const operationSpan = (name: string) => (spans: ReceivedSpan[]) =>
  spans.find((s) => s.attributes['graphql.operation.name'] === name && /^(query|mutation) /.test(s.name));

describe('traces (OpenTelemetry over OTLP) and business metrics', () => {
  let database: { url: string; drop: () => Promise<void> };
  let receiver: OtlpReceiver;
  let api: Running;
  let worker: Running;
  let client: GraphQLClient;
  let apiMetrics: string;
  let workerMetrics: string;
  let admin: string;
  let brand: SignedUp;
  let first: SignedUp;
  let second: SignedUp;
  let campaignId: string;

  beforeAll(async () => {
    [database, receiver] = await Promise.all([createScratchDatabase('otel'), startOtlpReceiver()]);
    const env = {
      DATABASE_URL: database.url,
      BULLMQ_PREFIX: suitePrefix('otel'),
      PORT: '0',
      WORKER_PORT: '0',
      HOST: '127.0.0.1',
      METRICS_TOKEN,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      // Spans reach the receiver within a fifth of a second instead of five.
      OTEL_BSP_SCHEDULE_DELAY: '200',
    };
    api = runEntry('main.ts', env, 'api');
    worker = runEntry('worker.ts', env, 'worker');
    const [listening, ready] = await Promise.all([waitForLog(api, 'API listening'), waitForLog(worker, 'worker ready')]);
    client = new GraphQLClient(listening.url);
    apiMetrics = listening.url.replace(/\/graphql$/, '/metrics');
    workerMetrics = ready.metrics;
    admin = await logInAdmin(client);
    [brand, first, second] = await Promise.all([
      signUp(client, 'BRAND'),
      signUp(client, 'INFLUENCER', { country: 'FR' }),
      signUp(client, 'INFLUENCER', { country: 'FR' }),
    ]);
  }, 180_000);

  afterAll(async () => {
    for (const running of [api, worker].filter(Boolean)) {
      if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGTERM');
      await running.exited;
    }
    await receiver?.close();
    await database?.drop();
  }, 60_000);

  it('names each process in its spans and counts a score run by phase on the worker', async () => {
    const before = await scrape(workerMetrics);
    const { recomputeScores } = await client.ok(RECOMPUTE, { date: yesterday }, { token: admin });
    expect(recomputeScores.__typename).toBe('ScoreRun');
    let status = '';
    for (let i = 0; i < 1200 && status !== 'SUCCEEDED'; i++) {
      ({
        scoreRun: { status },
      } = await client.ok(RUN, { id: recomputeScores.id }, { token: admin }));
      expect(status).not.toBe('FAILED');
      if (status !== 'SUCCEEDED') await new Promise((r) => setTimeout(r, 100));
    }
    // The histogram is observed just after the row says SUCCEEDED: scrape until it shows.
    let after = await scrape(workerMetrics);
    for (let i = 0; i < 100 && delta(before, after, 'perks_score_run_phase_duration_seconds_count{phase="total"}') < 1; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await scrape(workerMetrics);
    }
    for (const phase of ['loading', 'computing', 'writing', 'switching', 'total']) {
      expect(delta(before, after, `perks_score_run_phase_duration_seconds_count{phase="${phase}"}`)).toBe(1);
    }

    // The run's job span is the worker's, a child of the request that asked for it (the API's).
    const job = await receiver.waitFor(
      (spans) => spans.find((s) => s.name === 'process recompute-scores' && s.service === 'perks-worker'),
      'score run job span',
    );
    const { root, spans } = traceOf(receiver.spans, job.traceId);
    expect(root).toMatchObject({ service: 'perks-api', kind: 2 });
    expect(ancestry(spans, job)).toEqual(expect.arrayContaining(['perks-api:enqueue recompute-scores']));
  });

  it('a job a request enqueues (launchCampaign -> match-campaign) runs in the worker as a span of that request trace', async () => {
    const { createCampaign } = await client.ok(CREATE, { input: campaignInput('Traced') }, brand);
    expect(createCampaign.__typename).toBe('Campaign');
    campaignId = createCampaign.id;
    expect((await client.ok(LAUNCH, { id: campaignId }, brand)).launchCampaign.status).toBe('ACTIVE');

    const launch = await receiver.waitFor(operationSpan('LaunchCampaign'), 'LaunchCampaign execute span');
    const job = await receiver.waitFor(
      (spans) => spans.find((s) => s.traceId === launch.traceId && s.name === 'process match-campaign'),
      "match-campaign job span in the launch's trace",
    );
    expect(job).toMatchObject({ service: 'perks-worker', kind: 5, attributes: { 'messaging.destination.name': 'matching' } });
    // The matching job's own SQL is in the trace too, under the job's span.
    const jobSql = await receiver.waitFor(
      (spans) => spans.find((s) => s.traceId === launch.traceId && s.service === 'perks-worker' && s.attributes['db.query.text']),
      "the match job's SQL",
    );
    const { root, spans } = traceOf(receiver.spans, launch.traceId);
    expect(root).toMatchObject({ service: 'perks-api', kind: 2 });
    const chain = ancestry(spans, jobSql);
    expect(chain.slice(0, 3)).toEqual([
      expect.stringMatching(/^perks-worker:/),
      'perks-worker:process match-campaign',
      'perks-api:enqueue match-campaign',
    ]);
    expect(chain[chain.length - 1]).toBe(`perks-api:${root.name}`);
  });

  it('one claimOffer request is one trace from the HTTP server span through GraphQL to its SQL; its log line carries the trace id', async () => {
    let offerId: string | undefined;
    for (let i = 0; i < 600 && !offerId; i++) {
      const { myOffers } = await client.ok(OFFERS, {}, first);
      offerId = myOffers.edges.find((e: { node: { campaignId: string } }) => e.node.campaignId === campaignId)?.node.id;
      if (!offerId) await new Promise((r) => setTimeout(r, 100));
    }
    expect(offerId).toBeDefined();
    const { claimOffer } = await client.ok(CLAIM, { offerId }, first);
    expect(claimOffer.__typename).toBe('Claim');

    const execute = await receiver.waitFor(operationSpan('ClaimOffer'), 'ClaimOffer execute span');
    // The SQL spans end before the response; the HTTP span last of all: wait for both.
    await receiver.waitFor(
      (spans) =>
        spans.some((s) => s.traceId === execute.traceId && s.kind === 2) &&
        spans.some((s) => s.traceId === execute.traceId && /claim_offer_fast/.test(String(s.attributes['db.query.text']))),
      'the claim trace complete',
    );
    const { root, spans } = traceOf(receiver.spans, execute.traceId);
    expect(root).toMatchObject({ service: 'perks-api', kind: 2, attributes: { 'http.request.method': 'POST', 'url.path': '/graphql' } });
    expect(spans.every((s) => s.service === 'perks-api')).toBe(true);
    const names = spans.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining([expect.stringMatching(/^graphql\.parse/), expect.stringMatching(/^graphql\.validate/)]));
    expect(names.some((n) => /^(middleware|request handler|router) /.test(n))).toBe(true); // Express's layers
    const sql = spans.filter((s) => s.attributes['db.query.text']);
    const statements = sql.map((s) => String(s.attributes['db.query.text']));
    // An eligible claim is one message: BEGIN, the key and the offer's lock, the claim, COMMIT.
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^BEGIN; SET LOCAL plan_cache_mode = force_generic_plan; EXECUTE claim_offer_lock\(\.\.\.\); EXECUTE claim_offer_fast\(\.\.\.\); COMMIT$/,
        ),
      ]),
    );
    // Each query hangs under the operation: pg span -> ... -> graphql.execute -> ... -> HTTP server span.
    for (const query of sql) {
      const chain = ancestry(spans, query);
      expect(chain).toContain(`perks-api:${execute.name}`);
      expect(chain[chain.length - 1]).toBe(`perks-api:${root.name}`);
    }
    // The values inlined in EXECUTE (the redemption code among them) never reach the collector.
    expect(JSON.stringify(spans)).not.toContain(claimOffer.code);

    const line = await waitForLog(api, 'request', (l) => l.operationName === 'ClaimOffer');
    expect(line).toMatchObject({ trace_id: execute.traceId, span_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
  });

  it('counts claims, redemptions, cancellations and ingested and rejected items on the API /metrics', async () => {
    const before = await scrape(apiMetrics);
    const offers = async (who: SignedUp) =>
      (await client.ok(OFFERS, {}, who)).myOffers.edges.map((e: { node: { id: string } }) => e.node.id);
    const [firstOffer] = await offers(first);
    const [secondOffer] = await offers(second);
    const again = (await client.ok(CLAIM, { offerId: firstOffer }, first)).claimOffer;
    expect(again.errorCode).toBe('ALREADY_CLAIMED');
    const claimed = (await client.ok(CLAIM, { offerId: secondOffer }, second)).claimOffer;
    expect(claimed.__typename).toBe('Claim');
    expect((await client.ok(CANCEL, { id: claimed.id }, second)).cancelClaim.status).toBe('CANCELLED');
    const [{ code }] = await claimCodes(first);
    expect((await client.ok(REDEEM, { code }, brand)).redeemClaim.status).toBe('REDEEMED');

    const key = (await client.ok(CREATE_KEY, { input: { name: 'otel connector', scopes: ['INGEST'] } }, { token: admin })).createApiKey.key;
    const { ingestActivity } = await client.ok(
      INGEST,
      {
        input: { posts: [], interactions: [], accounts: [establishedAccount('X', 'otel_fan'), establishedAccount('NOWHERE', 'otel_lost')] },
      },
      { apiKey: key },
    );
    expect(ingestActivity).toMatchObject({ accepted: 1, rejected: 1 });
    const reason = ingestActivity.rejections[0].code;

    const after = await scrape(apiMetrics);
    expect(delta(before, after, 'perks_claims_total{outcome="claimed"}')).toBe(1);
    expect(delta(before, after, 'perks_claims_total{outcome="ALREADY_CLAIMED"}')).toBe(1);
    expect(delta(before, after, 'perks_claim_cancellations_total{by="influencer"}')).toBe(1);
    expect(delta(before, after, 'perks_redemptions_total')).toBe(1);
    expect(delta(before, after, 'perks_ingested_items_total{kind="accounts"}')).toBe(1);
    expect(delta(before, after, `perks_ingest_rejected_total{reason="${reason}"}`)).toBe(1);
    // The worker computes no claims: its counters stay where they were.
    expect((await scrape(workerMetrics)).get('perks_claims_total{outcome="claimed"}') ?? 0).toBe(0);
  });

  async function claimCodes(who: SignedUp): Promise<Array<{ code: string }>> {
    const { myClaims } = await client.ok(`query { myClaims { edges { node { code } } } }`, {}, who);
    return myClaims.edges.map((e: { node: { code: string } }) => e.node);
  }

  it("keeps a GraphQL GET's variables out of the HTTP span", async () => {
    const secret = `secret-${randomBytes(6).toString('hex')}`;
    const url = new URL(client.endpoint);
    url.searchParams.set('query', 'query GetMe { me { email } }'); // variables it does not declare are ignored
    url.searchParams.set('variables', JSON.stringify({ x: secret }));
    const response = await fetch(url, { headers: { authorization: `Bearer ${first.token}`, 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(200);
    const execute = await receiver.waitFor(operationSpan('GetMe'), 'GetMe execute span');
    const server = await receiver.waitFor(
      (spans) => spans.find((s) => s.traceId === execute.traceId && s.kind === 2),
      'the GET request span',
    );
    expect(server.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.path': '/graphql',
      'url.query': expect.stringContaining('variables='),
    });
    expect(JSON.stringify(receiver.spans.filter((s) => s.traceId === execute.traceId))).not.toContain(secret);
  });

  it('stops cleanly on SIGTERM, sending the spans still buffered', async () => {
    const me = await client.ok(`query LastWords { me { email } }`, {}, first);
    expect(me.me.email).toBe(first.email);
    for (const running of [api, worker]) running.child.kill('SIGTERM');
    expect(await Promise.all([api.exited, worker.exited])).toEqual([0, 0]);
    await receiver.waitFor(operationSpan('LastWords'), 'the last request before SIGTERM', 10_000);
  });

  it('refuses an OTLP endpoint that is not an http(s) URL, saying what to set', () => {
    expect(() => loadEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(
      'OTEL_EXPORTER_OTLP_ENDPOINT must be a URL like http://collector:4318',
    );
    expect(loadEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://collector:4318');
    expect(loadEnv({}).OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
  });

  it('with OTEL_EXPORTER_OTLP_ENDPOINT unset, no OpenTelemetry SDK or instrumentation is even loaded', () => {
    const root = path.resolve(__dirname, '../..');
    const script = `
      require('./src/core/tracing'); require('./src/core/logger'); require('./src/core/worker-runtime');
      require('./src/api/server'); require('./src/modules/jobs');
      const loaded = Object.keys(require.cache).filter((f) => /@opentelemetry[\\\\/](sdk-|instrumentation|exporter-|resources)/.test(f));
      process.stdout.write(JSON.stringify({ loaded, enabled: require('./src/core/tracing').tracingEnabled() }));`;
    const env = { ...process.env };
    delete env.OTEL_EXPORTER_OTLP_ENDPOINT;
    const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
      cwd: root,
      env,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ loaded: [], enabled: false });
  });
});
