import { randomUUID } from 'node:crypto';
import net from 'node:net';
import IORedis from 'ioredis';
import { loadEnv } from '../../src/core/env';
import { RateLimiter } from '../../src/core/rate-limit';
import { logger } from '../../src/core/logger';
import { startTestApi, type TestApi } from '../helpers/api';
import { LOG_IN, logInAdmin, signUp, type GraphQLResponse } from '../helpers/graphql';

// A refusal that names a number would tell a prober where the limit is.
const STATES_A_NUMBER = /\d/;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const CONNECTION = /* GraphQL */ `
  query Page($first: Int) {
    eligibleInfluencers(first: $first) {
      edges {
        cursor
        node {
          id
          score
          country
          reach
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

function refusal(response: GraphQLResponse): { status: number; code?: string; message?: string } {
  return { status: response.status, code: response.errors?.[0]?.extensions?.code, message: response.errors?.[0]?.message };
}

describe('query limits', () => {
  let api: TestApi;
  let brand: string;
  beforeAll(async () => {
    api = await startTestApi({
      GRAPHQL_MAX_DEPTH: '5',
      GRAPHQL_MAX_ALIASES: '3',
      GRAPHQL_MAX_DIRECTIVES: '3',
      GRAPHQL_MAX_TOKENS: '200',
      GRAPHQL_MAX_COST: '500',
    });
    brand = (await signUp(api.client, 'BRAND')).token;
  });
  afterAll(() => api?.stop());

  const expectRefused = (response: GraphQLResponse, code = 'GRAPHQL_VALIDATION_FAILED') => {
    expect(refusal(response)).toMatchObject({ status: 400, code });
    expect(response.errors![0].message).not.toMatch(STATES_A_NUMBER);
    expect(response.data ?? null).toBeNull();
  };
  const expectServed = (response: GraphQLResponse) => {
    expect(response.errors).toBeUndefined();
    expect(response.status).toBe(200);
  };

  it('refuses a query nested deeper than the limit', async () => {
    expectServed(await api.client.request('{ me { organizations { clients { agencies { id } } } } }', {}, { token: brand }));
    const deep = await api.client.request('{ me { organizations { clients { agencies { clients { id } } } } } }', {}, { token: brand });
    expectRefused(deep);
    expect(deep.errors![0].message).toMatch(/nested too deeply/);
    // Fragments do not hide depth.
    const hidden = await api.client.request(
      'query { me { ...A } } fragment A on User { organizations { ...B } } fragment B on Organization { clients { agencies { clients { id } } } }',
      {},
      { token: brand },
    );
    expectRefused(hidden);
  });

  it('refuses too many aliases', async () => {
    expectServed(await api.client.request('{ a: topics { slug } b: topics { slug } c: topics { slug } }'));
    const many = await api.client.request('{ a: topics { slug } b: topics { slug } c: topics { slug } d: topics { slug } }');
    expectRefused(many);
    expect(many.errors![0].message).toMatch(/too many aliases/);
  });

  it('refuses too many directives', async () => {
    expectServed(await api.client.request('{ topics @include(if: true) { slug @skip(if: false) name @include(if: true) } }'));
    const many = await api.client.request(
      '{ topics @include(if: true) { slug @skip(if: false) name @include(if: true) family @include(if: true) } }',
    );
    expectRefused(many);
    expect(many.errors![0].message).toMatch(/too many directives/);
  });

  it('refuses a document with too many tokens, without stating the limit', async () => {
    expectServed(await api.client.request(`{ topics { ${'slug '.repeat(150)} } }`));
    const long = await api.client.request(`{ topics { ${'slug '.repeat(250)} } }`);
    expectRefused(long, 'GRAPHQL_PARSE_FAILED');
    expect(long.errors![0].message).toMatch(/too long/);
  });

  it('counts connection sizes in the cost, from literals, variables and defaults', async () => {
    // An edge costs 10 here: a page of 20 (the default) fits in 500, a page of 100 does not.
    expectServed(await api.client.request(CONNECTION, {}, { token: brand }));
    expectServed(await api.client.request(CONNECTION, { first: 20 }, { token: brand }));
    const byVariable = await api.client.request(CONNECTION, { first: 100 }, { token: brand });
    expectRefused(byVariable);
    expect(byVariable.errors![0].message).toMatch(/too much at once/);
    expectRefused(
      await api.client.request('{ eligibleInfluencers(first: 100) { edges { node { id score country } } } }', {}, { token: brand }),
    );
    // Pages that fit one by one add up.
    expectServed(await api.client.request('{ eligibleInfluencers(first: 70) { edges { node { id score } } } }', {}, { token: brand }));
    const aliased = await api.client.request(
      '{ a: eligibleInfluencers(first: 70) { edges { node { id score } } } b: eligibleInfluencers(first: 70) { edges { node { id score } } } }',
      {},
      { token: brand },
    );
    expectRefused(aliased);
    // Checked before authorization: an anonymous caller cannot learn anything cheaper.
    expectRefused(await api.client.request(CONNECTION, { first: 100 }));
  });

  it('prices a fragment once however often it is spread, and refuses the blow-up quickly', async () => {
    // F15 spreads F14 three times, and so on down: 3^15 (14 million) spreads in 200 tokens.
    const fragments = Array.from({ length: 15 }, (_, i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} ...F${i} }`);
    const started = Date.now();
    const response = await api.client.request(`{ ...F15 } fragment F0 on Query { topics { slug } } ${fragments.join(' ')}`);
    expect(Date.now() - started).toBeLessThan(1_500);
    expectRefused(response);
    expect(response.errors![0].message).toMatch(/too much at once/);
  });
});

