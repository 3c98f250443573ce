import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';

/** Access tokens: HS256 JWTs with a pinned algorithm, expiry, issuer and audience. */
export interface TokenSettings {
  secret: string;
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

const ALGORITHM = 'HS256';

export interface TokenClaims {
  userId: string;
  expiresAt: Date;
}

export async function signAccessToken(
  userId: string,
  settings: TokenSettings,
  now = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAt = issuedAt + settings.ttlSeconds;
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(new TextEncoder().encode(settings.secret));
  return { token, expiresAt: new Date(expiresAt * 1000) };
}

export type TokenFailure = 'expired' | 'invalid';

/** The token's claims, or why it was refused. Never throws for a bad token. */
export async function verifyAccessToken(token: string, settings: TokenSettings): Promise<TokenClaims | TokenFailure> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(settings.secret), {
      algorithms: [ALGORITHM],
      issuer: settings.issuer,
      audience: settings.audience,
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number') return 'invalid';
    return { userId: payload.sub, expiresAt: new Date(payload.exp * 1000) };
  } catch (error) {
    return error instanceof joseErrors.JWTExpired ? 'expired' : 'invalid';
  }
}
