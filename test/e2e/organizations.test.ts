import { startTestApi, type TestApi } from '../helpers/api';
import { logInAdmin, signUp, type SignedUp } from '../helpers/graphql';

const ORGANIZATION = /* GraphQL */ `
  query Organization($id: ID!) {
    organization(id: $id) {
      id
      kind
      name
      clients {
        id
      }
      agencies {
        id
      }
    }
  }
`;
const ADD_AGENCY_CLIENT = /* GraphQL */ `
  mutation Add($brandId: ID!, $agencyId: ID!) {
    addAgencyClient(brandId: $brandId, agencyId: $agencyId) {
      __typename
      ... on AgencyClientGrant {
        agency {
          id
        }
        brand {
          id
        }
      }
      ... on ErrorResult {
        errorCode
        message
      }
    }
  }
`;
const REMOVE_AGENCY_CLIENT = /* GraphQL */ `
  mutation Remove($brandId: ID!, $agencyId: ID!) {
    removeAgencyClient(brandId: $brandId, agencyId: $agencyId)
  }
`;

describe('organisations and agency clients', () => {
  let api: TestApi;
  let brandA: SignedUp;
  let brandB: SignedUp;
  let agency: SignedUp;
  let lonelyAgency: SignedUp;
  let influencer: SignedUp;

  beforeAll(async () => {
    api = await startTestApi();
    [brandA, brandB, agency, lonelyAgency, influencer] = await Promise.all([
      signUp(api.client, 'BRAND'),
      signUp(api.client, 'BRAND'),
      signUp(api.client, 'AGENCY'),
      signUp(api.client, 'AGENCY'),
      signUp(api.client, 'INFLUENCER'),
    ]);
    const granted = await api.client.ok(ADD_AGENCY_CLIENT, { brandId: brandA.organizationId, agencyId: agency.organizationId }, brandA);
    expect(granted.addAgencyClient).toEqual({
      __typename: 'AgencyClientGrant',
      agency: { id: agency.organizationId },
      brand: { id: brandA.organizationId },
    });
  });
  afterAll(() => api.stop());

  const read = (id: string | undefined, who: { token?: string }) => api.client.request(ORGANIZATION, { id }, who);

  it('lets a brand read its own organisation with its agencies', async () => {
    const { data } = await read(brandA.organizationId, brandA);
    expect(data.organization).toEqual({
      id: brandA.organizationId,
      kind: 'BRAND',
      name: 'Test BRAND',
      clients: null,
      agencies: [{ id: agency.organizationId }],
    });
  });

  it("answers NOT_FOUND when brand B asks for brand A's organisation, as for an id that does not exist", async () => {
    const foreign = await read(brandA.organizationId, brandB);
    const missing = await read('00000000-0000-4000-8000-000000000000', brandB);
    const garbage = await read('not-a-uuid', brandB);
    for (const response of [foreign, missing, garbage]) {
      expect(response.data).toBeNull();
      expect(response.errors).toEqual([expect.objectContaining({ message: 'Organization not found', extensions: { code: 'NOT_FOUND' } })]);
    }
  });

  it('lets an agency read the brands that granted it, without their other agencies', async () => {
    const { data } = await read(brandA.organizationId, agency);
    expect(data.organization).toMatchObject({ id: brandA.organizationId, agencies: null });
    const own = await read(agency.organizationId, agency);
    expect(own.data.organization.clients).toEqual([{ id: brandA.organizationId }]);
  });

  it('shows the new session its own organisations in the logIn answer itself', async () => {
    const response = await api.client.ok(
      `mutation($input: LogInInput!) { logIn(input: $input) { ... on AuthPayload { user { organizations { clients { id } } } } } }`,
      { input: { email: agency.email, password: 'correct horse battery' } },
    );
    expect(response.logIn.user.organizations).toEqual([{ clients: [{ id: brandA.organizationId }] }]);
  });

  it('keeps brands hidden from agencies they did not grant, and from influencers', async () => {
    for (const who of [lonelyAgency, influencer]) {
      expect((await read(brandA.organizationId, who)).errors![0].extensions!.code).toBe('NOT_FOUND');
    }
  });

  it('requires authentication to read an organisation', async () => {
    const response = await read(brandA.organizationId, {});
    expect(response.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  });

  it('lets operators read any organisation', async () => {
    const token = await logInAdmin(api.client);
    expect((await read(brandB.organizationId, { token })).data.organization.id).toBe(brandB.organizationId);
  });

  it('refuses grants from influencers and agencies by role, and from other brands as not found', async () => {
    const byInfluencer = await api.client.request(
      ADD_AGENCY_CLIENT,
      { brandId: brandB.organizationId, agencyId: agency.organizationId },
      influencer,
    );
    const byAgency = await api.client.request(
      ADD_AGENCY_CLIENT,
      { brandId: brandB.organizationId, agencyId: agency.organizationId },
      agency,
    );
    expect(byInfluencer.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(byAgency.errors![0].extensions!.code).toBe('FORBIDDEN');
    const byOtherBrand = await api.client.request(
      ADD_AGENCY_CLIENT,
      { brandId: brandA.organizationId, agencyId: lonelyAgency.organizationId },
      brandB,
    );
    expect(byOtherBrand.errors![0]).toMatchObject({ message: 'Brand not found', extensions: { code: 'NOT_FOUND' } });
    const { count } = (
      await api.dataSource.query('SELECT count(*)::int AS count FROM agency_clients WHERE agency_id = $1', [lonelyAgency.organizationId])
    )[0];
    expect(count).toBe(0);
  });

  it('answers NOT_AN_AGENCY when the agency id names a brand, and grants idempotently', async () => {
    const brandAsAgency = await api.client.ok(
      ADD_AGENCY_CLIENT,
      { brandId: brandB.organizationId, agencyId: brandA.organizationId },
      brandB,
    );
    expect(brandAsAgency.addAgencyClient).toMatchObject({ __typename: 'NotAnAgencyError', errorCode: 'NOT_AN_AGENCY' });
    const again = await api.client.ok(ADD_AGENCY_CLIENT, { brandId: brandA.organizationId, agencyId: agency.organizationId }, brandA);
    expect(again.addAgencyClient.__typename).toBe('AgencyClientGrant');
    const { count } = (
      await api.dataSource.query('SELECT count(*)::int AS count FROM agency_clients WHERE brand_id = $1', [brandA.organizationId])
    )[0];
    expect(count).toBe(1);
  });

  it('withdraws a grant, after which the agency no longer sees the brand', async () => {
    const brand = await signUp(api.client, 'BRAND');
    await api.client.ok(ADD_AGENCY_CLIENT, { brandId: brand.organizationId, agencyId: lonelyAgency.organizationId }, brand);
    expect((await read(brand.organizationId, lonelyAgency)).data.organization.id).toBe(brand.organizationId);
    expect(
      (await api.client.ok(REMOVE_AGENCY_CLIENT, { brandId: brand.organizationId, agencyId: lonelyAgency.organizationId }, brand))
        .removeAgencyClient,
    ).toBe(true);
    expect((await read(brand.organizationId, lonelyAgency)).errors![0].extensions!.code).toBe('NOT_FOUND');
  });
});
