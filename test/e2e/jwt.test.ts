import { generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { startTestApi, type TestApi } from '../helpers/api';
import { signUp, type SignedUp } from '../helpers/graphql';

const ME = '{ me { id } }';
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Every way of forging or stretching an access token is refused over HTTP with 401 and
 * UNAUTHENTICATED, for a user who exists: only the token is wrong.
 */
describe('JWT vectors', () => {
  let api: TestApi;
  let person: SignedUp;
  let other: SignedUp;
  let secret: Uint8Array;
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    api = await startTestApi();
    [person, other] = await Promise.all([signUp(api.client, 'INFLUENCER'), signUp(api.client, 'BRAND')]);
    secret = new TextEncoder().encode(api.env.JWT_SECRET);
  });
  afterAll(() => api?.stop());

  /** What our own tokens hold, with `changes` applied (undefined drops a claim). */
  const claims = (changes: JWTPayload = {}): JWTPayload => {
    const base: JWTPayload = { sub: person.userId, iss: api.env.JWT_ISSUER, aud: api.env.JWT_AUDIENCE, iat: now(), exp: now() + 3600 };
    const merged: JWTPayload = { ...base, ...changes };
    for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
    return merged;
  };
  const sign = (payload: JWTPayload, alg = 'HS256', key: Parameters<SignJWT['sign']>[0] = secret) =>
    new SignJWT(payload).setProtectedHeader({ alg, typ: 'JWT' }).sign(key);
  const me = (token: string) => api.client.request(ME, {}, { token });

  const expectRefused = async (token: string, message = /not valid/) => {
    const response = await me(token);
    expect(response.status).toBe(401);
    expect(response.data).toBeUndefined();
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    expect(response.errors![0].message).toMatch(message);
  };

  it('accepts a token built like ours (the vectors below differ in one thing only)', async () => {
    expect(await api.client.ok(ME, {}, { token: await sign(claims()) })).toEqual({ me: { id: person.userId } });
    expect(await api.client.ok(ME, {}, { token: person.token })).toEqual({ me: { id: person.userId } });
  });

  it('refuses alg "none", in any spelling, with or without a signature', async () => {
    for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
      const unsigned = `${b64({ alg, typ: 'JWT' })}.${b64(claims())}`;
      await expectRefused(`${unsigned}.`);
      await expectRefused(`${unsigned}.${person.token.split('.')[2]}`);
    }
  });

  it('refuses other algorithms: HS512 and HS384 with our secret, RS256 and ES256 with their own keys', async () => {
    await expectRefused(await sign(claims(), 'HS512'));
    await expectRefused(await sign(claims(), 'HS384'));
    const rsa = await generateKeyPair('RS256');
    await expectRefused(await sign(claims(), 'RS256', rsa.privateKey));
    const ec = await generateKeyPair('ES256');
    await expectRefused(await sign(claims(), 'ES256', ec.privateKey));
  });

  it('refuses a token signed with another secret', async () => {
    await expectRefused(await sign(claims(), 'HS256', new TextEncoder().encode(`${api.env.JWT_SECRET}-but-not-quite`)));
  });

  it('refuses an expired token, saying so, and one not valid yet', async () => {
    await expectRefused(await sign(claims({ iat: now() - 7200, exp: now() - 3600 })), /expired/);
    await expectRefused(await sign(claims({ nbf: now() + 3600 })));
  });

  it('refuses a wrong issuer or audience, or none', async () => {
    await expectRefused(await sign(claims({ iss: 'someone-else' })));
    await expectRefused(await sign(claims({ aud: 'other-clients' })));
    await expectRefused(await sign(claims({ aud: [`${api.env.JWT_AUDIENCE}-x`] })));
    await expectRefused(await sign(claims({ iss: undefined })));
    await expectRefused(await sign(claims({ aud: undefined })));
  });

  it('refuses a tampered payload: another user, a later expiry, and a tampered header', async () => {
    const [header, , signature] = person.token.split('.');
    await expectRefused(`${header}.${b64(claims({ sub: other.userId }))}.${signature}`);
    await expectRefused(`${header}.${b64(claims({ exp: now() + 365 * 86_400 }))}.${signature}`);
    const [, payload] = person.token.split('.');
    await expectRefused(`${b64({ alg: 'HS256', typ: 'JWT', kid: '../../etc/passwd' })}.${payload}.${signature}`);
  });

  it('refuses a tampered or missing signature', async () => {
    const [header, payload, signature] = person.token.split('.');
    const flipped = (signature[5] === 'A' ? 'B' : 'A') + '';
    await expectRefused(`${header}.${payload}.${signature.slice(0, 5)}${flipped}${signature.slice(6)}`);
    await expectRefused(`${header}.${payload}.${signature.slice(0, -4)}`);
    await expectRefused(`${header}.${payload}.`);
    await expectRefused(`${header}.${payload}`);
  });

  it('refuses tokens without exp, sub or iat, and one whose subject does not exist', async () => {
    await expectRefused(await sign(claims({ exp: undefined })));
    await expectRefused(await sign(claims({ sub: undefined })));
    await expectRefused(await sign(claims({ iat: undefined })));
    await expectRefused(await sign(claims({ sub: '00000000-0000-4000-8000-000000000000' })));
    await expectRefused(await sign(claims({ sub: "' OR 1=1 --" })));
  });

  it('refuses tokens that are not JWTs at all', async () => {
    for (const token of ['x', 'a.b.c', '...', 'eyJ.eyJ.eyJ', `${'A'.repeat(5000)}.${'B'.repeat(5000)}.C`]) await expectRefused(token);
  });
});
