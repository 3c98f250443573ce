import fc from 'fast-check';

/** Strings an attacker or a broken client sends: each one has made some system fail. */
export const HOSTILE_STRINGS = [
  '\u0000',
  'a\u0000b',
  'name@example.com\u0000',
  '\u0007\u0008\u001b[31m',
  '\r',
  '\u0085',
  '\u007f',
  '\ud800',
  'x\udfffy',
  '\udbff\ud800',
  '\u200b',
  'a\u200db',
  'adm\u202Enimda',
  '\u2066rtl\u2069',
  '\ufeff',
  '\u00ad',
  '\u3164',
  "' OR 1=1 --",
  "'; DROP TABLE users; --",
  '1; SELECT pg_sleep(10)',
  '$1',
  '\\',
  '"',
  '{"$gt": ""}',
  '{"__proto__": {"role": "ADMIN"}}',
  '[1, [2, {"a": null}]]',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-1',
  '1e309',
  '%00',
  '../../etc/passwd',
  '🦄',
  '👩‍👩‍👧‍👦',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  'é',
  '',
  ' ',
  '\n',
  '\t',
  '\r\n',
];

/** Hostile strings alone, mixed into ordinary text, random, and long (the body limit is 8 MB). */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.string({ maxLength: 12 }), fc.constantFrom(...HOSTILE_STRINGS), fc.string({ maxLength: 12 }))
      .map(([a, b, c]) => a + b + c),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(1_000, 20_000, 300_000), fc.constantFrom('x', 'é', '🦄', "'", '\u0000'))
      .map(([n, unit]) => unit.repeat(n)),
  },
);

const UUID_LIKE = fc.constantFrom(
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '00000000-0000-0000-0000-00000000000',
  '00000000-0000-0000-0000-0000000000000',
  'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
  "00000000-0000-0000-0000-000000000000' OR '1'='1",
);

/** A value a forged cursor may hold in place of a real one. */
const forgedValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    'NaN',
    'Infinity',
    '-Infinity',
    '1e309',
    '',
    '0',
    '2024-02-30T00:00:00.000Z',
    '2024-13-01T00:00:00.000Z',
    '2024-01-01T24:00:00.000Z',
    '0000-01-01T00:00:00.000Z',
    '+275760-09-13T00:00:00.000Z',
    '2024-01-01',
    '2024-02-30',
    '0000-01-01',
    '99999-01-01',
    'yesterday',
    'epoch',
    'infinity',
    '1',
    'not a date',
  ),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.uuid(),
  UUID_LIKE,
  hostileString.filter((s) => s.length < 200),
  fc.integer(),
  fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 53, -0, 0.5, 1e-50, 1e-46, 3.5e38, 1e308, -1e308, Number.MAX_VALUE, Number.MIN_VALUE),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  fc.jsonValue({ maxDepth: 3 }),
);

const base64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/**
 * Cursors no list gave out: well-formed base64url JSON of the wrong shape, types or range, and
 * texts that are not base64url JSON at all. Some happen to be valid (a real score and a random
 * uuid, say): a list must then answer a page.
 */
export const forgedCursor: fc.Arbitrary<string> = fc.oneof(
  // The shapes of real cursors, with values of any type.
  { weight: 6, arbitrary: fc.tuple(forgedValue, forgedValue).map(base64url) },
  { weight: 2, arbitrary: fc.tuple(forgedValue, fc.uuid()).map(base64url) },
  { weight: 2, arbitrary: fc.array(forgedValue, { maxLength: 6 }).map(base64url) },
  // Huge arrays, deep nesting, other JSON.
  {
    weight: 1,
    arbitrary: fc.constantFrom(10_000, 100_000).map((n) => base64url(Array.from({ length: n }, (_, i) => i))),
  },
  { weight: 1, arbitrary: fc.integer({ min: 10, max: 3_000 }).map((depth) => base64url(`${'['.repeat(depth)}${']'.repeat(depth)}`)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map(base64url) },
  // The JSON of a real cursor written another way (spaces, padding, a number as 1.0).
  { weight: 1, arbitrary: fc.uuid().map((id) => base64url(`[ 50, "${id}" ]`)) },
  { weight: 1, arbitrary: fc.uuid().map((id) => `${base64url([50, id])}=`) },
  { weight: 1, arbitrary: fc.uuid().map((id) => base64url(`[50.0,"${id}"]`)) },
  // Not base64url JSON.
  { weight: 1, arbitrary: hostileString.filter((s) => s.length < 2_000) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }).map((s) => Buffer.from(s).toString('base64')) },
);
