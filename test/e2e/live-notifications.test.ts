import { createClient, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import { signAccessToken } from '../../src/modules/accounts/tokens';
import { campaignInput } from '../helpers/fixtures';
import { createScratchDatabase } from '../helpers/database';
import { GraphQLClient, logInAdmin, signUp, type SignedUp } from '../helpers/graphql';
import { runEntry, waitForLog, type Running } from '../helpers/processes';
import { suitePrefix } from '../helpers/worker';

const RECOMPUTE = `mutation($date: String) { recomputeScores(date: $date) { __typename ... on ScoreRun { id } } }`;
const RUN = `query($id: ID!) { scoreRun(id: $id) { status } }`;
const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { __typename ... on Campaign { id } ... on ErrorResult { message } } }`;
const LAUNCH = `mutation($id: ID!) { launchCampaign(id: $id) { __typename ... on Campaign { status } } }`;
const CLAIM = `mutation($offerId: ID!) { claimOffer(offerId: $offerId) { __typename ... on Claim { id code } ... on ErrorResult { errorCode } } }`;
const REDEEM = `mutation($code: String!) { redeemClaim(code: $code) { __typename ... on Claim { status } ... on ErrorResult { errorCode } } }`;
const INBOX = `{ notifications(first: 20) { edges { node { id kind claimId } } } }`;
const LIVE = `subscription Live { notificationAdded { id kind message createdAt readAt offerId claimId campaignId campaignName perkTitle } }`;

interface Note {
  id: string;
  kind: string;
  message: string;
  offerId: string | null;
  claimId: string | null;
  campaignName: string | null;
  perkTitle: string | null;
  readAt: string | null;
}

/** Waits for a condition with a generous deadline: three processes share a busy machine. */
async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A graphql-ws client subscribed once, recording what arrives: results, an error (errors or a close event), completion. */
function subscribe(url: string, connectionParams: Record<string, unknown> | undefined, query: string = LIVE) {
  const client = createClient({ url, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true });
  const seen = {
    results: [] as FormattedExecutionResult[],
    error: undefined as undefined | { code?: number; reason?: string } | Array<{ message: string; extensions?: Record<string, unknown> }>,
    completed: false,
  };
  const stop = client.subscribe(
    { query },
    {
      next: (result) => void seen.results.push(result as FormattedExecutionResult),
      error: (error) => void (seen.error = error as typeof seen.error),
      complete: () => void (seen.completed = true),
    },
  );
  const notes = () => seen.results.flatMap((r) => (r.data ? [(r.data as { notificationAdded: Note }).notificationAdded] : []));
  return {
    seen,
    notes,
    async close() {
      stop();
      await client.dispose();
    },
  };
}
type Subscribed = ReturnType<typeof subscribe>;

describe('live notifications: notificationAdded over graphql-ws, two API processes and a worker (real Postgres, Redis)', () => {
  let database: { url: string; drop: () => Promise<void> };
  const processes: Running[] = [];
  let wsA: string;
  let httpA: string;
  let clientB: GraphQLClient;
  let brand: SignedUp;
  let x: SignedUp;
  let y: SignedUp;
  const open: Subscribed[] = [];

  /** Subscriptions listening in API process A, from its /metrics. */
  const listeningOnA = async (): Promise<number> => {
    const text = await (await fetch(`${httpA}/metrics`)).text();
    return Number(/^perks_graphql_subscriptions (\d+)/m.exec(text)?.[1] ?? -1);
  };
  const live = (who: SignedUp | undefined, query?: string, params?: Record<string, unknown>) => {
    const s = subscribe(wsA, params ?? (who ? { authorization: `Bearer ${who.token}` } : undefined), query);
    open.push(s);
    return s;
  };

  const closeAll = async () => {
    await Promise.all(open.splice(0).map((s) => s.close().catch(() => undefined)));
  };

  beforeAll(async () => {
    database = await createScratchDatabase('live');
    const env = { DATABASE_URL: database.url, BULLMQ_PREFIX: suitePrefix('live'), HOST: '127.0.0.1', PORT: '0', WORKER_PORT: '0' };
    const worker = runEntry('worker.ts', env, 'worker');
    const a = runEntry('main.ts', { ...env, WS_MAX_CONNECTIONS_PER_USER: '3' }, 'api-a');
    const b = runEntry('main.ts', env, 'api-b');
    processes.push(worker, a, b);
    httpA = (await waitForLog(a, 'API listening')).url.replace(/\/graphql$/, '');
    wsA = `${httpA.replace(/^http/, 'ws')}/graphql`;
    clientB = new GraphQLClient((await waitForLog(b, 'API listening')).url);
    await waitForLog(worker, 'notification relay: took the lease; publishing notifications committed from now on');
    const workerMetrics = await (await fetch((await waitForLog(worker, 'worker ready')).metrics)).text();
    expect(workerMetrics).toMatch(/^perks_notification_relay_active 1$/m);

    [brand, x, y] = await Promise.all([
      signUp(clientB, 'BRAND'),
      signUp(clientB, 'INFLUENCER', { country: 'FR' }),
      signUp(clientB, 'INFLUENCER', { country: 'FR' }),
    ]);
    // Matching needs a current score run: the worker computes one.
    const admin = { token: await logInAdmin(clientB) };
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const run = (await clientB.ok(RECOMPUTE, { date: yesterday }, admin)).recomputeScores;
    await until('the score run', async () => (await clientB.ok(RUN, { id: run.id }, admin)).scoreRun.status === 'SUCCEEDED', 90_000);
  }, 240_000);

  afterAll(async () => {
    await closeAll();
    for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGTERM');
    await Promise.all(processes.map((p) => p.exited));
    await database?.drop();
  }, 60_000);

  it('delivers each influencer their own notifications, made through the other API process, and nobody else', async () => {
    const [forX, forY] = [live(x), live(y)];
    await until('both subscriptions to listen on A', async () => (await listeningOnA()) >= 2);

    // The brand launches through B; the worker matches, writing OFFER_NEW for both; the relay publishes.
    const { createCampaign } = await clientB.ok(CREATE, { input: campaignInput('Live tasting', { maxOutstandingOffers: 100 }) }, brand);
    expect((await clientB.ok(LAUNCH, { id: createCampaign.id }, brand)).launchCampaign.status).toBe('ACTIVE');
    const offerX = await until('X to hear of the offer', () => forX.notes().find((n) => n.kind === 'OFFER_NEW'));
    const offerY = await until('Y to hear of the offer', () => forY.notes().find((n) => n.kind === 'OFFER_NEW'));
    expect(offerX).toMatchObject({ campaignName: 'Live tasting', perkTitle: 'Live tasting perk', readAt: null });
    expect(offerX.offerId).not.toBe(offerY.offerId);

    // X claims through B, the brand redeems through B: X hears it on A's socket.
    const { claimOffer } = await clientB.ok(CLAIM, { offerId: offerX.offerId }, x);
    expect(claimOffer.__typename).toBe('Claim');
    expect((await clientB.ok(REDEEM, { code: claimOffer.code }, brand)).redeemClaim.__typename).toBe('Claim');
    const redeemed = await until('X to hear of the redemption', () => forX.notes().find((n) => n.kind === 'CLAIM_REDEEMED'));
    expect(redeemed).toMatchObject({
      claimId: claimOffer.id,
      offerId: offerX.offerId,
      campaignName: 'Live tasting',
      perkTitle: 'Live tasting perk',
      message: 'Your claim of "Live tasting perk" (Live tasting) was redeemed',
      readAt: null,
    });
    // The same notification as in the inbox (the source of truth), once.
    const inbox = (await clientB.ok(INBOX, {}, x)).notifications.edges.map((e: { node: { id: string; kind: string } }) => e.node);
    expect(inbox.find((n: { kind: string }) => n.kind === 'CLAIM_REDEEMED').id).toBe(redeemed.id);

    // Y heard only their own offer, and X nothing of Y's. Wait for one more of Y's to be sure nothing is in flight.
    await clientB.ok(
      LAUNCH,
      { id: (await clientB.ok(CREATE, { input: campaignInput('Second', { maxOutstandingOffers: 100 }) }, brand)).createCampaign.id },
      brand,
    );
    await until('Y to hear of the second offer', () => forY.notes().find((n) => n.campaignName === 'Second'));
    await until('X to hear of the second offer', () => forX.notes().find((n) => n.campaignName === 'Second'));
    expect(forY.notes().map((n) => n.kind)).toEqual(['OFFER_NEW', 'OFFER_NEW']);
    expect(forX.notes().map((n) => n.kind)).toEqual(['OFFER_NEW', 'CLAIM_REDEEMED', 'OFFER_NEW']);
    for (const s of [forX, forY]) {
      const ids = s.notes().map((n) => n.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(s.seen.error).toBeUndefined();
    }
  });

  it('refuses sockets without valid credentials at connection_init with 4401 and a reason', async () => {
    const anonymous = live(undefined);
    const forged = live(undefined, LIVE, { authorization: 'Bearer not-a-token' });
    const malformed = live(undefined, LIVE, { authorization: 'Token abc' });
    await until('the three refusals', () => anonymous.seen.error && forged.seen.error && malformed.seen.error);
    expect(anonymous.seen.error).toMatchObject({
      code: 4401,
      reason: expect.stringContaining('send connectionParams { authorization: "Bearer <token>" }'),
    });
    expect(forged.seen.error).toMatchObject({ code: 4401, reason: 'Unauthorized: The token is not valid: log in again' });
    expect(malformed.seen.error).toMatchObject({ code: 4401, reason: expect.stringContaining('must be "Bearer <token>"') });
  });

  it('refuses the subscription to anyone but an influencer (a brand, an API key), with FORBIDDEN', async () => {
    const admin = { token: await logInAdmin(clientB) };
    const { createApiKey } = await clientB.ok(
      `mutation { createApiKey(input: { name: "live", scopes: [INGEST] }) { ... on CreatedApiKey { key } } }`,
      {},
      admin,
    );
    const both = live(undefined, LIVE, { authorization: `Bearer ${x.token}`, apiKey: createApiKey.key });
    await until('the refusal of two credentials', () => both.seen.error);
    expect(both.seen.error).toMatchObject({ code: 4401, reason: 'Unauthorized: send either authorization or apiKey, not both' });
    for (const socket of [live(brand), live(undefined, LIVE, { apiKey: createApiKey.key })]) {
      await until('the refusal', () => socket.seen.results.length > 0 || socket.seen.error);
      const errors = socket.seen.results[0]?.errors ?? (socket.seen.error as Array<{ extensions?: Record<string, unknown> }>);
      expect(errors?.[0]).toMatchObject({ message: 'You are not allowed to do this', extensions: { code: 'FORBIDDEN' } });
    }
  });

  it('applies the query limits of HTTP, and serves only subscriptions over WebSocket', async () => {
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: id`).join(' ');
    const cases: Array<[string, string, RegExp]> = [
      [`subscription { notificationAdded { ${aliases} } }`, 'GRAPHQL_VALIDATION_FAILED', /too many aliases/],
      [`subscription { notificationAdded { id ${'__typename '.repeat(4_000)} } }`, 'GRAPHQL_PARSE_FAILED', /too long/],
      [`subscription { notificationAdded { id nope } }`, 'GRAPHQL_VALIDATION_FAILED', /Cannot query field "nope"/],
      [`{ unreadNotificationCount }`, 'BAD_REQUEST', /Only subscriptions are served over WebSocket/],
      [`mutation { markNotificationsRead(ids: ["1"]) { marked } }`, 'BAD_REQUEST', /Only subscriptions/],
    ];
    // One at a time: A lets one person hold 3 sockets.
    await closeAll();
    for (const [query, code, message] of cases) {
      const socket = live(x, query);
      const error = await until(
        `the refusal of ${query.slice(0, 40)}`,
        () => socket.seen.error as Array<{ message: string; extensions?: Record<string, unknown> }>,
      );
      expect(error[0].extensions?.code).toBe(code);
      expect(error[0].message).toMatch(message);
      expect(JSON.stringify(error)).not.toMatch(/\bat .*\.ts:\d+/);
      await closeAll();
    }
    // Over HTTP a subscription is refused with a pointer to the WebSocket.
    const overHttp = await clientB.request(LIVE, {}, x);
    expect(overHttp.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_REQUEST' }, message: expect.stringContaining('WebSocket') });
  });

  it('limits the sockets one person opens in a process (WS_MAX_CONNECTIONS_PER_USER=3 on A)', async () => {
    await closeAll();
    const held = [live(y), live(y), live(y)];
    await until('three subscriptions of Y', async () => (await listeningOnA()) >= 3);
    const fourth = live(y);
    await until('the fourth to be refused', () => fourth.seen.error);
    expect(fourth.seen.error).toMatchObject({ code: 1008, reason: expect.stringContaining('Too many open connections') });
    await held[0].close();
    await until('one of them to close', async () => (await listeningOnA()) === 2);
    const again = live(y);
    await until('a new socket once one closed', async () => (await listeningOnA()) === 3);
    expect(again.seen.error).toBeUndefined();
  });

  it('closes a socket with 4401 when its token expires', async () => {
    await closeAll();
    const settings = { secret: process.env.JWT_SECRET!, issuer: 'perks-api', audience: 'perks-clients', ttlSeconds: 8 };
    const { token, expiresAt } = await signAccessToken(x.userId, settings);
    const shortLived = live(undefined, LIVE, { authorization: `Bearer ${token}` });
    await until('the subscription to listen on A', async () => (await listeningOnA()) === 1);
    await until('the socket to close', () => shortLived.seen.error);
    expect(shortLived.seen.error).toMatchObject({ code: 4401, reason: 'Unauthorized: your token has expired: log in again' });
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt.getTime() - 1_000);
  });

  it('closes its sockets with 1001 when the API process shuts down', async () => {
    const socket = new WebSocket(wsA, 'graphql-transport-ws');
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    await new Promise((resolve) => socket.on('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${x.token}` } }));
    await new Promise((resolve) => socket.on('message', resolve));
    const a = processes[1];
    a.child.kill('SIGTERM');
    expect(await closed).toEqual({ code: 1001, reason: 'Server shutting down' });
    expect(await a.exited).toBe(0);
    // Nothing in this suite was an internal error (graphql-ws prints its own to stderr).
    for (const p of processes) {
      expect(p.logs.filter((l) => l.msg === 'unexpected error')).toEqual([]);
      expect(p.stderr.join('')).not.toMatch(/Internal error/);
    }
  });
});
