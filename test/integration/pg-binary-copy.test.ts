import type { DataSource } from 'typeorm';
import { createDataSource } from '../../ormconfig';
import { withPgClient } from '../../src/core/database';
import {
  copyIn,
  copyOut,
  isNull,
  readBool,
  readBytes,
  readFloat4,
  readFloat8,
  readInt16,
  readInt32,
  readInt64,
  readIntArray,
  readTimestampMs,
} from '../../src/core/pg-binary-copy';

describe('binary COPY in and out (real Postgres)', () => {
  let dataSource: DataSource;
  beforeAll(async () => {
    dataSource = await createDataSource(process.env.DATABASE_URL!, 2).initialize();
  });
  afterAll(() => dataSource.destroy());

  it('round-trips every supported type, NULLs and many rows across chunk boundaries', async () => {
    const rows = Array.from({ length: 50_000 }, (_, i) => ({
      a: (i % 60_000) - 30_000,
      b: i * 7919 - 2_000_000,
      c: 2 ** 40 + i,
      d: i / 3,
      e: i * 1.5,
      f: i % 2 === 0,
      g: Date.UTC(2026, 10, 25, 12, 0, 0) - i * 1000,
      h: Buffer.from([i & 255, (i >> 8) & 255, 7]),
      k: i % 5 === 0 ? [] : [i % 100, (i % 100) + 1],
      n: i % 3 === 0 ? null : i,
    }));
    const read = await withPgClient(dataSource, async (client) => {
      await client.query('BEGIN');
      await client.query(
        `CREATE TEMP TABLE copy_roundtrip (a int2, b int4, c int8, d float4, e float8, f bool, g timestamptz, h bytea, k int2[], n int4) ON COMMIT DROP`,
      );
      await copyIn(client, 'copy_roundtrip', function* (w) {
        for (const r of rows) {
          w.row(10, 128).int16(r.a).int32(r.b).int64(r.c).float4(r.d).float8(r.e).bool(r.f).timestampMs(r.g).bytes(r.h).int16Array(r.k);
          if (r.n === null) w.null();
          else w.int32(r.n);
          yield;
        }
      });
      const out: unknown[] = [];
      const count = await copyOut(client, 'SELECT a, b, c, d, e, f, g, h, k, n FROM copy_roundtrip', (row) => {
        out.push({
          a: readInt16(row, 0),
          b: readInt32(row, 1),
          c: readInt64(row, 2),
          d: readFloat4(row, 3),
          e: readFloat8(row, 4),
          f: readBool(row, 5),
          g: readTimestampMs(row, 6),
          h: readBytes(row, 7),
          k: readIntArray(row, 8),
          n: isNull(row, 9) ? null : readInt32(row, 9),
        });
      });
      await client.query('COMMIT');
      expect(count).toBe(rows.length);
      return out;
    });
    // Compared as JSON lines: jest's deep equality is slow on 50,000 objects.
    const expected = rows.map((r) => JSON.stringify({ ...r, d: Math.fround(r.d) }));
    expect(read.map((r) => JSON.stringify(r))).toEqual(expected);
  });
});
