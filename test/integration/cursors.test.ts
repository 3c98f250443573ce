import fc from 'fast-check';
import { GraphQLError } from 'graphql';
import { Client } from 'pg';
import { decodeCursor, encodeCursor, type CursorValueKind } from '../../src/core/connection';
import { forgedCursor } from '../helpers/hostile';

const NOT_A_CURSOR = 'after is not a cursor this list gave out';
const KINDS: CursorValueKind[] = ['timestamp', 'date', 'uuid', 'int', 'bigint', 'real'];
/** The SQL type each kind goes into, as the lists use them. */
const CAST: Record<CursorValueKind, string> = {
  timestamp: 'timestamptz',
  date: 'date',
  uuid: 'uuid',
  int: 'int',
  bigint: 'int8',
  real: 'float4',
};

/** Values of each kind as the lists give them out (from Postgres rows). */
const realValue: Record<CursorValueKind, fc.Arbitrary<string | number>> = {
  timestamp: fc
    .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  date: fc
    .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  uuid: fc.uuid(),
  int: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  // A bigint identity as pg hands it out: decimal text, never negative.
  bigint: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }).map(String),
  real: fc.float({ noNaN: true, noDefaultInfinity: true }).map((v) => (Object.is(v, -0) ? 0 : v)),
};
const shapes = fc.array(fc.constantFrom(...KINDS), { minLength: 1, maxLength: 3 });

describe('typed cursors (decoded values against real Postgres)', () => {
  let pg: Client;
  beforeAll(async () => {
    pg = new Client({ connectionString: process.env.DATABASE_URL });
    await pg.connect();
  });
  afterAll(() => pg?.end());

  /** Postgres takes every value into the column type its kind names, or the test fails. */
  const intoPostgres = async (values: unknown[], shape: readonly CursorValueKind[]) => {
    await pg.query(`SELECT ${shape.map((k, i) => `$${i + 1}::${CAST[k]}`).join(', ')}`, values);
  };
  const refusal = (cursor: string, shape: readonly CursorValueKind[]): unknown => {
    try {
      decodeCursor(cursor, shape);
      return null;
    } catch (error) {
      return error;
    }
  };

  it('decodes every cursor a list gives out back to its values, which Postgres takes', async () => {
    await fc.assert(
      fc.asyncProperty(
        shapes.chain((shape) => fc.tuple(fc.constant(shape), fc.tuple(...shape.map((k) => realValue[k])))),
        async ([shape, values]) => {
          const decoded = decodeCursor(encodeCursor(values), shape);
          expect(decoded).toEqual(values);
          await intoPostgres(decoded, shape);
        },
      ),
      { numRuns: 300, seed: 12 },
    );
  });

  it('refuses a forged cursor as BAD_USER_INPUT, or decodes it into values Postgres takes', async () => {
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(forgedCursor, shapes, async (cursor, shape) => {
        const error = refusal(cursor, shape);
        if (error === null) return intoPostgres(decodeCursor(cursor, shape), shape);
        refused++;
        expect(error).toBeInstanceOf(GraphQLError);
        expect((error as GraphQLError).message).toBe(NOT_A_CURSOR);
        expect((error as GraphQLError).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
      }),
      { numRuns: 500, seed: 12 },
    );
    expect(refused).toBeGreaterThan(400);
  });

  it('refuses values Postgres would refuse, or that are not what the list wrote', () => {
    const id = '7c9e6679-7425-40de-944b-e07fc1b99a7b';
    const forged: Array<[unknown[], CursorValueKind[]]> = [
      [
        ['2024-02-30T00:00:00.000Z', id],
        ['timestamp', 'uuid'],
      ],
      [
        ['2024-01-01T24:00:00.000Z', id],
        ['timestamp', 'uuid'],
      ],
      [
        ['0000-01-01T00:00:00.000Z', id],
        ['timestamp', 'uuid'],
      ],
      [
        ['2024-01-01T00:00:00Z', id],
        ['timestamp', 'uuid'],
      ],
      [
        ['1', id],
        ['timestamp', 'uuid'],
      ],
      [
        ['2024-02-30', 1],
        ['date', 'int'],
      ],
      [
        ['0000-01-01', 1],
        ['date', 'int'],
      ],
      [
        ['2024-01-01', 1.5],
        ['date', 'int'],
      ],
      [
        ['2024-01-01', 2 ** 31],
        ['date', 'int'],
      ],
      [['9223372036854775808'], ['bigint']],
      [['01'], ['bigint']],
      [['-1'], ['bigint']],
      [[1], ['bigint']],
      [['1e3'], ['bigint']],
      [
        [1e-46, id],
        ['real', 'uuid'],
      ],
      [
        [3.5e38, id],
        ['real', 'uuid'],
      ],
      [
        [50, 'not-a-uuid'],
        ['int', 'uuid'],
      ],
      [
        [50, id, 1],
        ['int', 'uuid'],
      ],
      [
        [[50], id],
        ['int', 'uuid'],
      ],
      [
        [{ 0: 50 }, id],
        ['int', 'uuid'],
      ],
      [
        ['50', id],
        ['int', 'uuid'],
      ],
    ];
    for (const [values, shape] of forged) {
      expect([values, (refusal(encodeCursor(values as Array<string | number>), shape) as Error)?.message]).toEqual([values, NOT_A_CURSOR]);
    }
    expect(refusal(`${encodeCursor([50, id])}=`, ['int', 'uuid'])).not.toBeNull();
    expect(refusal(Buffer.from(`[50, "${id}"]`).toString('base64url'), ['int', 'uuid'])).not.toBeNull();
    expect(decodeCursor(encodeCursor([50, id]), ['int', 'uuid'])).toEqual([50, id]);
  });
});
