import { startTestApi, type TestApi } from '../helpers/api';
import { logInAdmin, signUp, type SignedUp } from '../helpers/graphql';

const FIELDS = `__typename
  ... on Campaign { id brandId name status inventory remaining startsAt endsAt offerLifetimeHours maxOutstandingOffers
    perk { title kind valueCents currency }
    targeting { minScore minReach countries networks excludedInfluencerIds topics { slugs minTopicScore } conditions } }
  ... on ErrorResult { errorCode message }`;
const TOPIC = `... on UnknownTopicError { slugs }`;
const STATE = `... on InvalidCampaignStateError { status }`;
const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { ${FIELDS} ${TOPIC} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateCampaignInput!) { updateCampaign(id: $id, input: $input) { ${FIELDS} ${TOPIC} ${STATE} ... on InventoryBelowClaimedError { claimed } } }`;
const LAUNCH = `mutation($id: ID!) { launchCampaign(id: $id) { ${FIELDS} ${STATE} } }`;
const PAUSE = `mutation($id: ID!) { pauseCampaign(id: $id) { ${FIELDS} ${STATE} } }`;
const END = `mutation($id: ID!) { endCampaign(id: $id) { ${FIELDS} ${STATE} } }`;
const GET = `query($id: ID!) { campaign(id: $id) { id name status } }`;
const LIST = `query($status: CampaignStatus, $first: Int, $after: String) {
  campaigns(status: $status, first: $first, after: $after) { totalCount edges { cursor node { id name status } } pageInfo { hasNextPage endCursor } }
}`;
const ADD_AGENCY = `mutation($brandId: ID!, $agencyId: ID!) { addAgencyClient(brandId: $brandId, agencyId: $agencyId) { __typename } }`;
const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { ... on CreatedApiKey { key } } }`;

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();

function campaignInput(extra: Record<string, unknown> = {}) {
  return {
    name: 'Espresso launch',
    perk: { title: 'A bag of beans', description: 'Single origin, 250 g', kind: 'PRODUCT', valueCents: 1800, currency: 'eur' },
    inventory: 50,
    targeting: { minScore: 40, topics: { slugs: ['food-coffee'], minTopicScore: 30 }, countries: ['fr', 'DE'], networks: ['INSTAGRAM'] },
    endsAt: inDays(30),
    ...extra,
  };
}

