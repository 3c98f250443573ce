import { createHash, randomBytes } from 'node:crypto';

/**
 * API keys look like `pk_<prefix>_<secret>`: the 12-character prefix is stored in clear to find
 * the row, the whole key only as a SHA-256 hash.
 */
const PATTERN = /^pk_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export interface GeneratedApiKey {
  key: string;
  prefix: string;
  hash: Buffer;
}

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

export function generateApiKey(): GeneratedApiKey {
  const prefix = randomBytes(9)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')
    .slice(0, 12);
  const key = `pk_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

/** The prefix of a well-formed key, or null for anything that cannot be a key of ours. */
export function apiKeyPrefix(key: string): string | null {
  return PATTERN.exec(key)?.[1] ?? null;
}
