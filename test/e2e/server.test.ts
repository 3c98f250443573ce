import { startTestApi, type TestApi } from '../helpers/api';
import { SIGN_UP, uniqueEmail } from '../helpers/graphql';

const LEAKS = /stack|\.ts:|\.js:|node_modules|SELECT|INSERT|QueryFailedError|TypeORM|EntityManager|Repository/i;

describe('HTTP server', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ BODY_LIMIT: '2kb' });
  });
  afterAll(() => api.stop());

  it('answers /healthz and /readyz while Postgres and Redis answer', async () => {
    const health = await fetch(`${api.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${api.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', postgres: true, redis: true });
  });

  it('echoes a sane X-Request-Id and makes one up otherwise', async () => {
    const given = await fetch(`${api.url}/healthz`, { headers: { 'x-request-id': 'client-chosen-id-1' } });
    expect(given.headers.get('x-request-id')).toBe('client-chosen-id-1');
    const made = await fetch(`${api.url}/healthz`, { headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers malformed JSON and oversized bodies in GraphQL error shape, without internals', async () => {
    const malformed = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(malformed.status).toBe(400);
    const malformedBody = await malformed.text();
    expect(JSON.parse(malformedBody)).toEqual({
      errors: [{ message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }],
    });

    const large = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ topics { slug } } # ${'x'.repeat(4096)}` }),
    });
    expect(large.status).toBe(413);
    expect(await large.json()).toEqual({
      errors: [{ message: 'The request body is too large', extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
    });
  });

  it('answers a subscription and an unsupported persisted query as bad requests, not internal errors', async () => {
    const post = (body: object) =>
      fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const subscription = await post({ query: 'subscription { notificationAdded { id } }' });
    expect(subscription.status).toBe(400);
    expect(((await subscription.json()) as { errors: unknown[] }).errors[0]).toMatchObject({
      message: 'Subscriptions are served over WebSocket (graphql-ws) on /graphql, not over HTTP',
      extensions: { code: 'BAD_REQUEST' },
    });
    const persisted = await post({ query: '{ __typename }', extensions: { persistedQuery: { version: 2, sha256Hash: 'abc' } } });
    expect(persisted.status).toBe(400);
    expect(((await persisted.json()) as { errors: unknown[] }).errors[0]).toEqual({
      message: 'Unsupported persisted query version',
      extensions: { code: 'BAD_REQUEST' },
    });
  });

  it('reports syntax errors and unknown fields as client errors', async () => {
    const syntax = await api.client.request('{ topics { slug }');
    expect(syntax.status).toBe(400);
    expect(syntax.errors![0].extensions!.code).toBe('GRAPHQL_PARSE_FAILED');
    const unknown = await api.client.request('{ secrets }');
    expect(unknown.status).toBe(400);
    expect(unknown.errors![0].extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(syntax.raw + unknown.raw).not.toMatch(LEAKS);
  });
});

describe('when the database is gone', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
    await api.dataSource.destroy();
  });
  afterAll(() => api.stop());

  it('masks the failure: no stack, SQL or ORM text reaches the client', async () => {
    const response = await api.client.request(SIGN_UP, {
      input: { email: uniqueEmail('x'), password: 'correct horse battery', role: 'BRAND', name: 'X' },
    });
    expect(response.errors).toEqual([
      { message: 'Internal server error', path: ['signUp'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    ]);
    expect(response.raw).not.toMatch(LEAKS);
    const topics = await api.client.request('{ topics { slug } }');
    expect(topics.errors![0].message).toBe('Internal server error');
  });

  it('reports not ready', async () => {
    const ready = await fetch(`${api.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable', postgres: false, redis: true });
  });
});
