import { randomUUID } from 'node:crypto';
import { businessMetrics } from '../../src/core/business-metrics';
import { logger } from '../../src/core/logger';
import type { WorkerRuntime } from '../../src/core/worker-runtime';
import { ScoreRunTrigger } from '../../src/modules/scoring/score-run.entity';
import { connectorKey, connectVerified, establishedAccount, ingestAccounts } from '../helpers/accounts';
import { startTestApi, type TestApi } from '../helpers/api';
import { createScratchDatabase } from '../helpers/database';
import { logInAdmin, signUp, type SignedUp, type Person } from '../helpers/graphql';
import { startTestWorker, suitePrefix } from '../helpers/worker';
import { day, dateOf } from '../helpers/dates';

const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { __typename ... on Campaign { id } ... on ErrorResult { message } } }`;
const LAUNCH = `mutation($id: ID!) { launchCampaign(id: $id) { __typename ... on Campaign { status } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateCampaignInput!) { updateCampaign(id: $id, input: $input) { __typename ... on Campaign { status remaining } } }`;
const CLAIM = `mutation($offerId: ID!, $key: String) {
  claimOffer(offerId: $offerId, idempotencyKey: $key) {
    __typename
    ... on Claim { id code status }
    ... on ErrorResult { errorCode message }
    ... on NotEligibleError { reasons { condition message } }
    ... on ClaimCapReachedError { limit }
  }
}`;
const CANCEL = `mutation($id: ID!) { cancelClaim(claimId: $id) { __typename ... on Claim { status } ... on ErrorResult { errorCode } } }`;
const REDEEM = `mutation($code: String!) { redeemClaim(code: $code) { __typename ... on Claim { id status code } ... on ErrorResult { errorCode message } } }`;
const DECLINE = `mutation($id: ID!) { declineOffer(offerId: $id) { __typename ... on Offer { status } ... on ErrorResult { errorCode } } }`;
const MY_OFFERS = `query($status: OfferStatus) {
  myOffers(status: $status) { totalCount edges { node { id status campaignId campaignName perk { title } expiresAt claim { id status } } } }
}`;
const STATS = `query($id: ID!) { campaign(id: $id) { inventory remaining status stats { offered outstanding claimed redeemed cancelled expired declined withdrawn remaining } } }`;

describe('matching, offers, claims and redemptions (real Postgres, Redis, concurrency)', () => {
  let database: { url: string; drop: () => Promise<void> };
  let api: TestApi;
  let brand: SignedUp;
  let otherBrand: SignedUp;
  let people: Person[];
  let fading: Person;

  const campaign = async (extra: Record<string, unknown> = {}, launch = true): Promise<string> => {
    const { createCampaign } = await api.client.ok(
      CREATE,
      {
        input: {
          name: 'Headphones',
          perk: { title: 'Studio headphones', kind: 'PRODUCT', valueCents: 19900, currency: 'USD' },
          inventory: 50,
          maxOutstandingOffers: 1000,
          endsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
          ...extra,
        },
      },
      brand,
    );
    if (createCampaign.__typename !== 'Campaign') throw new Error(createCampaign.message);
    if (launch) expect((await api.client.ok(LAUNCH, { id: createCampaign.id }, brand)).launchCampaign.status).toBe('ACTIVE');
    return createCampaign.id;
  };
  const offersOf = async (campaignId: string): Promise<Map<string, string>> => {
    const rows: Array<{ id: string; influencer_id: string }> = await api.dataSource.query(
      `SELECT id, influencer_id FROM offers WHERE campaign_id = $1`,
      [campaignId],
    );
    return new Map(rows.map((r) => [r.influencer_id, r.id]));
  };
  const claim = async (who: Person, offerId: string, key?: string) => (await api.client.ok(CLAIM, { offerId, key }, who)).claimOffer;
  const held = async (campaignId: string) => {
    const [row] = await api.dataSource.query(
      `SELECT c.inventory - c.remaining AS held, (SELECT count(*)::int FROM claims WHERE campaign_id = c.id AND status <> 'CANCELLED') AS claims, c.remaining
       FROM campaigns c WHERE c.id = $1`,
      [campaignId],
    );
    return row as { held: number; claims: number; remaining: number };
  };

  beforeAll(async () => {
    database = await createScratchDatabase('claims');
    api = await startTestApi({ DATABASE_URL: database.url, BULLMQ_PREFIX: suitePrefix('claims'), DATABASE_POOL_SIZE: '20' });
    [brand, otherBrand] = await Promise.all([signUp(api.client, 'BRAND'), signUp(api.client, 'BRAND')]);
    people = [];
    for (let batch = 0; batch < 10; batch++) {
      const signed = await Promise.all(Array.from({ length: 20 }, () => signUp(api.client, 'INFLUENCER', { country: 'FR' })));
      people.push(...signed.map((p) => ({ ...p, influencerId: '' })));
    }
    const ids: Array<{ id: string; user_id: string }> = await api.dataSource.query(`SELECT id, user_id FROM influencers`);
    for (const p of people) p.influencerId = ids.find((r) => r.user_id === p.userId)!.id;

    // One influencer with engagement that leaves the 90-day window between two run dates.
    fading = people[199];
    const admin = await logInAdmin(api.client);
    const key = await connectorKey(api.client, admin);
    await connectVerified(api.client, fading, key, {
      network: 'X',
      handle: 'fading',
      followers: 5000,
      following: 100,
      accountCreatedAt: '2018-01-01T00:00:00Z',
    });
    await ingestAccounts(
      api.client,
      key,
      Array.from({ length: 40 }, (_, i) => establishedAccount('X', `fan${i}`)),
    );
    const { ingestActivity } = await api.client.ok(
      `mutation($input: IngestActivityInput!) { ingestActivity(input: $input) { ... on IngestReport { accepted rejected } } }`,
      {
        input: {
          posts: [],
          interactions: Array.from({ length: 40 }, (_, i) => ({
            externalId: `fade-${i}`,
            network: 'X',
            kind: 'RESHARE',
            actorHandle: `fan${i}`,
            targetHandle: 'fading',
            occurredAt: new Date(day(4).getTime() - 88 * 86_400_000).toISOString(),
          })),
        },
      },
      { apiKey: key },
    );
    expect(ingestActivity).toEqual({ accepted: 40, rejected: 0 });
    const run = await api.services.scoring.requestRun(dateOf(4), ScoreRunTrigger.ADMIN);
    await api.services.scoring.execute(run.id, logger());
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  it('never oversells: 200 influencers claim 50 units at once, 20 times over', async () => {
    for (let round = 0; round < 20; round++) {
      const id = await campaign({ name: `Round ${round}` });
      expect((await api.services.matching.matchCampaign(id)).offered).toBe(200);
      const offers = await offersOf(id);
      const keys = people.map(() => randomUUID());
      const results = await Promise.all(people.map((p, i) => claim(p, offers.get(p.influencerId)!, keys[i])));
      // Every key holds its answer, the losers' SOLD_OUT as much as the winners' claims.
      const [{ unanswered }] = await api.dataSource.query(
        `SELECT count(*)::int AS unanswered FROM claim_requests r JOIN offers o ON o.id = r.offer_id WHERE o.campaign_id = $1 AND r.result IS NULL`,
        [id],
      );
      expect(unanswered).toBe(0);
      if (round === 0) {
        const replayed = await Promise.all(people.map((p, i) => claim(p, offers.get(p.influencerId)!, keys[i])));
        expect(replayed.map((r) => r.__typename)).toEqual(results.map((r) => r.__typename));
      }
      const byType = results.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.__typename]: (acc[r.__typename] ?? 0) + 1 }), {});
      expect(byType).toEqual({ Claim: 50, SoldOutError: 150 });
      expect(new Set(results.filter((r) => r.__typename === 'Claim').map((r) => r.code)).size).toBe(50);
      expect(await held(id)).toEqual({ held: 50, claims: 50, remaining: 0 });
      // Spending is tracked with or without a budget: each claim spent the perk's value, once.
      const [{ spent }] = await api.dataSource.query(`SELECT budget_spent::int AS spent FROM campaigns WHERE id = $1`, [id]);
      expect(spent).toBe(50 * 19900);
      const { campaign: after } = await api.client.ok(STATS, { id }, brand);
      expect(after).toMatchObject({ status: 'SOLD_OUT', remaining: 0, stats: { offered: 200, claimed: 50, outstanding: 150 } });
    }
  }, 120_000);

  it('gives one influencer one claim however many they send at once', async () => {
    const id = await campaign();
    await api.services.matching.matchCampaign(id);
    const offerId = (await offersOf(id)).get(people[0].influencerId)!;
    const results = await Promise.all(Array.from({ length: 20 }, () => claim(people[0], offerId)));
    expect(results.filter((r) => r.__typename === 'Claim')).toHaveLength(1);
    expect(results.filter((r) => r.__typename === 'AlreadyClaimedError')).toHaveLength(19);
    expect(await held(id)).toMatchObject({ held: 1, claims: 1 });
  });

  it('answers 20 parallel retries with one idempotency key with one claim, and refuses the key for another offer', async () => {
    const id = await campaign();
    await api.services.matching.matchCampaign(id);
    const offers = await offersOf(id);
    const key = randomUUID();
    const results = await Promise.all(Array.from({ length: 20 }, () => claim(people[1], offers.get(people[1].influencerId)!, key)));
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(results[0]).toMatchObject({ __typename: 'Claim', status: 'ACTIVE' });
    expect(await held(id)).toMatchObject({ held: 1, claims: 1 });

    const second = await campaign();
    await api.services.matching.matchCampaign(second);
    const reused = await claim(people[1], (await offersOf(second)).get(people[1].influencerId)!, key);
    expect(reused).toMatchObject({ __typename: 'IdempotencyKeyReusedError', errorCode: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await held(second)).toMatchObject({ held: 0, claims: 0 });
  });

  it('replays the first answer of a key even when it was a failure', async () => {
    const id = await campaign({ inventory: 1 });
    await api.services.matching.matchCampaign(id);
    const offers = await offersOf(id);
    expect((await claim(people[2], offers.get(people[2].influencerId)!)).__typename).toBe('Claim');
    const key = randomUUID();
    expect((await claim(people[3], offers.get(people[3].influencerId)!, key)).__typename).toBe('SoldOutError');
    await api.client.ok(UPDATE, { id, input: { inventory: 2 } }, brand);
    expect((await claim(people[3], offers.get(people[3].influencerId)!, key)).__typename).toBe('SoldOutError');
    expect((await claim(people[3], offers.get(people[3].influencerId)!, randomUUID())).__typename).toBe('Claim');
  });

  it('replays answers stored in the format written before the failure registry, and fails loudly on a code it does not know', async () => {
    const id = await campaign();
    await api.services.matching.matchCampaign(id);
    const who = people[12];
    const offerId = (await offersOf(id)).get(who.influencerId)!;
    const storedKey = async (result: string) => {
      const key = randomUUID();
      await api.dataSource.query(`INSERT INTO claim_requests (influencer_id, idempotency_key, offer_id, result) VALUES ($1, $2, $3, $4)`, [
        who.influencerId,
        key,
        offerId,
        result,
      ]);
      return key;
    };
    const notEligible = `{"errorCode":"NOT_ELIGIBLE","message":"You no longer meet this campaign's targeting: score 10 is below 11","reasons":[{"condition":"MIN_SCORE","message":"score 10 is below 11"}]}`;
    expect(await claim(who, offerId, await storedKey(notEligible))).toEqual({ __typename: 'NotEligibleError', ...JSON.parse(notEligible) });
    const capped = `{"errorCode":"CLAIM_CAP_REACHED","message":"You hold 2 active claims of this brand's perks, its limit: redeem or cancel one before claiming another","limit":2}`;
    expect(await claim(who, offerId, await storedKey(capped))).toEqual({ __typename: 'ClaimCapReachedError', ...JSON.parse(capped) });
    const soldOut = `{"errorCode":"SOLD_OUT","message":"Every unit of this perk has been claimed"}`;
    expect(await claim(who, offerId, await storedKey(soldOut))).toEqual({ __typename: 'SoldOutError', ...JSON.parse(soldOut) });

    // A code no failure of claimOffer has is a defect: an internal error, never some other answer.
    const unknown = await api.client.request(CLAIM, { offerId, key: await storedKey(`{"errorCode":"NO_SUCH_CODE","message":"?"}`) }, who);
    expect(unknown.data?.claimOffer ?? null).toBeNull();
    expect(unknown.errors?.[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    // Replays took nothing: the offer is still there to claim.
    expect(await claim(who, offerId, randomUUID())).toMatchObject({ __typename: 'Claim', status: 'ACTIVE' });
    expect(await held(id)).toMatchObject({ held: 1, claims: 1 });
  });

  it('claims in one message what SQL can decide, explains the rest the long way, and keeps one answer per key either way', async () => {
    const ways = async () => {
      const { values } = await businessMetrics.claimWays.get();
      return Object.fromEntries(values.map((v) => [v.labels.way, v.value])) as Record<string, number | undefined>;
    };
    const counted = async (before: Record<string, number | undefined>) => {
      const after = await ways();
      return { one: (after.one_message ?? 0) - (before.one_message ?? 0), two: (after.two_messages ?? 0) - (before.two_messages ?? 0) };
    };
    // Every condition the people here pass (score 10, France, audience quality 0), so both ways must admit them.
    const id = await campaign({ targeting: { minScore: 10, countries: ['FR'], minAudienceQuality: 0 } });
    await api.services.matching.matchCampaign(id);
    const offers = await offersOf(id);
    let before = await ways();
    expect((await claim(people[20], offers.get(people[20].influencerId)!, randomUUID())).__typename).toBe('Claim');
    expect(await counted(before)).toEqual({ one: 1, two: 0 });

    // A capped brand goes the long way (its count needs the cap lock first), and must admit the same people.
    await api.dataSource.query(
      `UPDATE organizations SET max_active_claims_per_influencer = 1000 WHERE id = (SELECT brand_id FROM campaigns WHERE id = $1)`,
      [id],
    );
    try {
      before = await ways();
      expect((await claim(people[21], offers.get(people[21].influencerId)!, randomUUID())).__typename).toBe('Claim');
      expect(await counted(before)).toEqual({ one: 0, two: 1 });
    } finally {
      await api.dataSource.query(
        `UPDATE organizations SET max_active_claims_per_influencer = NULL WHERE id = (SELECT brand_id FROM campaigns WHERE id = $1)`,
        [id],
      );
    }

    // Targeting raised after the offers went out: the one message writes nothing, and the long way explains.
    await api.dataSource.query(`UPDATE campaigns SET targeting = '[{"code": "MIN_SCORE", "args": {"min": 11}}]' WHERE id = $1`, [id]);
    before = await ways();
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 10 }, () => claim(people[22], offers.get(people[22].influencerId)!, key)));
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]).toMatchObject({
      __typename: 'NotEligibleError',
      reasons: [{ condition: 'MIN_SCORE', message: 'score 10 is below 11' }],
    });
    expect(await counted(before)).toEqual({ one: 0, two: 10 });
    const stored = await api.dataSource.query(`SELECT result->>'errorCode' AS code FROM claim_requests WHERE idempotency_key = $1`, [key]);
    expect(stored).toEqual([{ code: 'NOT_ELIGIBLE' }]);
    expect(await held(id)).toMatchObject({ held: 2, claims: 2 });
  });

  it('redeems a code exactly once, for its own brand only, and answers a foreign code like an unknown one', async () => {
    const id = await campaign();
    await api.services.matching.matchCampaign(id);
    const won = await claim(people[4], (await offersOf(id)).get(people[4].influencerId)!);
    expect(won.code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{1,4}){6}$/);

    const foreign = (await api.client.ok(REDEEM, { code: won.code }, otherBrand)).redeemClaim;
    const unknown = (await api.client.ok(REDEEM, { code: 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GG' }, otherBrand)).redeemClaim;
    expect(foreign).toEqual(unknown);
    expect(foreign).toMatchObject({ __typename: 'InvalidCodeError', errorCode: 'INVALID_CODE' });

    const results = await Promise.all(Array.from({ length: 10 }, () => api.client.ok(REDEEM, { code: won.code.toLowerCase() }, brand)));
    const redeemed = results.map((r) => r.redeemClaim);
    expect(redeemed.filter((r) => r.__typename === 'Claim')).toHaveLength(1);
    expect(redeemed.filter((r) => r.__typename === 'AlreadyRedeemedError')).toHaveLength(9);
    // The brand redeems a code it was told; it is not shown the codes themselves.
    expect(redeemed.find((r) => r.__typename === 'Claim').code).toBeNull();
    expect((await api.client.ok(CANCEL, { id: won.id }, people[4])).cancelClaim.errorCode).toBe('ALREADY_REDEEMED');
  });

  it('moves a cancelled unit to another influencer', async () => {
    const id = await campaign({ inventory: 1 });
    await api.services.matching.matchCampaign(id);
    const offers = await offersOf(id);
    const first = await claim(people[5], offers.get(people[5].influencerId)!);
    expect((await claim(people[6], offers.get(people[6].influencerId)!)).__typename).toBe('SoldOutError');
    expect((await api.client.ok(STATS, { id }, brand)).campaign.status).toBe('SOLD_OUT');

    const foreign = await api.client.request(CANCEL, { id: first.id }, people[6]);
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await api.client.ok(CANCEL, { id: first.id }, people[5])).cancelClaim.status).toBe('CANCELLED');
    expect(await held(id)).toEqual({ held: 0, claims: 0, remaining: 1 });
    expect((await api.client.ok(CANCEL, { id: first.id }, brand)).cancelClaim.errorCode).toBe('CLAIM_CANCELLED');

    expect((await claim(people[6], offers.get(people[6].influencerId)!)).__typename).toBe('Claim');
    expect(await held(id)).toEqual({ held: 1, claims: 1, remaining: 0 });
    const { stats } = (await api.client.ok(STATS, { id }, brand)).campaign;
    expect(stats).toMatchObject({ claimed: 1, cancelled: 1, remaining: 0 });
  });

  it('creates no duplicate offers when one campaign is matched many times in parallel, and respects the cap', async () => {
    const id = await campaign({ maxOutstandingOffers: 120 });
    const reports = await Promise.all(Array.from({ length: 6 }, () => api.services.matching.matchCampaign(id)));
    expect(reports.reduce((sum, r) => sum + r.offered, 0)).toBe(120);
    const [{ offers, distinct }] = await api.dataSource.query(
      `SELECT count(*)::int AS offers, count(DISTINCT influencer_id)::int AS distinct FROM offers WHERE campaign_id = $1`,
      [id],
    );
    expect({ offers, distinct }).toEqual({ offers: 120, distinct: 120 });
  });

  it('offers the best-scored first, and people offered less lately ahead of equally good people', async () => {
    const id = await campaign({ maxOutstandingOffers: 1 });
    await api.services.matching.matchCampaign(id);
    // The only influencer with engagement scores above everyone else's floor.
    expect([...(await offersOf(id)).keys()]).toEqual([fading.influencerId]);

    // Everyone else has the same floor score: rotation decides, so a second campaign reaches other people.
    const excluded = { excludedInfluencerIds: [fading.influencerId] };
    const first = await campaign({ maxOutstandingOffers: 10, targeting: excluded });
    await api.services.matching.matchCampaign(first);
    const second = await campaign({ maxOutstandingOffers: 10, targeting: excluded });
    await api.services.matching.matchCampaign(second);
    const [a, b] = [[...(await offersOf(first)).keys()], [...(await offersOf(second)).keys()]];
    expect(a).toHaveLength(10);
    expect(b).toHaveLength(10);
    expect(a.filter((x) => b.includes(x))).toEqual([]);
  });

  it('lists, declines and expires offers for the influencer, and checks eligibility again at claim time', async () => {
    const id = await campaign({ name: 'Listed', targeting: { minScore: 11 } });
    await api.services.matching.matchCampaign(id);
    const mine = (await api.client.ok(MY_OFFERS, { status: 'OFFERED' }, fading)).myOffers;
    const offer = mine.edges.find((e: { node: { campaignId: string } }) => e.node.campaignId === id).node;
    expect(offer).toMatchObject({ status: 'OFFERED', campaignName: 'Listed', perk: { title: 'Studio headphones' }, claim: null });
    expect((await api.client.request(DECLINE, { id: offer.id }, people[0])).errors?.[0].extensions?.code).toBe('NOT_FOUND');

    // The next run no longer sees the engagement (it left the window): the open offer cannot be claimed.
    const later = await api.services.scoring.requestRun(dateOf(1), ScoreRunTrigger.ADMIN);
    await api.services.scoring.execute(later.id, logger());
    const refused = await claim(fading, offer.id);
    expect(refused).toMatchObject({
      __typename: 'NotEligibleError',
      reasons: [{ condition: 'MIN_SCORE', message: 'score 10 is below 11' }],
    });
    // ... and the next match withdraws it.
    expect((await api.services.matching.matchCampaign(id)).withdrawn).toBe(1);
    expect((await claim(fading, offer.id)).__typename).toBe('OfferWithdrawnError');

    const open = await campaign();
    await api.services.matching.matchCampaign(open);
    const offers = await offersOf(open);
    // Someone who opts out loses their open offer at the next match and gets no new ones.
    await api.dataSource.query(`UPDATE influencers SET opted_in_at = NULL WHERE id = $1`, [people[10].influencerId]);
    try {
      expect((await api.services.matching.matchCampaign(open)).withdrawn).toBe(1);
      const fresh = await campaign();
      await api.services.matching.matchCampaign(fresh);
      expect((await offersOf(fresh)).has(people[10].influencerId)).toBe(false);
      expect((await offersOf(fresh)).has(people[11].influencerId)).toBe(true);
    } finally {
      await api.dataSource.query(`UPDATE influencers SET opted_in_at = now() WHERE id = $1`, [people[10].influencerId]);
    }
    expect((await api.client.ok(DECLINE, { id: offers.get(people[7].influencerId) }, people[7])).declineOffer.status).toBe('DECLINED');
    expect((await claim(people[7], offers.get(people[7].influencerId)!)).__typename).toBe('OfferDeclinedError');
    await api.dataSource.query(`UPDATE offers SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      offers.get(people[8].influencerId),
    ]);
    expect((await claim(people[8], offers.get(people[8].influencerId)!)).__typename).toBe('OfferExpiredError');
    const { stats } = (await api.client.ok(STATS, { id: open }, brand)).campaign;
    expect(stats).toMatchObject({ declined: 1, expired: 1 });

    await api.client.ok(`mutation($id: ID!) { pauseCampaign(id: $id) { __typename } }`, { id: open }, brand);
    expect((await claim(people[9], offers.get(people[9].influencerId)!)).__typename).toBe('CampaignNotActiveError');
  });

  describe('through the worker', () => {
    let worker: WorkerRuntime;
    beforeAll(async () => {
      worker = await startTestWorker(api);
    });
    afterAll(() => worker?.close());

    const waitFor = async (check: () => Promise<boolean>) => {
      for (let i = 0; i < 200; i++) {
        if (await check()) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('condition not reached');
    };

    it('matches on launch, and offers the room a declined offer frees to someone else', async () => {
      const id = await campaign({ maxOutstandingOffers: 5 });
      await waitFor(async () => (await offersOf(id)).size === 5);
      const offers = await offersOf(id);
      const decliner = people.find((p) => offers.has(p.influencerId))!;
      await api.client.ok(DECLINE, { id: offers.get(decliner.influencerId) }, decliner);
      await waitFor(async () => (await offersOf(id)).size === 6);
      const [{ open }] = await api.dataSource.query(
        `SELECT count(*)::int AS open FROM offers WHERE campaign_id = $1 AND status = 'OFFERED'`,
        [id],
      );
      expect(open).toBe(5);
    });
  });
});