describe('in production', () => {
  let production: TestApi;
  let development: TestApi;
  beforeAll(async () => {
    // JWT_SECRET and ADMIN_PASSWORD come from the test run's environment, as production requires.
    [production, development] = await Promise.all([startTestApi({ NODE_ENV: 'production' }), startTestApi()]);
  });
  afterAll(() => Promise.all([production?.stop(), development?.stop()]));

  it('masks field and value suggestions (shown outside production)', async () => {
    const typo = '{ topicz { slug } }';
    expect((await development.client.request(typo)).errors![0].message).toMatch(/Did you mean "topics"\?/);
    const masked = await production.client.request(typo);
    expect(masked.status).toBe(400);
    expect(masked.errors![0].message).toBe('Cannot query field "topicz" on type "Query".');

    const enumTypo = 'query ($status: CampaignStatus) { campaigns(status: $status) { totalCount } }';
    expect((await development.client.request(enumTypo, { status: 'ACTIV' })).errors![0].message).toMatch(/Did you mean/);
    const enumMasked = await production.client.request(enumTypo, { status: 'ACTIV' });
    expect(enumMasked.errors![0].message).toMatch(/ACTIV/);
    expect(enumMasked.raw).not.toMatch(/Did you mean|ACTIVE/);
  });

  it('refuses introspection (allowed outside production), but answers __typename', async () => {
    for (const query of ['{ __schema { types { name } } }', '{ __type(name: "Query") { fields { name } } }']) {
      expect((await development.client.request(query)).errors).toBeUndefined();
      const refused = await production.client.request(query);
      expect(refused).toMatchObject({ status: 400, data: undefined });
      expect(refused.errors![0].extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(refused.raw).not.toMatch(/"types"|"fields"/);
    }
    expect(await production.client.ok('{ __typename }')).toEqual({ __typename: 'Query' });
  });
});

describe('rate limits', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({
      // Counters of their own: other suites log in from the same address at the same time.
      BULLMQ_PREFIX: `${process.env.BULLMQ_PREFIX}-limits`,
      RATE_LIMIT_LOGIN_EMAIL: '3/3s',
      RATE_LIMIT_LOGIN_IP: '8/3s',
      RATE_LIMIT_CLAIM: '3/3s',
      RATE_LIMIT_INGEST: '3/3s',
    });
  });
  afterAll(() => api?.stop());

  const expectLimited = (response: GraphQLResponse) => {
    expect(response.status).toBe(429);
    const [error] = response.errors!;
    expect(error.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    const seconds: number = error.extensions!.retryAfterSeconds;
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(3);
    expect(error.message).toMatch(new RegExp(`try again in ${seconds} seconds?$`));
    expect(response.headers.get('retry-after')).toBe(String(seconds));
    return seconds;
  };
  const code = (response: GraphQLResponse) => response.errors?.[0]?.extensions?.code;

  it('limits log-ins per email, lets the owner in after the window, and forgets failures on success', async () => {
    const person = await signUp(api.client, 'INFLUENCER');
    const attempt = (password: string) => api.client.request(LOG_IN, { input: { email: person.email.toUpperCase(), password } });
    for (let i = 0; i < 3; i++) expect((await attempt('wrong password')).data?.logIn.__typename).toBe('InvalidCredentialsError');
    const wait = expectLimited(await attempt('wrong password'));
    // The right password too: otherwise guessing would go on, only slower to be told.
    expectLimited(await attempt('correct horse battery'));
    await sleep(wait * 1000 + 100);
    expect((await attempt('correct horse battery')).data?.logIn.__typename).toBe('AuthPayload');
    for (let i = 0; i < 3; i++) expect((await attempt('wrong password')).data?.logIn.__typename).toBe('InvalidCredentialsError');
  });

  it('limits log-ins per client address across emails', async () => {
    await sleep(3_100); // the previous test's window
    const attempts = await Promise.all(
      Array.from({ length: 20 }, () => api.client.request(LOG_IN, { input: { email: `${randomUUID()}@test.perks`, password: 'x' } })),
    );
    const limited = attempts.filter((r) => code(r) === 'RATE_LIMITED');
    expect(limited.length).toBeGreaterThanOrEqual(4);
    const wait = Math.max(...limited.map(expectLimited));
    await sleep(wait * 1000 + 100);
    expect((await api.client.request(LOG_IN, { input: { email: 'a@test.perks', password: 'x' } })).data?.logIn.__typename).toBe(
      'InvalidCredentialsError',
    );
  });

  it('limits claims per influencer, one influencer not spending another one', async () => {
    const [one, two] = await Promise.all([signUp(api.client, 'INFLUENCER'), signUp(api.client, 'INFLUENCER')]);
    const claim = (token: string) =>
      api.client.request('mutation ($id: ID!) { claimOffer(offerId: $id) { __typename } }', { id: randomUUID() }, { token });
    for (let i = 0; i < 3; i++) expect(code(await claim(one.token))).toBe('NOT_FOUND');
    const wait = expectLimited(await claim(one.token));
    expect(code(await claim(two.token))).toBe('NOT_FOUND');
    await sleep(wait * 1000 + 100);
    expect(code(await claim(one.token))).toBe('NOT_FOUND');
  });

  it('limits ingestion per API key', async () => {
    const admin = await logInAdmin(api.client);
    const createKey = async () =>
      (
        await api.client.ok(
          'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { ... on CreatedApiKey { key } } }',
          { input: { name: `connector ${randomUUID()}`, scopes: ['INGEST'] } },
          { token: admin },
        )
      ).createApiKey.key as string;
    const [first, second] = [await createKey(), await createKey()];
    const ingest = (apiKey: string) =>
      api.client.request('mutation { ingestActivity(input: {}) { __typename ... on IngestReport { accepted } } }', {}, { apiKey });
    for (let i = 0; i < 3; i++) expect((await ingest(first)).data?.ingestActivity).toEqual({ __typename: 'IngestReport', accepted: 0 });
    const wait = expectLimited(await ingest(first));
    expect((await ingest(second)).data?.ingestActivity.__typename).toBe('IngestReport');
    await sleep(wait * 1000 + 100);
    expect((await ingest(first)).data?.ingestActivity.__typename).toBe('IngestReport');
  });
});

