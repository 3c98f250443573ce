import { createSecretKey, type KeyObject } from 'node:crypto';
import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';

/** Access tokens: HS256 JWTs with a pinned algorithm, expiry, issuer and audience. */
export interface TokenSettings {
  secret: string;
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

const ALGORITHM = 'HS256';

// Each secret as a key object, made once: given the secret's bytes, jose would make one on every call.
const keys = new Map<string, KeyObject>();
function keyOf(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = createSecretKey(Buffer.from(secret, 'utf8'))));
  return key;
}

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
    .sign(keyOf(settings.secret));
  return { token, expiresAt: new Date(expiresAt * 1000) };
}

export type TokenFailure = 'expired' | 'invalid';

/** The token's claims, or why it was refused. Never throws for a bad token. */
export async function verifyAccessToken(token: string, settings: TokenSettings): Promise<TokenClaims | TokenFailure> {
  try {
    const { payload } = await jwtVerify(token, keyOf(settings.secret), {
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
