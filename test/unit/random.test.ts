import { randomBytesPooled } from '../../src/core/random';
import { redemptionCode } from '../../src/modules/claims/claims.service';

describe('randomBytesPooled', () => {
  it('hands out each byte once, across refills of its pool: no two codes alike over many pools', () => {
    // 16 bytes each, 4 KB a pool: 2,000 draws cross about eight refills.
    const draws = Array.from({ length: 2_000 }, () => randomBytesPooled(16).toString('hex'));
    expect(new Set(draws).size).toBe(draws.length);
    expect(draws.every((d) => d.length === 32)).toBe(true);
  });

  it('returns a copy: changing it does not change a later draw', () => {
    const first = randomBytesPooled(8);
    first.fill(0);
    expect(randomBytesPooled(8).equals(Buffer.alloc(8))).toBe(false);
  });

  it('refuses draws larger than it serves', () => {
    expect(() => randomBytesPooled(257)).toThrow(RangeError);
  });
});

describe('redemptionCode', () => {
  it('is 26 characters of the Crockford alphabet in groups of four, different every time', () => {
    const codes = Array.from({ length: 1_000 }, redemptionCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes.slice(0, 20)) expect(code).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){6}[0-9A-HJKMNP-TV-Z]{2}$/);
  });
});
