import { randomUUID } from 'node:crypto';
import { logger } from '../../src/core/logger';
import { ScoreRunTrigger } from '../../src/modules/scoring/score-run.entity';
import { startTestApi, type TestApi } from '../helpers/api';
import { createScratchDatabase } from '../helpers/database';
import { signUp, type SignedUp, type Person } from '../helpers/graphql';
import { suitePrefix } from '../helpers/worker';
import { dateOf } from '../helpers/dates';

const CREATE = `mutation($input: CreateCampaignInput!) {
  createCampaign(input: $input) { __typename ... on Campaign { id budget budgetSpent } ... on ErrorResult { message } } }`;
const LAUNCH = `mutation($id: ID!) { launchCampaign(id: $id) { __typename ... on Campaign { status } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateCampaignInput!) { updateCampaign(id: $id, input: $input) {
  __typename ... on Campaign { budget budgetSpent } ... on BudgetBelowSpentError { spent } ... on ErrorResult { errorCode message } } }`;
const SETTINGS = `mutation($brandId: ID!, $input: UpdateBrandSettingsInput!) { updateBrandSettings(brandId: $brandId, input: $input) {
  __typename ... on BrandSettings { brandId maxActiveClaimsPerInfluencer } } }`;
const CLAIM = `mutation($offerId: ID!, $key: String) {
  claimOffer(offerId: $offerId, idempotencyKey: $key) {
    __typename ... on Claim { id code status } ... on ErrorResult { errorCode message } ... on ClaimCapReachedError { limit } } }`;
const CANCEL = `mutation($id: ID!) { cancelClaim(claimId: $id) { __typename ... on Claim { status } } }`;
const REDEEM = `mutation($code: String!) { redeemClaim(code: $code) { __typename } }`;
const DECLINE = `mutation($id: ID!) { declineOffer(offerId: $id) { __typename } }`;
const ELIGIBILITY = `query($c: ID!, $i: ID!) { eligibility(campaignId: $c, influencerId: $i) {
  eligible offerState { hasOpenOffer reason message offer { id status } } } }`;

