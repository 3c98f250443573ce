import { SignJWT } from 'jose';
import { signAccessToken, verifyAccessToken, type TokenSettings } from '../../src/modules/accounts/tokens';

const settings: TokenSettings = {
  secret: 'unit-test-secret-unit-test-secret-0123',
  issuer: 'perks-api',
  audience: 'perks-clients',
  ttlSeconds: 3600,
};
const userId = '3f1c2d7e-8a4b-4c1d-9e2f-0a1b2c3d4e5f';
const key = new TextEncoder().encode(settings.secret);

function token(alg: string, claims: { iss?: string; aud?: string; exp?: number; sub?: string } = {}, secret = key): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg })
    .setSubject(claims.sub ?? userId)
    .setIssuer(claims.iss ?? settings.issuer)
    .setAudience(claims.aud ?? settings.audience)
    .setIssuedAt(now)
    .setExpirationTime(claims.exp ?? now + 600)
    .sign(secret);
}

describe('access tokens', () => {
  it('round-trips the user id and expiry', async () => {
    const now = new Date();
    const { token: t, expiresAt } = await signAccessToken(userId, settings, now);
    expect(expiresAt.getTime()).toBe(Math.floor(now.getTime() / 1000) * 1000 + 3600_000);
    expect(await verifyAccessToken(t, settings)).toEqual({ userId, expiresAt });
  });

  it('says "expired" for an expired token', async () => {
    const { token: t } = await signAccessToken(userId, settings, new Date(Date.now() - 2 * 3600_000));
    expect(await verifyAccessToken(t, settings)).toBe('expired');
  });

  it.each([
    ['a wrong issuer', () => token('HS256', { iss: 'someone-else' })],
    ['a wrong audience', () => token('HS256', { aud: 'other-app' })],
    ['another secret', () => token('HS256', {}, new TextEncoder().encode('another-secret-another-secret-0123'))],
    ['another HMAC algorithm', () => token('HS512')],
    ['alg none', async () => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${(await token('HS256')).split('.')[1]}.`],
    [
      'a tampered payload',
      async () => {
        const [h, p, s] = (await token('HS256')).split('.');
        const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
        return [h, Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url'), s].join('.');
      },
    ],
    ['garbage', async () => 'not.a.token'],
  ])('refuses %s', async (_label, make) => {
    expect(await verifyAccessToken(await make(), settings)).toBe('invalid');
  });
});
