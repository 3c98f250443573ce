import { startTestApi, type TestApi } from '../helpers/api';
import { logInAdmin, signUp, type SignedUp } from '../helpers/graphql';

const CONNECT = /* GraphQL */ `
  mutation Connect($input: ConnectSocialAccountInput!) {
    connectSocialAccount(input: $input) {
      __typename
      ... on SocialAccount {
        id
        network
        handle
        followers
        following
        accountCreatedAt
        verified
      }
      ... on ErrorResult {
        errorCode
        message
      }
    }
  }
`;
const MY_ACCOUNTS = /* GraphQL */ `
  query {
    me {
      influencer {
        socialAccounts {
          network
          handle
          followers
        }
      }
    }
  }
`;
const TOPICS = /* GraphQL */ `
  query {
    topics {
      id
      slug
      name
      family
    }
  }
`;

function account(handle: string, overrides: Record<string, unknown> = {}) {
  return { network: 'INSTAGRAM', handle, followers: 1200, following: 300, accountCreatedAt: '2020-05-01T00:00:00Z', ...overrides };
}

describe('social accounts and topics', () => {
  let api: TestApi;
  let ines: SignedUp;
  let ivan: SignedUp;
  const handle = `ines_${Date.now().toString(36)}`;

  beforeAll(async () => {
    api = await startTestApi();
    [ines, ivan] = await Promise.all([signUp(api.client, 'INFLUENCER'), signUp(api.client, 'INFLUENCER')]);
  });
  afterAll(() => api.stop());

  it('connects an account with a normalised handle, and refreshes its snapshot when connected again', async () => {
    const first = await api.client.ok(CONNECT, { input: account(`@${handle.toUpperCase()}`) }, ines);
    expect(first.connectSocialAccount).toMatchObject({
      __typename: 'SocialAccount',
      network: 'INSTAGRAM',
      handle,
      followers: 1200,
      verified: false,
    });
    const second = await api.client.ok(CONNECT, { input: account(handle, { followers: 1500, verified: true }) }, ines);
    expect(second.connectSocialAccount).toMatchObject({ id: first.connectSocialAccount.id, followers: 1500, verified: true });
    const mine = await api.client.ok(MY_ACCOUNTS, {}, ines);
    expect(mine.me.influencer.socialAccounts).toEqual([{ network: 'INSTAGRAM', handle, followers: 1500 }]);
  });

  it('refuses a handle another influencer proved with HANDLE_TAKEN and leaves it untouched', async () => {
    const { connectSocialAccount: link } = await api.client.ok(CONNECT, { input: account(`${handle}_b`) }, ines);
    const admin = await logInAdmin(api.client);
    const { verifySocialAccount } = await api.client.ok(
      `mutation($id: ID!) { verifySocialAccount(id: $id) { ... on SocialAccount { verification { status method } } } }`,
      { id: link.id },
      { token: admin },
    );
    expect(verifySocialAccount.verification).toEqual({ status: 'VERIFIED', method: 'OPERATOR' });
    const taken = await api.client.ok(CONNECT, { input: account(`${handle}_B`, { followers: 9 }) }, ivan);
    expect(taken.connectSocialAccount).toMatchObject({ __typename: 'HandleTakenError', errorCode: 'HANDLE_TAKEN' });
    const [row] = await api.dataSource.query(
      `SELECT s.followers, i.user_id FROM social_accounts s JOIN influencers i ON i.id = s.influencer_id WHERE s.network = 'INSTAGRAM' AND s.handle = $1`,
      [`${handle}_b`],
    );
    expect(row).toEqual({ followers: 1200, user_id: ines.userId });
    // The same handle on another network is another account.
    const elsewhere = await api.client.ok(CONNECT, { input: account(`${handle}_b`, { network: 'TIKTOK' }) }, ivan);
    expect(elsewhere.connectSocialAccount.__typename).toBe('SocialAccount');
  });

  it('validates counts, dates and handles', async () => {
    const response = await api.client.request(
      CONNECT,
      { input: account('bad handle!', { followers: -1, accountCreatedAt: new Date(Date.now() + 86_400_000).toISOString() }) },
      ines,
    );
    expect(response.errors![0].extensions!.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'accountCreatedAt',
      'followers',
      'handle',
    ]);
    const notADate = await api.client.request(CONNECT, { input: account(handle, { accountCreatedAt: 'yesterday' }) }, ines);
    expect(notADate.status).toBe(400);
    expect(notADate.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('is for influencers only', async () => {
    const brand = await signUp(api.client, 'BRAND');
    const response = await api.client.request(CONNECT, { input: account(`${handle}_c`) }, brand);
    expect(response.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect((await api.client.request(CONNECT, { input: account(`${handle}_c`) })).errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  });

  it('lists the seeded topic taxonomy to anyone', async () => {
    const { topics } = await api.client.ok(TOPICS);
    expect(topics.length).toBeGreaterThanOrEqual(50);
    expect(topics.length).toBeLessThanOrEqual(200);
    expect(new Set(topics.map((t: { family: string }) => t.family)).size).toBeGreaterThanOrEqual(5);
    expect(topics).toContainEqual(expect.objectContaining({ slug: 'tech-ai', family: 'tech' }));
    for (const topic of topics) expect(topic.slug.startsWith(`${topic.family}-`)).toBe(true);
  });
});
