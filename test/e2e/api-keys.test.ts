import { hashApiKey } from '../../src/modules/accounts/api-key-secret';
import { startTestApi, type TestApi } from '../helpers/api';
import { logInAdmin, signUp, type SignedUp } from '../helpers/graphql';

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      __typename
      ... on CreatedApiKey {
        key
        apiKey {
          id
          name
          prefix
          scopes
          organizationId
          revokedAt
          lastUsedAt
        }
      }
      ... on ErrorResult {
        errorCode
        message
      }
    }
  }
`;
const REVOKE = /* GraphQL */ `
  mutation Revoke($id: ID!) {
    revokeApiKey(id: $id) {
      id
      revokedAt
    }
  }
`;
const CURRENT = /* GraphQL */ `
  query {
    currentApiKey {
      id
      name
      scopes
      organizationId
      lastUsedAt
    }
    me {
      id
    }
  }
`;
const LIST = /* GraphQL */ `
  query {
    apiKeys {
      id
      prefix
      scopes
      revokedAt
    }
  }
`;
const ORGANIZATION = /* GraphQL */ `
  query Org($id: ID!) {
    organization(id: $id) {
      id
    }
  }
`;

describe('API keys', () => {
  let api: TestApi;
  let brand: SignedUp;
  let otherBrand: SignedUp;
  let adminToken: string;

  beforeAll(async () => {
    api = await startTestApi();
    [brand, otherBrand] = await Promise.all([signUp(api.client, 'BRAND'), signUp(api.client, 'BRAND')]);
    adminToken = await logInAdmin(api.client);
  });
  afterAll(() => api.stop());

  const create = async (input: Record<string, unknown>, who: { token?: string }) =>
    (await api.client.ok(CREATE, { input }, who)).createApiKey;

  it('creates a brand key, shows the secret once, stores only its hash, and authenticates with it', async () => {
    const created = await create({ name: 'POS terminal', scopes: ['REDEEM', 'SEARCH'] }, brand);
    expect(created.__typename).toBe('CreatedApiKey');
    expect(created.key).toMatch(/^pk_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(created.apiKey).toMatchObject({
      name: 'POS terminal',
      scopes: ['REDEEM', 'SEARCH'],
      organizationId: brand.organizationId,
      revokedAt: null,
      lastUsedAt: null,
    });
    expect(created.key.startsWith(`pk_${created.apiKey.prefix}_`)).toBe(true);

    const [row] = await api.dataSource.query('SELECT * FROM api_keys WHERE id = $1', [created.apiKey.id]);
    expect(Buffer.compare(row.key_hash, hashApiKey(created.key))).toBe(0);
    // The secret is what follows `pk_<prefix>_`; it may itself hold underscores (base64url).
    const secret = created.key.slice(`pk_${created.apiKey.prefix}_`.length);
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(row)).not.toContain(secret);

    const used = await api.client.ok(CURRENT, {}, { apiKey: created.key });
    expect(used.me).toBeNull();
    expect(used.currentApiKey).toMatchObject({ id: created.apiKey.id, scopes: ['REDEEM', 'SEARCH'] });
    expect(used.currentApiKey.lastUsedAt).not.toBeNull();

    const listed = await api.client.ok(LIST, {}, brand);
    expect(listed.apiKeys).toEqual([
      { id: created.apiKey.id, prefix: created.apiKey.prefix, scopes: ['REDEEM', 'SEARCH'], revokedAt: null },
    ]);
    expect(JSON.stringify(listed)).not.toContain(created.key);
  });

  it('lets a key read its own organisation and nothing else', async () => {
    const { key } = await create({ name: 'reader', scopes: ['SEARCH'] }, brand);
    expect((await api.client.ok(ORGANIZATION, { id: brand.organizationId }, { apiKey: key })).organization.id).toBe(brand.organizationId);
    const foreign = await api.client.request(ORGANIZATION, { id: otherBrand.organizationId }, { apiKey: key });
    expect(foreign.errors![0].extensions!.code).toBe('NOT_FOUND');
  });

  it('refuses scopes an organisation may not hold, and key creation by keys and influencers', async () => {
    const ingest = await create({ name: 'sneaky', scopes: ['INGEST'] }, brand);
    expect(ingest).toMatchObject({
      __typename: 'ScopeNotAllowedError',
      errorCode: 'SCOPE_NOT_ALLOWED',
      message: expect.stringMatching(/cannot carry INGEST/),
    });
    const agency = await signUp(api.client, 'AGENCY');
    expect(await create({ name: 'redeem', scopes: ['REDEEM'] }, agency)).toMatchObject({ errorCode: 'SCOPE_NOT_ALLOWED' });

    const { key } = await create({ name: 'k', scopes: ['CAMPAIGNS'] }, brand);
    const byKey = await api.client.request(CREATE, { input: { name: 'child', scopes: ['SEARCH'] } }, { apiKey: key });
    expect(byKey.errors![0].extensions!.code).toBe('FORBIDDEN');
    const influencer = await signUp(api.client, 'INFLUENCER');
    const byInfluencer = await api.client.request(CREATE, { input: { name: 'x', scopes: ['SEARCH'] } }, influencer);
    expect(byInfluencer.errors![0].extensions!.code).toBe('FORBIDDEN');
  });

  it('validates the input with messages a person can act on', async () => {
    const response = await api.client.request(CREATE, { input: { name: '  ', scopes: [] } }, brand);
    expect(response.errors![0].extensions!.fields).toEqual([
      { field: 'name', messages: ['name must not be blank'] },
      { field: 'scopes', messages: ['scopes must name at least one scope'] },
    ]);
  });

  it('lets operators issue INGEST keys for connectors, and nothing broader', async () => {
    const connector = await create({ name: 'twitter connector', scopes: ['INGEST'] }, { token: adminToken });
    expect(connector.apiKey).toMatchObject({ scopes: ['INGEST'], organizationId: null });
    expect((await api.client.ok(CURRENT, {}, { apiKey: connector.key })).currentApiKey.id).toBe(connector.apiKey.id);
    expect(await create({ name: 'god key', scopes: ['INGEST', 'REDEEM'] }, { token: adminToken })).toMatchObject({
      errorCode: 'SCOPE_NOT_ALLOWED',
    });
    const adminList = await api.client.ok(LIST, {}, { token: adminToken });
    expect(adminList.apiKeys.map((k: { id: string }) => k.id)).toContain(connector.apiKey.id);
    const brandList = await api.client.ok(LIST, {}, brand);
    expect(brandList.apiKeys.map((k: { id: string }) => k.id)).not.toContain(connector.apiKey.id);
  });

  it('revokes a key at once; nobody else can revoke it', async () => {
    const { key, apiKey } = await create({ name: 'to revoke', scopes: ['SEARCH'] }, brand);
    const foreign = await api.client.request(REVOKE, { id: apiKey.id }, otherBrand);
    expect(foreign.errors![0]).toMatchObject({ message: 'API key not found', extensions: { code: 'NOT_FOUND' } });
    expect((await api.client.request(CURRENT, {}, { apiKey: key })).status).toBe(200);

    const revoked = await api.client.ok(REVOKE, { id: apiKey.id }, brand);
    expect(revoked.revokeApiKey.revokedAt).not.toBeNull();
    const again = await api.client.ok(REVOKE, { id: apiKey.id }, brand);
    expect(again.revokeApiKey.revokedAt).toBe(revoked.revokeApiKey.revokedAt);

    const refused = await api.client.request(CURRENT, {}, { apiKey: key });
    expect(refused.status).toBe(401);
    expect(refused.errors![0]).toMatchObject({
      message: 'The API key is not valid or was revoked',
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('refuses malformed and unknown keys, and a request with both a token and a key', async () => {
    for (const apiKey of ['nope', `pk_aaaaaaaaaaaa_${'A'.repeat(43)}`]) {
      expect((await api.client.request(CURRENT, {}, { apiKey })).status).toBe(401);
    }
    const { key } = await create({ name: 'both', scopes: ['SEARCH'] }, brand);
    const both = await api.client.request(CURRENT, {}, { apiKey: key, token: brand.token });
    expect(both.status).toBe(400);
    expect(both.errors![0].extensions!.code).toBe('BAD_REQUEST');
  });
});