describe('campaigns', () => {
  let api: TestApi;
  let brandA: SignedUp;
  let brandB: SignedUp;
  let agency: SignedUp;
  let lonelyAgency: SignedUp;
  let influencer: SignedUp;
  let admin: string;

  const create = async (who: { token?: string; apiKey?: string }, input: Record<string, unknown> = campaignInput()) =>
    (await api.client.ok(CREATE, { input }, who)).createCampaign;

  beforeAll(async () => {
    api = await startTestApi();
    [brandA, brandB, agency, lonelyAgency, influencer] = await Promise.all([
      signUp(api.client, 'BRAND'),
      signUp(api.client, 'BRAND'),
      signUp(api.client, 'AGENCY'),
      signUp(api.client, 'AGENCY'),
      signUp(api.client, 'INFLUENCER'),
    ]);
    admin = await logInAdmin(api.client);
    await api.client.ok(ADD_AGENCY, { brandId: brandA.organizationId, agencyId: agency.organizationId }, brandA);
  });
  afterAll(() => api?.stop());

  it('creates a DRAFT campaign for the brand with normalized targeting', async () => {
    const campaign = await create(brandA);
    expect(campaign).toMatchObject({
      __typename: 'Campaign',
      brandId: brandA.organizationId,
      status: 'DRAFT',
      inventory: 50,
      remaining: 50,
      offerLifetimeHours: 72,
      maxOutstandingOffers: 100,
      perk: { title: 'A bag of beans', kind: 'PRODUCT', valueCents: 1800, currency: 'EUR' },
      targeting: {
        minScore: 40,
        topics: { slugs: ['food-coffee'], minTopicScore: 30 },
        countries: ['DE', 'FR'],
        networks: ['INSTAGRAM'],
        minReach: null,
        conditions: ['MIN_SCORE', 'TOPICS', 'COUNTRIES', 'NETWORKS'],
      },
    });
  });

  it('refuses bad input with typed errors a person can act on', async () => {
    const early = await create(brandA, campaignInput({ startsAt: inDays(10), endsAt: inDays(5) }));
    expect(early).toMatchObject({ __typename: 'InvalidScheduleError', errorCode: 'INVALID_SCHEDULE' });
    expect(early.message).toMatch(/endsAt .* must be after startsAt/);

    const past = await create(brandA, campaignInput({ startsAt: inDays(-10), endsAt: inDays(-1) }));
    expect(past).toMatchObject({ errorCode: 'INVALID_SCHEDULE' });
    expect(past.message).toMatch(/in the past/);

    const topic = await create(brandA, campaignInput({ targeting: { topics: { slugs: ['food-coffee', 'basket-weaving'] } } }));
    expect(topic).toMatchObject({ __typename: 'UnknownTopicError', errorCode: 'UNKNOWN_TOPIC', slugs: ['basket-weaving'] });

    const score = await api.client.request(CREATE, { input: campaignInput({ targeting: { minScore: 101 } }) }, brandA);
    expect(score.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(score.errors?.[0].extensions)).toContain('minScore must be between 1 and 100');

    const inventory = await api.client.request(CREATE, { input: campaignInput({ inventory: 0 }) }, brandA);
    expect(JSON.stringify(inventory.errors?.[0].extensions)).toContain('inventory must be at least 1');

    const { totalCount } = (await api.client.ok(LIST, {}, brandA)).campaigns;
    expect(totalCount).toBe(1);
  });

  it('walks DRAFT -> ACTIVE <-> PAUSED -> ENDED and refuses what the status forbids', async () => {
    const { id } = await create(brandA);
    expect((await api.client.ok(LAUNCH, { id }, brandA)).launchCampaign.status).toBe('ACTIVE');

    const targetingWhileActive = (await api.client.ok(UPDATE, { id, input: { targeting: { minScore: 60 } } }, brandA)).updateCampaign;
    expect(targetingWhileActive).toMatchObject({ __typename: 'InvalidCampaignStateError', status: 'ACTIVE' });
    expect(targetingWhileActive.message).toMatch(/Targeting cannot change now: it is active: pause it first/);

    const grown = (await api.client.ok(UPDATE, { id, input: { inventory: 80, name: 'Espresso launch II' } }, brandA)).updateCampaign;
    expect(grown).toMatchObject({ inventory: 80, remaining: 80, name: 'Espresso launch II', status: 'ACTIVE' });

    expect((await api.client.ok(LAUNCH, { id }, brandA)).launchCampaign).toMatchObject({ errorCode: 'INVALID_CAMPAIGN_STATE' });
    expect((await api.client.ok(PAUSE, { id }, brandA)).pauseCampaign.status).toBe('PAUSED');
    const retargeted = (await api.client.ok(UPDATE, { id, input: { targeting: { minScore: 60 } } }, brandA)).updateCampaign;
    expect(retargeted.targeting).toMatchObject({ minScore: 60, topics: null, conditions: ['MIN_SCORE'] });
    expect((await api.client.ok(LAUNCH, { id }, brandA)).launchCampaign.status).toBe('ACTIVE');
    expect((await api.client.ok(END, { id }, brandA)).endCampaign.status).toBe('ENDED');

    const relaunch = (await api.client.ok(LAUNCH, { id }, brandA)).launchCampaign;
    expect(relaunch).toMatchObject({ __typename: 'InvalidCampaignStateError', status: 'ENDED' });
    expect(relaunch.message).toMatch(/ended, which is final/);
    expect((await api.client.ok(UPDATE, { id, input: { name: 'x' } }, brandA)).updateCampaign).toMatchObject({ status: 'ENDED' });
  });

  it('never lets inventory fall below the units already claimed, and sells out at zero', async () => {
    const { id } = await create(brandA, campaignInput({ inventory: 10 }));
    await api.client.ok(LAUNCH, { id }, brandA);
    // Seven units held by claims (the claim path arrives with the matcher; its effect on the row is this).
    await api.dataSource.query(`UPDATE campaigns SET remaining = remaining - 7 WHERE id = $1`, [id]);

    const below = (await api.client.ok(UPDATE, { id, input: { inventory: 6 } }, brandA)).updateCampaign;
    expect(below).toMatchObject({ __typename: 'InventoryBelowClaimedError', claimed: 7 });
    expect(below.message).toBe('7 units are already claimed: inventory cannot go below 7');

    const soldOut = (await api.client.ok(UPDATE, { id, input: { inventory: 7 } }, brandA)).updateCampaign;
    expect(soldOut).toMatchObject({ inventory: 7, remaining: 0, status: 'SOLD_OUT' });
    const back = (await api.client.ok(UPDATE, { id, input: { inventory: 9 } }, brandA)).updateCampaign;
    expect(back).toMatchObject({ inventory: 9, remaining: 2, status: 'ACTIVE' });
    const [row] = await api.dataSource.query(`SELECT inventory - remaining AS held FROM campaigns WHERE id = $1`, [id]);
    expect(row.held).toBe(7);
  });

  it('lets a granted agency manage the brand, and hides campaigns from everyone else', async () => {
    const mine = await create(brandA);
    const forClient = await create(agency, campaignInput({ brandId: brandA.organizationId, name: 'Agency made' }));
    expect(forClient).toMatchObject({ __typename: 'Campaign', brandId: brandA.organizationId });
    expect((await api.client.ok(GET, { id: mine.id }, agency)).campaign.id).toBe(mine.id);
    expect((await api.client.ok(PAUSE, { id: mine.id }, agency)).pauseCampaign.errorCode).toBe('INVALID_CAMPAIGN_STATE');

    for (const outsider of [brandB, lonelyAgency]) {
      const read = await api.client.request(GET, { id: mine.id }, outsider);
      expect(read.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      const write = await api.client.request(UPDATE, { id: mine.id, input: { name: 'hijacked' } }, outsider);
      expect(write.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      const launch = await api.client.request(LAUNCH, { id: mine.id }, outsider);
      expect(launch.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      const listed = (await api.client.ok(LIST, {}, outsider)).campaigns;
      expect(listed.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(mine.id);
    }
    const stolen = await api.client.request(CREATE, { input: campaignInput({ brandId: brandA.organizationId }) }, brandB);
    expect(stolen.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const asInfluencer = await api.client.request(GET, { id: mine.id }, influencer);
    expect(asInfluencer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const anonymous = await api.client.request(GET, { id: mine.id });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await api.client.ok(GET, { id: mine.id }, { token: admin })).campaign.id).toBe(mine.id);
    expect((await api.client.ok(GET, { id: mine.id }, brandA)).campaign.name).toBe('Espresso launch');
  });

  it('accepts a brand key with the CAMPAIGNS scope for its own brand only', async () => {
    const key = (await api.client.ok(CREATE_KEY, { input: { name: 'pim', scopes: ['CAMPAIGNS'] } }, brandB)).createApiKey.key;
    const created = await create({ apiKey: key });
    expect(created).toMatchObject({ __typename: 'Campaign', brandId: brandB.organizationId });
    const foreign = (await api.client.ok(LIST, {}, brandA)).campaigns.edges[0].node.id;
    expect((await api.client.request(GET, { id: foreign }, { apiKey: key })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('lists campaigns newest first in keyset pages, filtered by status', async () => {
    const brand = await signUp(api.client, 'BRAND');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await create(brand, campaignInput({ name: `c${i}` }))).id);
    await api.client.ok(LAUNCH, { id: ids[1] }, brand);
    await api.client.ok(LAUNCH, { id: ids[3] }, brand);

    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = (await api.client.ok(LIST, { first: 2, after }, brand)).campaigns;
      expect(page.totalCount).toBe(5);
      seen.push(...page.edges.map((e: { node: { id: string } }) => e.node.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : undefined;
    } while (after);
    expect(seen).toEqual([...ids].reverse());

    const active = (await api.client.ok(LIST, { status: 'ACTIVE' }, brand)).campaigns;
    expect(active.totalCount).toBe(2);
    expect(active.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([ids[3], ids[1]]);

    const bad = await api.client.request(LIST, { after: 'not-a-cursor' }, brand);
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('pages campaigns and offers without skipping rows that share a timestamp or lie microseconds apart', async () => {
    // Cursors keep a Date's milliseconds; rows written by one statement share their microseconds.
    const brand = await signUp(api.client, 'BRAND');
    const person = await signUp(api.client, 'INFLUENCER');
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await create(brand, campaignInput({ name: `same-${i}` }))).id);
    await api.dataSource.query(
      `UPDATE campaigns SET created_at = '2026-01-01T00:00:00.123456Z'::timestamptz + (CASE WHEN name < 'same-3' THEN 0 ELSE 1 END) * interval '1 microsecond'
       WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    await api.dataSource.query(
      `INSERT INTO offers (campaign_id, influencer_id, priority, offered_at, expires_at)
       SELECT c.id, i.id, 1, '2026-01-01T00:00:00.123456Z'::timestamptz + (CASE WHEN c.name < 'same-3' THEN 0 ELSE 1 END) * interval '1 microsecond',
              now() + interval '1 day'
       FROM campaigns c, influencers i WHERE c.id = ANY($1::uuid[]) AND i.user_id = $2`,
      [ids, person.userId],
    );
    const walk = async (document: string, field: string, who: SignedUp) => {
      const seen: string[] = [];
      let after: string | undefined;
      do {
        const page = (await api.client.ok(document, { first: 2, after }, who))[field];
        seen.push(...page.edges.map((e: { node: { id: string } }) => e.node.id));
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : undefined;
      } while (after);
      return seen;
    };
    const campaigns = await walk(LIST, 'campaigns', brand);
    const expectedCampaigns = await api.dataSource.query(
      `SELECT id FROM campaigns WHERE id = ANY($1::uuid[]) ORDER BY created_at DESC, id DESC`,
      [ids],
    );
    expect(campaigns).toEqual(expectedCampaigns.map((r: { id: string }) => r.id));
    const MY_OFFERS = `query($first: Int, $after: String) { myOffers(first: $first, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`;
    const offers = await walk(MY_OFFERS, 'myOffers', person);
    const expectedOffers = await api.dataSource.query(
      `SELECT o.id FROM offers o JOIN influencers i ON i.id = o.influencer_id WHERE i.user_id = $1 ORDER BY o.offered_at DESC, o.id DESC`,
      [person.userId],
    );
    expect(offers).toHaveLength(6);
    expect(offers).toEqual(expectedOffers.map((r: { id: string }) => r.id));
  });

  it('ends live campaigns whose endsAt has passed (the every-minute sweep)', async () => {
    const { id } = await create(brandA);
    await api.client.ok(LAUNCH, { id }, brandA);
    const draft = await create(brandA);
    await api.dataSource.query(
      `UPDATE campaigns SET starts_at = now() - interval '2 days', ends_at = now() - interval '1 second' WHERE id = ANY($1)`,
      [[id, draft.id]],
    );
    expect(await api.services.campaigns.endExpired()).toBeGreaterThanOrEqual(1);
    expect((await api.client.ok(GET, { id }, brandA)).campaign.status).toBe('ENDED');
    // A draft past its end is not live: it stays a draft, and cannot launch.
    expect((await api.client.ok(GET, { id: draft.id }, brandA)).campaign.status).toBe('DRAFT');
    const launch = (await api.client.ok(LAUNCH, { id: draft.id }, brandA)).launchCampaign;
    expect(launch).toMatchObject({ __typename: 'InvalidScheduleError' });
    expect(launch.message).toMatch(/has passed: move endsAt later/);
  });
});
