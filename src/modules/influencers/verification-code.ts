import { randomBytes } from 'node:crypto';

/** RFC 4648 base32, lower case: no 0/1/8/9, so a code survives being read aloud or retyped. */
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const LENGTH = 10;
const PREFIX = 'perks-';

/**
 * A one-time code an influencer puts in an account's bio to prove they own it: "perks-" and 10
 * random base32 characters (50 bits: unguessable, and short enough for any bio). The database
 * holds the same shape (a CHECK).
 */
export function newVerificationCode(): string {
  const bytes = randomBytes(LENGTH);
  let code = PREFIX;
  for (let i = 0; i < LENGTH; i++) code += BASE32[bytes[i] & 31];
  return code;
}

const IN_TEXT = /perks-[a-z2-7]{10}(?![a-z2-7])/gi;
/** More codes than this in one bio are ignored: a bio is not a way to try codes in bulk. */
const MAX_CODES_PER_BIO = 3;

/** The verification codes a bio holds, lower case (connectors may change the case). */
export function codesInBio(bio: string): string[] {
  const found = new Set<string>();
  for (const match of bio.matchAll(IN_TEXT)) {
    found.add(match[0].toLowerCase());
    if (found.size === MAX_CODES_PER_BIO) break;
  }
  return [...found];
}