describe('rate limit configuration', () => {
  it('reads N per window with a unit, or off, and says what to fix otherwise', () => {
    const env = loadEnv({ ...process.env, RATE_LIMIT_LOGIN_EMAIL: '5/2h', RATE_LIMIT_CLAIM: 'off', RATE_LIMIT_INGEST: '7/30' });
    expect(env.RATE_LIMIT_LOGIN_EMAIL).toEqual({ limit: 5, windowSeconds: 7200 });
    expect(env.RATE_LIMIT_CLAIM).toBeNull();
    expect(env.RATE_LIMIT_INGEST).toEqual({ limit: 7, windowSeconds: 30 });
    expect(() => loadEnv({ ...process.env, RATE_LIMIT_LOGIN_IP: 'lots', RATE_LIMIT_CLAIM: '0/1m' })).toThrow(
      /RATE_LIMIT_LOGIN_IP must look like 10\/15m[\s\S]*RATE_LIMIT_CLAIM must look like 10\/15m/,
    );
  });
});

describe('the rate limiter without Redis', () => {
  const limit = { limit: 1, windowSeconds: 60 };
  const hits = [{ rule: 'test', subject: randomUUID(), limit }];

  it('lets calls through at once when Redis refuses connections', async () => {
    const limiter = new RateLimiter(new IORedis('redis://127.0.0.1:1', { lazyConnect: true }), 'test', logger());
    try {
      const started = Date.now();
      for (let i = 0; i < 5; i++) expect(await limiter.hit(hits)).toEqual({ allowed: true });
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      limiter.close();
    }
  });

  it('lets calls through after its timeout when Redis accepts connections but never answers', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    // Without the ready check the connection counts as up once TCP connects: commands are sent and go unanswered.
    const limiter = new RateLimiter(new IORedis(port, '127.0.0.1', { lazyConnect: true, enableReadyCheck: false }), 'test', logger(), 200);
    try {
      await limiter.ready(1_000);
      const started = Date.now();
      expect(await limiter.hit(hits)).toEqual({ allowed: true });
      expect(await limiter.hit(hits)).toEqual({ allowed: true });
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(300);
      expect(elapsed).toBeLessThan(1_500);
    } finally {
      limiter.close();
      silent.close();
    }
  });
});