describe('brand caps and campaign budgets, and why no offer (real Postgres, Redis, concurrency)', () => {
  let database: { url: string; drop: () => Promise<void> };
  let api: TestApi;
  let brand: SignedUp;
  let capped: SignedUp;
  let agency: SignedUp;
  let people: Person[];

  const campaign = async (owner: SignedUp, extra: Record<string, unknown> = {}, launch = true): Promise<string> => {
    const { createCampaign } = await api.client.ok(
      CREATE,
      {
        input: {
          name: 'Budgeted',
          perk: { title: 'Voucher', kind: 'DISCOUNT', valueCents: 100, currency: 'EUR' },
          inventory: 50,
          maxOutstandingOffers: 1000,
          endsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
          ...extra,
        },
      },
      owner,
    );
    if (createCampaign.__typename !== 'Campaign') throw new Error(createCampaign.message);
    if (launch) expect((await api.client.ok(LAUNCH, { id: createCampaign.id }, owner)).launchCampaign.status).toBe('ACTIVE');
    return createCampaign.id;
  };
  const offersOf = async (campaignId: string): Promise<Map<string, string>> => {
    const rows: Array<{ id: string; influencer_id: string }> = await api.dataSource.query(
      `SELECT id, influencer_id FROM offers WHERE campaign_id = $1`,
      [campaignId],
    );
    return new Map(rows.map((r) => [r.influencer_id, r.id]));
  };
  const matched = async (campaignId: string) => {
    await api.services.matching.matchCampaign(campaignId);
    return offersOf(campaignId);
  };
  const claim = async (who: Person, offerId: string, key?: string) => (await api.client.ok(CLAIM, { offerId, key }, who)).claimOffer;
  const money = async (campaignId: string) => {
    const [row] = await api.dataSource.query(
      `SELECT c.budget::int, c.budget_spent::int AS spent, c.perk_value_cents AS value,
              (SELECT count(*)::int FROM claims WHERE campaign_id = c.id AND status <> 'CANCELLED') AS claims
       FROM campaigns c WHERE c.id = $1`,
      [campaignId],
    );
    return row as { budget: number | null; spent: number; value: number; claims: number };
  };
  const eligibility = async (campaignId: string, who: Person, as: SignedUp = brand) =>
    (await api.client.ok(ELIGIBILITY, { c: campaignId, i: who.influencerId }, as)).eligibility;
  const setCap = async (cap: number | null) =>
    (await api.client.ok(SETTINGS, { brandId: capped.organizationId, input: { maxActiveClaimsPerInfluencer: cap } }, capped))
      .updateBrandSettings;

  beforeAll(async () => {
    database = await createScratchDatabase('caps');
    api = await startTestApi({ DATABASE_URL: database.url, BULLMQ_PREFIX: suitePrefix('caps'), DATABASE_POOL_SIZE: '20' });
    [brand, capped, agency] = await Promise.all([signUp(api.client, 'BRAND'), signUp(api.client, 'BRAND'), signUp(api.client, 'AGENCY')]);
    people = [];
    for (let batch = 0; batch < 3; batch++) {
      const signed = await Promise.all(Array.from({ length: 20 }, () => signUp(api.client, 'INFLUENCER', { country: 'FR' })));
      people.push(...signed.map((p) => ({ ...p, influencerId: '' })));
    }
    const ids: Array<{ id: string; user_id: string }> = await api.dataSource.query(`SELECT id, user_id FROM influencers`);
    for (const p of people) p.influencerId = ids.find((r) => r.user_id === p.userId)!.id;
    const run = await api.services.scoring.requestRun(dateOf(1), ScoreRunTrigger.ADMIN);
    await api.services.scoring.execute(run.id, logger());
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  it('sets, validates, lowers and clears a budget; lowering it below what is spent is refused', async () => {
    const bad = await api.client.request(
      CREATE,
      {
        input: {
          name: 'x',
          perk: { title: 'x', kind: 'DISCOUNT', valueCents: 1, currency: 'EUR' },
          inventory: 1,
          budget: -1,
          endsAt: new Date(Date.now() + 86_400_000).toISOString(),
        },
      },
      brand,
    );
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0].message).toContain('budget must be 0 or more');

    const id = await campaign(brand, { budget: 250, perk: { title: 'Voucher', kind: 'DISCOUNT', valueCents: 100, currency: 'EUR' } });
    const offers = await matched(id);
    expect((await claim(people[0], offers.get(people[0].influencerId)!)).__typename).toBe('Claim');
    expect((await claim(people[1], offers.get(people[1].influencerId)!)).__typename).toBe('Claim');
    expect(await money(id)).toEqual({ budget: 250, spent: 200, value: 100, claims: 2 });

    // 250 covers two units of 100, not three; the refusal is the first answer of its key.
    const key = randomUUID();
    const exhausted = await claim(people[2], offers.get(people[2].influencerId)!, key);
    expect(exhausted).toMatchObject({ __typename: 'BudgetExhaustedError', errorCode: 'BUDGET_EXHAUSTED' });
    expect((await api.services.matching.matchCampaign(id)).skipped).toMatch(/budget/);

    const below = (await api.client.ok(UPDATE, { id, input: { budget: 150 } }, brand)).updateCampaign;
    expect(below).toMatchObject({ __typename: 'BudgetBelowSpentError', errorCode: 'BUDGET_BELOW_SPENT', spent: 200 });
    expect((await api.client.ok(UPDATE, { id, input: { budget: 300 } }, brand)).updateCampaign).toEqual({
      __typename: 'Campaign',
      budget: 300,
      budgetSpent: 200,
    });
    // The same key replays the first answer; a new key gets the unit the larger budget pays for.
    expect((await claim(people[2], offers.get(people[2].influencerId)!, key)).__typename).toBe('BudgetExhaustedError');
    const won = await claim(people[2], offers.get(people[2].influencerId)!, randomUUID());
    expect(won.__typename).toBe('Claim');

    // A cancelled claim refunds its value; a redeemed one stays spent.
    expect((await api.client.ok(CANCEL, { id: won.id }, people[2])).cancelClaim.status).toBe('CANCELLED');
    expect(await money(id)).toMatchObject({ spent: 200, claims: 2 });
    const [{ code }] = await api.dataSource.query(`SELECT code FROM claims WHERE campaign_id = $1 AND status = 'ACTIVE' LIMIT 1`, [id]);
    expect((await api.client.ok(REDEEM, { code }, brand)).redeemClaim.__typename).toBe('Claim');
    expect(await money(id)).toMatchObject({ spent: 200, claims: 2 });

    expect((await api.client.ok(UPDATE, { id, input: { budget: null } }, brand)).updateCampaign).toEqual({
      __typename: 'Campaign',
      budget: null,
      budgetSpent: 200,
    });
    expect((await claim(people[3], offers.get(people[3].influencerId)!)).__typename).toBe('Claim');
    await expect(api.dataSource.query(`UPDATE campaigns SET budget = 100 WHERE id = $1`, [id])).rejects.toThrow(
      /campaigns_budget_spent_check/,
    );
  });

  it('never overspends: 60 influencers claim 40 units a budget of 25.50 pays 25 of, at once, 10 times over', async () => {
    for (let round = 0; round < 10; round++) {
      const id = await campaign(brand, { name: `Storm ${round}`, inventory: 40, budget: 2550 });
      const offers = await matched(id);
      expect(offers.size).toBe(60);
      const results = await Promise.all(people.map((p) => claim(p, offers.get(p.influencerId)!, randomUUID())));
      const byType = results.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.__typename]: (acc[r.__typename] ?? 0) + 1 }), {});
      expect(byType).toEqual({ Claim: 25, BudgetExhaustedError: 35 });
      const m = await money(id);
      expect(m.spent).toBeLessThanOrEqual(m.budget!);
      expect(m).toEqual({ budget: 2550, spent: 2500, value: 100, claims: 25 });
      const [{ remaining }] = await api.dataSource.query(`SELECT remaining FROM campaigns WHERE id = $1`, [id]);
      expect(remaining).toBe(15);
    }
  }, 180_000);

  it("caps one influencer's active claims across the brand's campaigns, exactly, under parallel claims", async () => {
    expect(
      (await api.client.request(SETTINGS, { brandId: capped.organizationId, input: { maxActiveClaimsPerInfluencer: 0 } }, capped))
        .errors?.[0].message,
    ).toContain('maxActiveClaimsPerInfluencer must be at least 1');
    const foreign = await api.client.request(
      SETTINGS,
      { brandId: capped.organizationId, input: { maxActiveClaimsPerInfluencer: 5 } },
      brand,
    );
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const byAgency = await api.client.request(
      SETTINGS,
      { brandId: capped.organizationId, input: { maxActiveClaimsPerInfluencer: 5 } },
      agency,
    );
    expect(byAgency.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await setCap(2)).toEqual({ __typename: 'BrandSettings', brandId: capped.organizationId, maxActiveClaimsPerInfluencer: 2 });
    const { organization } = await api.client.ok(
      `query($id: ID!) { organization(id: $id) { brandSettings { maxActiveClaimsPerInfluencer } } }`,
      { id: capped.organizationId },
      capped,
    );
    expect(organization.brandSettings).toEqual({ maxActiveClaimsPerInfluencer: 2 });

    const ids = await Promise.all(Array.from({ length: 5 }, (_, i) => campaign(capped, { name: `Capped ${i}` })));
    const offers = await Promise.all(ids.map(matched));
    for (let round = 0; round < 8; round++) {
      const who = people[10 + round];
      const results = await Promise.all(offers.map((o) => claim(who, o.get(who.influencerId)!, randomUUID())));
      expect(results.filter((r) => r.__typename === 'Claim')).toHaveLength(2);
      const refused = results.filter((r) => r.__typename !== 'Claim');
      expect(refused).toHaveLength(3);
      for (const r of refused) expect(r).toMatchObject({ __typename: 'ClaimCapReachedError', errorCode: 'CLAIM_CAP_REACHED', limit: 2 });
      const [{ active }] = await api.dataSource.query(
        `SELECT count(*)::int AS active FROM claims WHERE influencer_id = $1 AND status = 'ACTIVE' AND campaign_id = ANY($2::uuid[])`,
        [who.influencerId, ids],
      );
      expect(active).toBe(2);
    }

    // The capped influencer is told why, is not offered the brand's next campaign, and a replay says the same.
    const who = people[10];
    const next = await campaign(capped, { name: 'Capped next' });
    const nextOffers = await matched(next);
    expect(nextOffers.has(who.influencerId)).toBe(false);
    expect(nextOffers.has(people[30].influencerId)).toBe(true);
    expect((await eligibility(next, who, capped)).offerState).toMatchObject({ hasOpenOffer: false, reason: 'CLAIM_CAP_REACHED' });
    const [open] = await api.dataSource.query(
      `SELECT o.id FROM offers o WHERE o.influencer_id = $1 AND o.status = 'OFFERED' AND o.campaign_id = ANY($2::uuid[]) LIMIT 1`,
      [who.influencerId, ids],
    );
    const key = randomUUID();
    expect((await claim(who, open.id, key)).__typename).toBe('ClaimCapReachedError');
    expect(await claim(who, open.id, key)).toMatchObject({ __typename: 'ClaimCapReachedError', limit: 2 });

    // Cancelling or redeeming frees the cap (it counts active claims only).
    const held: Array<{ id: string; code: string }> = await api.dataSource.query(
      `SELECT id, code FROM claims WHERE influencer_id = $1 AND status = 'ACTIVE' AND campaign_id = ANY($2::uuid[]) ORDER BY claimed_at`,
      [who.influencerId, ids],
    );
    expect((await api.client.ok(CANCEL, { id: held[0].id }, who)).cancelClaim.status).toBe('CANCELLED');
    expect((await claim(who, open.id, randomUUID())).__typename).toBe('Claim');
    const [another] = await api.dataSource.query(
      `SELECT o.id FROM offers o WHERE o.influencer_id = $1 AND o.status = 'OFFERED' AND o.campaign_id = ANY($2::uuid[]) LIMIT 1`,
      [who.influencerId, ids],
    );
    expect((await claim(who, another.id)).__typename).toBe('ClaimCapReachedError');
    expect((await api.client.ok(REDEEM, { code: held[1].code }, capped)).redeemClaim.__typename).toBe('Claim');
    expect((await claim(who, another.id)).__typename).toBe('Claim');

    // Without a cap, nothing is held back.
    expect(await setCap(null)).toMatchObject({ maxActiveClaimsPerInfluencer: null });
    const [last] = await api.dataSource.query(
      `SELECT o.id FROM offers o WHERE o.influencer_id = $1 AND o.status = 'OFFERED' AND o.campaign_id = ANY($2::uuid[]) LIMIT 1`,
      [people[11].influencerId, ids],
    );
    expect((await claim(people[11], last.id)).__typename).toBe('Claim');
  }, 120_000);

  it('says why an influencer has no offer, by the rules the matcher follows', async () => {
    const who = people[40];
    const reason = async (id: string, p: Person = who) => (await eligibility(id, p)).offerState;

    const draft = await campaign(brand, {}, false);
    expect(await reason(draft)).toMatchObject({ hasOpenOffer: false, reason: 'CAMPAIGN_NOT_LIVE', offer: null });
    const later = await campaign(brand, { startsAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(await reason(later)).toMatchObject({ reason: 'NOT_STARTED' });
    const picky = await campaign(brand, { targeting: { minScore: 90 } });
    expect(await reason(picky)).toMatchObject({ reason: 'NOT_ELIGIBLE' });

    const live = await campaign(brand);
    expect(await reason(live)).toMatchObject({ hasOpenOffer: false, reason: 'NOT_YET_MATCHED' });
    const offers = await matched(live);
    const open = await reason(live);
    expect(open).toMatchObject({ hasOpenOffer: true, reason: null, offer: { id: offers.get(who.influencerId), status: 'OFFERED' } });
    await api.client.ok(DECLINE, { id: offers.get(who.influencerId) }, who);
    expect(await reason(live)).toMatchObject({ hasOpenOffer: false, reason: 'DECLINED_EARLIER', offer: { status: 'DECLINED' } });
    expect((await claim(people[41], offers.get(people[41].influencerId)!)).__typename).toBe('Claim');
    expect(await reason(live, people[41])).toMatchObject({ reason: 'ALREADY_OFFERED', offer: { status: 'CLAIMED' } });

    const one = await campaign(brand, { inventory: 1 });
    const oneOffers = await matched(one);
    await api.dataSource.query(`DELETE FROM offers WHERE campaign_id = $1 AND influencer_id = $2`, [one, who.influencerId]);
    expect((await claim(people[42], oneOffers.get(people[42].influencerId)!)).__typename).toBe('Claim');
    expect(await reason(one)).toMatchObject({ reason: 'SOLD_OUT' });

    const poor = await campaign(brand, { budget: 50 });
    expect(await reason(poor)).toMatchObject({ reason: 'BUDGET_EXHAUSTED' });
    expect((await api.services.matching.matchCampaign(poor)).offered).toBe(0);

    const narrow = await campaign(brand, { maxOutstandingOffers: 1, targeting: { excludedInfluencerIds: [] } });
    const narrowOffers = await matched(narrow);
    expect(narrowOffers.size).toBe(1);
    const outside = people.find((p) => !narrowOffers.has(p.influencerId))!;
    expect(await reason(narrow, outside)).toMatchObject({ reason: 'OUTSTANDING_OFFERS_AT_CAP' });
  });
});
