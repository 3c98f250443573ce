import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeQueues, createQueues } from '../../src/core/queues';
import { Role } from '../../src/core/context';
import type { WorkerRuntime } from '../../src/core/worker-runtime';
import { createServices } from '../../src/modules/services';
import { startTestApi, type TestApi } from '../helpers/api';
import { createScratchDatabase } from '../helpers/database';
import { scoredInfluencers } from '../helpers/fixtures';
import { logInAdmin, signUp, type SignedUp } from '../helpers/graphql';
import { sleep, until } from '../helpers/wait';
import { startTestWorker, suitePrefix } from '../helpers/worker';

/**
 * Signed webhooks end to end: the API, a worker in this process, the real Postgres and Redis, and
 * a local HTTP receiver started here. Retries run on a short schedule (200 ms doubling, a 12 s
 * window) so the whole life of a delivery fits in a test.
 */

const ALL_EVENTS = ['CLAIM_CREATED', 'CLAIM_CANCELLED', 'CLAIM_REDEEMED', 'OFFER_DECLINED', 'CAMPAIGN_SOLD_OUT', 'CAMPAIGN_ENDED'];
const WINDOW_MS = 12_000;

const CREATE_ENDPOINT = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) {
  __typename
  ... on WebhookEndpointCreated { secret endpoint { id organizationId url events status } }
  ... on ErrorResult { errorCode message } } }`;
const ENDPOINTS = `query($org: ID!) { webhookEndpoints(organizationId: $org) { id url events status disabledAt disabledReason failingSince } }`;
const UPDATE_ENDPOINT = `mutation($id: ID!, $input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(id: $id, input: $input) {
  __typename
  ... on WebhookEndpointUpdated { secret endpoint { id url events status disabledReason } }
  ... on ErrorResult { errorCode message } } }`;
const DELETE_ENDPOINT = `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`;
const DELIVERIES = `query($id: ID!, $status: WebhookDeliveryStatus, $first: Int, $after: String) {
  webhookDeliveries(endpointId: $id, status: $status, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id eventId eventType status attempts lastResponseCode lastError nextAttemptAt deliveredAt } } } }`;
const CREATE_CAMPAIGN = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { __typename ... on Campaign { id } ... on ErrorResult { message } } }`;
const LAUNCH = `mutation($id: ID!) { launchCampaign(id: $id) { __typename ... on Campaign { status } } }`;
const END = `mutation($id: ID!) { endCampaign(id: $id) { __typename ... on Campaign { status } } }`;
const CLAIM = `mutation($offerId: ID!) { claimOffer(offerId: $offerId) { __typename ... on Claim { id code status } ... on ErrorResult { errorCode } } }`;
const CANCEL = `mutation($id: ID!) { cancelClaim(claimId: $id) { __typename ... on Claim { status } } }`;
const REDEEM = `mutation($code: String!) { redeemClaim(code: $code) { __typename ... on Claim { status } } }`;
const DECLINE = `mutation($id: ID!) { declineOffer(offerId: $id) { __typename ... on Offer { status } } }`;

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A receiver: /ok/* answers 200, /flaky/* 500 twice (per path) then 200, /down/* always 500, /hang/* never answers. */
class Receiver {
  readonly received: Received[] = [];
  private readonly counts = new Map<string, number>();
  private server!: http.Server;
  url = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        const path = req.url ?? '';
        this.received.push({ path, headers: req.headers, body, at: Date.now() });
        const n = (this.counts.get(path) ?? 0) + 1;
        this.counts.set(path, n);
        if (path.startsWith('/hang/')) return;
        const ok = path.startsWith('/ok/') || (path.startsWith('/flaky/') && n > 2);
        res.writeHead(ok ? 200 : 500, { 'content-type': 'text/plain' }).end(ok ? 'thanks' : 'broken');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

/** What a receiver does: recompute the HMAC of "<t>.<raw body>" and compare in constant time. */
function verify(secret: string, r: Received): boolean {
  const header = String(r.headers['x-perks-signature'] ?? '');
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) return false;
  if (Math.abs(Date.now() / 1000 - Number(match[1])) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${match[1]}.${r.body}`).digest();
  return timingSafeEqual(expected, Buffer.from(match[2], 'hex'));
}

describe('signed webhooks (real Postgres, Redis and a local receiver)', () => {
  let database: { url: string; drop: () => Promise<void> };
  let api: TestApi;
  let strictApi: TestApi;
  let worker: WorkerRuntime;
  let receiver: Receiver;
  let people: Array<SignedUp & { influencerId: string }>;
  let admin: string;

  const env = () => ({
    DATABASE_URL: database.url,
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    WEBHOOK_RETRY_BASE_MS: '200',
    WEBHOOK_RETRY_WINDOW_MS: String(WINDOW_MS),
    // Short enough for the hang test, long enough that a loaded machine's local receiver never misses it.
    WEBHOOK_TIMEOUT_MS: '5000',
    WEBHOOK_SWEEP_CRON: '*/2 * * * * *',
  });

  const createEndpoint = async (who: SignedUp, path: string, events = ALL_EVENTS, client = api.client) => {
    const { createWebhookEndpoint } = await client.ok(
      CREATE_ENDPOINT,
      { input: { organizationId: who.organizationId, url: `${receiver.url}${path}`, events } },
      who,
    );
    if (createWebhookEndpoint.__typename !== 'WebhookEndpointCreated') throw new Error(JSON.stringify(createWebhookEndpoint));
    return { id: createWebhookEndpoint.endpoint.id as string, secret: createWebhookEndpoint.secret as string };
  };
  /** A launched campaign of the brand, matched: every influencer holds an offer. */
  const liveCampaign = async (brand: SignedUp, inventory: number) => {
    const { createCampaign } = await api.client.ok(
      CREATE_CAMPAIGN,
      {
        input: {
          name: `Hooks ${randomUUID().slice(0, 6)}`,
          perk: { title: 'Lounge pass', kind: 'ACCESS', valueCents: 5000, currency: 'EUR' },
          inventory,
          maxOutstandingOffers: 1000,
          endsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        },
      },
      brand,
    );
    if (createCampaign.__typename !== 'Campaign') throw new Error(createCampaign.message);
    expect((await api.client.ok(LAUNCH, { id: createCampaign.id }, brand)).launchCampaign.status).toBe('ACTIVE');
    await api.services.matching.matchCampaign(createCampaign.id);
    const rows: Array<{ id: string; influencer_id: string }> = await api.dataSource.query(
      `SELECT id, influencer_id FROM offers WHERE campaign_id = $1`,
      [createCampaign.id],
    );
    return { id: createCampaign.id as string, offers: new Map(rows.map((r) => [r.influencer_id, r.id])) };
  };
  const claim = async (who: (typeof people)[number], offers: Map<string, string>) => {
    const { claimOffer } = await api.client.ok(CLAIM, { offerId: offers.get(who.influencerId) }, who);
    expect(claimOffer.__typename).toBe('Claim');
    return claimOffer as { id: string; code: string };
  };
  const deliveries = async (who: SignedUp | { token: string }, endpointId: string, status?: string) =>
    (await api.client.ok(DELIVERIES, { id: endpointId, status, first: 100 }, who)).webhookDeliveries;

  beforeAll(async () => {
    database = await createScratchDatabase('webhooks');
    receiver = new Receiver();
    await receiver.start();
    api = await startTestApi({ ...env(), BULLMQ_PREFIX: suitePrefix('webhooks') });
    strictApi = await startTestApi({ ...env(), WEBHOOK_ALLOW_PRIVATE_URLS: 'false', BULLMQ_PREFIX: suitePrefix('webhooks-strict') });
    admin = await logInAdmin(api.client);
    people = await scoredInfluencers(api, 16);
    worker = await startTestWorker(api); // after the run: its recovery job would resume the run beside us
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await strictApi?.stop();
    await api?.stop();
    await receiver?.stop();
    await database?.drop();
  });

  it('lets members and operators manage endpoints, shows the secret once, and tells outsiders nothing exists', async () => {
    const [brand, other, agency] = await Promise.all([
      signUp(api.client, 'BRAND'),
      signUp(api.client, 'BRAND'),
      signUp(api.client, 'AGENCY'),
    ]);
    const { id, secret } = await createEndpoint(brand, '/ok/crud', ['CLAIM_CREATED', 'CAMPAIGN_ENDED']);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);

    const { webhookEndpoints } = await api.client.ok(ENDPOINTS, { org: brand.organizationId }, brand);
    expect(webhookEndpoints).toEqual([
      expect.objectContaining({ id, url: `${receiver.url}/ok/crud`, events: ['CAMPAIGN_ENDED', 'CLAIM_CREATED'], status: 'ENABLED' }),
    ]);
    // The secret is no field: it cannot be read back.
    const asked = await api.client.request(
      `query($org: ID!) { webhookEndpoints(organizationId: $org) { secret } }`,
      { org: brand.organizationId },
      brand,
    );
    expect(asked.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

    // Another brand and an agency without a grant: NOT_FOUND for the organisation and for the endpoint, as for random ids.
    for (const outsider of [other, agency]) {
      for (const [query, vars] of [
        [ENDPOINTS, { org: brand.organizationId }],
        [ENDPOINTS, { org: randomUUID() }],
        [UPDATE_ENDPOINT, { id, input: { url: `${receiver.url}/ok/hijack` } }],
        [UPDATE_ENDPOINT, { id: randomUUID(), input: { url: `${receiver.url}/ok/hijack` } }],
        [DELETE_ENDPOINT, { id }],
        [DELIVERIES, { id }],
        [CREATE_ENDPOINT, { input: { organizationId: brand.organizationId, url: `${receiver.url}/ok/x`, events: ['CLAIM_CREATED'] } }],
      ] as const) {
        const response = await api.client.request(query, vars, outsider);
        expect([query.slice(0, 40), response.errors?.[0].extensions?.code]).toEqual([query.slice(0, 40), 'NOT_FOUND']);
      }
    }
    // An influencer may not manage endpoints at all.
    const influencer = await api.client.request(ENDPOINTS, { org: brand.organizationId }, people[0]);
    expect(influencer.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    // The operator sees and changes it; a rotation returns a new secret once.
    expect((await api.client.ok(ENDPOINTS, { org: brand.organizationId }, { token: admin })).webhookEndpoints).toHaveLength(1);
    const { updateWebhookEndpoint } = await api.client.ok(
      UPDATE_ENDPOINT,
      { id, input: { events: ['CLAIM_REDEEMED'], rotateSecret: true } },
      { token: admin },
    );
    expect(updateWebhookEndpoint.endpoint.events).toEqual(['CLAIM_REDEEMED']);
    expect(updateWebhookEndpoint.secret).toMatch(/^whsec_/);
    expect(updateWebhookEndpoint.secret).not.toBe(secret);
    const plain = (await api.client.ok(UPDATE_ENDPOINT, { id, input: { enabled: false } }, brand)).updateWebhookEndpoint;
    expect(plain).toMatchObject({ secret: null, endpoint: { status: 'DISABLED', disabledReason: 'disabled by a manager' } });

    expect((await api.client.ok(DELETE_ENDPOINT, { id }, brand)).deleteWebhookEndpoint).toBe(true);
    expect((await api.client.ok(ENDPOINTS, { org: brand.organizationId }, brand)).webhookEndpoints).toEqual([]);
  });

  it('refuses private, loopback and link-local URLs unless WEBHOOK_ALLOW_PRIVATE_URLS is on', async () => {
    const brand = await signUp(strictApi.client, 'BRAND');
    const tryUrl = async (url: string) =>
      (
        await strictApi.client.ok(
          CREATE_ENDPOINT,
          { input: { organizationId: brand.organizationId, url, events: ['CLAIM_CREATED'] } },
          brand,
        )
      ).createWebhookEndpoint;
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'https://10.1.2.3/hook',
      'http://169.254.169.254/latest/meta-data',
      'https://[::1]/hook',
      'https://[::ffff:127.0.0.1]/hook',
      'https://100.64.0.1/hook',
      'http://localhost:4000/hook',
      'ftp://93.184.215.14/hook',
      'https://user:pass@93.184.215.14/hook',
      'not a url',
    ]) {
      const answer = await tryUrl(url);
      expect([url, answer.__typename, answer.errorCode]).toEqual([url, 'InvalidWebhookUrlError', 'INVALID_WEBHOOK_URL']);
      expect(answer.message.length).toBeGreaterThan(10);
    }
    expect((await tryUrl('https://93.184.215.14/hook')).__typename).toBe('WebhookEndpointCreated');
    // With the flag on (the main API of this suite), a local receiver is fine.
    expect((await createEndpoint(brand, '/ok/local')).id).toBeDefined();
  });

  it('delivers each of the six events, signed, in order, with the documented body', async () => {
    const brand = await signUp(api.client, 'BRAND');
    const { id: endpointId, secret } = await createEndpoint(brand, '/ok/six');
    const campaign = await liveCampaign(brand, 2);
    const [a, b, c] = people;
    const first = await claim(a, campaign.offers); // claim.created
    const second = await claim(b, campaign.offers); // claim.created, campaign.sold_out (the last unit)
    expect((await api.client.ok(CANCEL, { id: first.id }, a)).cancelClaim.status).toBe('CANCELLED');
    expect((await api.client.ok(REDEEM, { code: second.code }, brand)).redeemClaim.status).toBe('REDEEMED');
    expect((await api.client.ok(DECLINE, { id: campaign.offers.get(c.influencerId) }, c)).declineOffer.status).toBe('DECLINED');
    expect((await api.client.ok(END, { id: campaign.id }, brand)).endCampaign.status).toBe('ENDED');

    const got = await until('seven deliveries', async () => receiver.at('/ok/six').length >= 7 && receiver.at('/ok/six'));
    const bodies = got.map((r) => JSON.parse(r.body));
    expect(bodies.map((b) => b.type)).toEqual([
      'claim.created',
      'claim.created',
      'campaign.sold_out',
      'claim.cancelled',
      'claim.redeemed',
      'offer.declined',
      'campaign.ended',
    ]);
    for (const r of got) {
      expect(verify(secret, r)).toBe(true);
      expect(
        verify(
          secret.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A')),
          r,
        ),
      ).toBe(false);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['user-agent']).toBe('Perks-Webhooks/1');
      const body = JSON.parse(r.body);
      expect(Object.keys(body).sort()).toEqual(['createdAt', 'data', 'id', 'type']);
      expect(r.headers['x-perks-event-id']).toBe(body.id);
      expect(new Date(body.createdAt).toISOString()).toBe(body.createdAt);
      expect(r.body).not.toContain(first.code);
      expect(r.body).not.toContain(second.code);
    }
    const claimKeys = ['campaignId', 'cancelledAt', 'claimedAt', 'id', 'influencerId', 'redeemedAt', 'status'];
    expect(bodies[0].data).toMatchObject({
      id: first.id,
      campaignId: campaign.id,
      influencerId: a.influencerId,
      status: 'ACTIVE',
      redeemedAt: null,
    });
    expect(Object.keys(bodies[0].data).sort()).toEqual(claimKeys);
    expect(bodies[2].data).toMatchObject({
      id: campaign.id,
      brandId: brand.organizationId,
      status: 'SOLD_OUT',
      inventory: 2,
      remaining: 0,
    });
    expect(bodies[3].data).toMatchObject({ id: first.id, status: 'CANCELLED' });
    expect(bodies[3].data.cancelledAt).not.toBeNull();
    expect(bodies[4].data).toMatchObject({ id: second.id, status: 'REDEEMED' });
    expect(Object.keys(bodies[5].data).sort()).toEqual(['campaignId', 'declinedAt', 'id', 'influencerId']);
    expect(bodies[6].data).toMatchObject({ id: campaign.id, status: 'ENDED' });
    expect(bodies[6].data.endedAt).not.toBeNull();

    // The receiver has answered; the runner records each success just after: wait for the last one.
    const page = await until('seven deliveries recorded', async () => {
      const p = await deliveries(brand, endpointId);
      return p.edges.every((e: any) => e.node.status === 'SUCCEEDED') && p;
    });
    expect(page.totalCount).toBe(7);
    expect(page.edges.every((e: any) => e.node.attempts === 1 && e.node.lastResponseCode === 200)).toBe(true);
    // Paged by keyset.
    const firstPage = (await api.client.ok(DELIVERIES, { id: endpointId, first: 4 }, brand)).webhookDeliveries;
    const rest = (await api.client.ok(DELIVERIES, { id: endpointId, first: 4, after: firstPage.pageInfo.endCursor }, brand))
      .webhookDeliveries;
    expect(firstPage.pageInfo.hasNextPage).toBe(true);
    expect(new Set([...firstPage.edges, ...rest.edges].map((e: any) => e.node.id)).size).toBe(7);
  });

  it('tells an agency about its client brand, and only subscribed types', async () => {
    const [brand, agency] = await Promise.all([signUp(api.client, 'BRAND'), signUp(api.client, 'AGENCY')]);
    await api.client.ok(
      `mutation($brandId: ID!, $agencyId: ID!) { addAgencyClient(brandId: $brandId, agencyId: $agencyId) { __typename } }`,
      { brandId: brand.organizationId, agencyId: agency.organizationId },
      brand,
    );
    await createEndpoint(agency, '/ok/agency', ['CAMPAIGN_ENDED']);
    const campaign = await liveCampaign(brand, 3);
    await claim(people[3], campaign.offers);
    await api.client.ok(END, { id: campaign.id }, brand);
    const [got] = await until('the agency delivery', async () => receiver.at('/ok/agency').length >= 1 && receiver.at('/ok/agency'));
    expect(JSON.parse(got.body)).toMatchObject({ type: 'campaign.ended', data: { id: campaign.id } });
    await sleep(1000);
    expect(receiver.at('/ok/agency')).toHaveLength(1); // claim.created was not subscribed to
  });

  it('delivers a burst in order of the events', async () => {
    const brand = await signUp(api.client, 'BRAND');
    await createEndpoint(brand, '/ok/burst', ['CLAIM_CREATED', 'CAMPAIGN_SOLD_OUT']);
    const campaign = await liveCampaign(brand, 12);
    await Promise.all(people.slice(0, 12).map((p) => claim(p, campaign.offers)));
    const got = await until('13 deliveries', async () => receiver.at('/ok/burst').length >= 13 && receiver.at('/ok/burst'));
    const order: Array<{ id: string }> = await api.dataSource.query(`SELECT id FROM webhook_events WHERE brand_id = $1 ORDER BY seq`, [
      brand.organizationId,
    ]);
    expect(got.map((r) => r.headers['x-perks-event-id'])).toEqual(order.map((e) => e.id));
    expect(JSON.parse(got[12].body).type).toBe('campaign.sold_out');
  });

  it('retries with backoff: 500 twice then 200 is delivered on the third attempt', async () => {
    const brand = await signUp(api.client, 'BRAND');
    const { id: endpointId, secret } = await createEndpoint(brand, '/flaky/1', ['CLAIM_CREATED']);
    const campaign = await liveCampaign(brand, 1);
    await claim(people[4], campaign.offers);
    const node = await until('the delivery to succeed', async () => {
      const page = await deliveries(brand, endpointId);
      return page.edges[0]?.node.status === 'SUCCEEDED' && page.edges[0].node;
    });
    expect(node).toMatchObject({ eventType: 'CLAIM_CREATED', attempts: 3, lastResponseCode: 200, nextAttemptAt: null });
    const got = receiver.at('/flaky/1');
    expect(got).toHaveLength(3);
    expect(new Set(got.map((r) => r.headers['x-perks-event-id'])).size).toBe(1);
    expect(got.every((r) => verify(secret, r))).toBe(true);
    // Backoff: the second wait is longer than the first (200 ms, then 400 ms).
    expect(got[1].at - got[0].at).toBeGreaterThanOrEqual(150);
    expect(got[2].at - got[1].at).toBeGreaterThanOrEqual(350);
  });

  it('fails a delivery after the retry window and disables an endpoint failing that long', async () => {
    const brand = await signUp(api.client, 'BRAND');
    const { id: endpointId } = await createEndpoint(brand, '/down/1', ['CLAIM_CREATED', 'OFFER_DECLINED']);
    const campaign = await liveCampaign(brand, 5);
    await claim(people[5], campaign.offers);
    const failed = await until(
      'the delivery to fail',
      async () => {
        const page = await deliveries(brand, endpointId, 'FAILED');
        return page.totalCount === 1 && page.edges[0].node;
      },
      WINDOW_MS + 60_000,
    );
    expect(failed.attempts).toBeGreaterThanOrEqual(4);
    expect(failed).toMatchObject({ lastResponseCode: 500, nextAttemptAt: null, lastError: 'HTTP 500' });
    const [endpoint] = (await api.client.ok(ENDPOINTS, { org: brand.organizationId }, brand)).webhookEndpoints;
    expect(endpoint.failingSince).not.toBeNull();

    // The next failure, a window after the first, disables the endpoint; its owner sees why.
    await api.client.ok(DECLINE, { id: campaign.offers.get(people[6].influencerId) }, people[6]);
    const disabled = await until('the endpoint to be disabled', async () => {
      const [e] = (await api.client.ok(ENDPOINTS, { org: brand.organizationId }, brand)).webhookEndpoints;
      return e.status === 'DISABLED' && e;
    });
    expect(disabled.disabledAt).not.toBeNull();
    expect(disabled.disabledReason).toMatch(/every delivery failed since/);
    expect((await deliveries(brand, endpointId, 'PENDING')).totalCount).toBe(0);

    // Enabled again by its managers, it receives new events.
    await api.client.ok(UPDATE_ENDPOINT, { id: endpointId, input: { enabled: true, url: `${receiver.url}/ok/revived` } }, brand);
    await api.client.ok(DECLINE, { id: campaign.offers.get(people[7].influencerId) }, people[7]);
    await until('a delivery to the revived endpoint', async () => receiver.at('/ok/revived').length >= 1);
  });

  it('delivers events written while Redis was unreachable for the writer, once the sweep runs', async () => {
    const brand = await signUp(api.client, 'BRAND');
    const { id: endpointId } = await createEndpoint(brand, '/ok/outage', ['CLAIM_CREATED', 'CLAIM_CANCELLED']);
    const campaign = await liveCampaign(brand, 3);
    // A process whose Redis is gone: its enqueue fails after the commit (as if it died there).
    const deadQueues = createQueues({ host: '127.0.0.1', port: 1 }, api.env.BULLMQ_PREFIX, { timeoutMs: 300 });
    try {
      const cut = createServices(api.dataSource, api.env, deadQueues, api.instanceId);
      const claimed = await cut.claims.claimOffer(
        { kind: 'user', userId: people[8].userId, role: Role.INFLUENCER },
        campaign.offers.get(people[8].influencerId)!,
      );
      expect(claimed).toMatchObject({ status: 'ACTIVE' });
      await cut.claims
        .cancelClaim({ kind: 'user', userId: people[8].userId, role: Role.INFLUENCER }, (claimed as { id: string }).id)
        .catch(() => undefined); // the match request after it needs Redis: the webhook rows are already committed
    } finally {
      await closeQueues(deadQueues);
    }
    const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1`, [endpointId]);
    expect(n).toBe(2);
    const got = await until('the sweep to deliver both', async () => receiver.at('/ok/outage').length >= 2 && receiver.at('/ok/outage'));
    expect(got.map((r) => JSON.parse(r.body).type)).toEqual(['claim.created', 'claim.cancelled']);
  });

  it('delivers after a runner died holding the lease (at least once)', async () => {
    const brand = await signUp(api.client, 'BRAND');
    const { id: endpointId } = await createEndpoint(brand, '/ok/lease', ['CLAIM_CREATED']);
    // A dead runner's lease, with 3 s left to run.
    await api.dataSource.query(
      `UPDATE webhook_endpoints SET lease_token = gen_random_uuid(), lease_until = now() + interval '3 seconds' WHERE id = $1`,
      [endpointId],
    );
    const campaign = await liveCampaign(brand, 2);
    await claim(people[9], campaign.offers);
    const [got] = await until(
      'the delivery after the lease expired',
      async () => receiver.at('/ok/lease').length >= 1 && receiver.at('/ok/lease'),
    );
    expect(JSON.parse(got.body).type).toBe('claim.created');
    await until('the delivery to be marked', async () => (await deliveries(brand, endpointId, 'SUCCEEDED')).totalCount === 1);
  });

  it('gives up on a receiver that does not answer within WEBHOOK_TIMEOUT_MS, and retries it', async () => {
    const brand = await signUp(api.client, 'BRAND');
    const { id: endpointId } = await createEndpoint(brand, '/hang/1', ['CLAIM_CREATED']);
    const campaign = await liveCampaign(brand, 2);
    await claim(people[10], campaign.offers);
    const node = await until('an attempt to time out', async () => {
      const page = await deliveries(brand, endpointId);
      return page.edges[0]?.node.attempts >= 1 && page.edges[0].node;
    });
    expect(node).toMatchObject({ status: 'PENDING', lastResponseCode: null, lastError: 'no answer within 5000 ms' });
    await api.client.ok(UPDATE_ENDPOINT, { id: endpointId, input: { enabled: false } }, brand);
  });

  // Last: it erases one of the suite's people.
  it("rewrites an erased person's id in stored events to the stand-in their claims and offers got", async () => {
    const brand = await signUp(api.client, 'BRAND');
    await createEndpoint(brand, '/erasure/1', ['CLAIM_CREATED', 'OFFER_DECLINED']);
    const person = people[people.length - 1];
    const kept = await liveCampaign(brand, 2);
    const declined = await liveCampaign(brand, 2);
    const claimed = await claim(person, kept.offers);
    await api.client.ok(DECLINE, { id: declined.offers.get(person.influencerId) }, person);
    const mentions = async (id: string) =>
      (await api.dataSource.query(`SELECT count(*)::int AS n FROM webhook_events WHERE data::text LIKE '%' || $1 || '%'`, [id]))[0].n;
    expect(await mentions(person.influencerId)).toBe(2);

    const { eraseMyData } = await api.client.ok(`mutation { eraseMyData { __typename } }`, {}, person);
    expect(eraseMyData.__typename).toBe('ErasureReceipt');
    expect(await mentions(person.influencerId)).toBe(0);
    const [event] = await api.dataSource.query(
      `SELECT e.data->>'influencerId' AS in_event, c.influencer_id::text AS in_claim
       FROM webhook_events e JOIN claims c ON c.id::text = e.data->>'id' WHERE c.id = $1`,
      [claimed.id],
    );
    expect(event.in_event).toBe(event.in_claim);
    const [offerEvent] = await api.dataSource.query(
      `SELECT e.data->>'influencerId' AS in_event, o.influencer_id::text AS in_offer
       FROM webhook_events e JOIN offers o ON o.id::text = e.data->>'id' WHERE o.id = $1`,
      [declined.offers.get(person.influencerId)],
    );
    expect(offerEvent.in_event).toBe(offerEvent.in_offer);
  });
});
