import { EventEmitter } from 'node:events';
import type { ClientBase } from 'pg';
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
  onSideConnections,
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
      await copyIn(client, 'copy_roundtrip', ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'k', 'n'], function* (w) {
        for (const r of rows) {
          w.row(128).int16(r.a).int32(r.b).int64(r.c).float4(r.d).float8(r.e).bool(r.f).timestampMs(r.g).bytes(r.h).int16Array(r.k);
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

describe('binary COPY out: the protocol, however the socket cuts it', () => {
  const message = (type: string, payload: Buffer) => {
    const head = Buffer.alloc(5);
    head.write(type, 0, 'latin1');
    head.writeInt32BE(payload.length + 4, 1);
    return Buffer.concat([head, payload]);
  };
  const int16 = (v: number) => Buffer.from([(v >> 8) & 255, v & 255]);
  const int32 = (v: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    return b;
  };
  /** A row of (int4, bytea or NULL). */
  const row = (n: number, bytes: Buffer | null) =>
    Buffer.concat([int16(2), int32(4), int32(n), bytes ? Buffer.concat([int32(bytes.length), bytes]) : int32(-1)]);
  const header = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), int32(0), int32(0)]);
  const rows = [
    row(1, Buffer.from('one')),
    row(2, null),
    row(3, Buffer.alloc(300, 7)),
    row(4, Buffer.alloc(0)),
    row(5, Buffer.from('five')),
  ];
  // What Postgres sends: the header with the first row, then a row per CopyData; here row 3 is also
  // split over two messages with a notice between, which the reader must join.
  const copy = Buffer.concat([
    message('H', Buffer.from([1, 0, 2, 0, 1, 0, 1])),
    message('d', Buffer.concat([header, rows[0]])),
    message('d', rows[1]),
    message('d', rows[2].subarray(0, 100)),
    message('N', Buffer.from('Snotice\0\0')),
    message('d', rows[2].subarray(100)),
    message('d', rows[3]),
    message('d', rows[4]),
    message('d', int16(-1)),
    message('c', Buffer.alloc(0)),
  ]);
  const after = Buffer.concat([message('C', Buffer.from('COPY 5\0')), message('Z', Buffer.from('I'))]);

  /** Feeds the stream in the given chunks to copyOut over a stand-in connection; returns what it read and what pg got back. */
  async function read(chunks: Buffer[]) {
    const stream = new EventEmitter();
    const handedBack: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => handedBack.push(Buffer.from(chunk)));
    const connection = { stream, query: () => undefined };
    let copy: { handleCommandComplete(): void; handleReadyForQuery(): void } | undefined;
    const client = {
      query(submittable: { submit(c: unknown): void }) {
        submittable.submit(connection);
        copy = submittable as unknown as typeof copy;
        return submittable;
      },
    } as unknown as ClientBase;
    const got: Array<[number, string | null]> = [];
    const done = copyOut(client, 'SELECT n, b FROM t', (r) =>
      got.push([readInt32(r, 0), isNull(r, 1) ? null : readBytes(r, 1).toString('hex')]),
    );
    for (const chunk of chunks) stream.emit('data', chunk);
    copy!.handleCommandComplete();
    copy!.handleReadyForQuery();
    return { count: await done, got, handedBack: Buffer.concat(handedBack) };
  }

  const expected: Array<[number, string | null]> = [
    [1, Buffer.from('one').toString('hex')],
    [2, null],
    [3, Buffer.alloc(300, 7).toString('hex')],
    [4, ''],
    [5, Buffer.from('five').toString('hex')],
  ];

  it('reads every row and hands the rest back to pg, wherever the chunks split', async () => {
    const all = Buffer.concat([copy, after]);
    for (let cut = 0; cut <= all.length; cut++) {
      const { count, got, handedBack } = await read([all.subarray(0, cut), all.subarray(cut)]);
      expect({ cut, count, got }).toEqual({ cut, count: 5, got: expected });
      expect(handedBack.equals(after)).toBe(true);
    }
    const { got } = await read(Array.from(all, (byte) => Buffer.from([byte])));
    expect(got).toEqual(expected);
  });

  it('hands an error and everything after it to pg', async () => {
    const error = message('E', Buffer.from('SERROR\0Mboom\0\0'));
    const all = Buffer.concat([copy.subarray(0, copy.indexOf(rows[1]) + rows[1].length), error, message('Z', Buffer.from('I'))]);
    for (const cut of [0, 40, all.length - error.length - 3, all.length - 8]) {
      const { got, handedBack } = await read([all.subarray(0, cut), all.subarray(cut)]);
      expect(got).toEqual(expected.slice(0, 2));
      expect(handedBack.equals(all.subarray(all.length - error.length - 6))).toBe(true);
    }
  });
});

describe('binary COPY against Postgres: big rows, failures, side connections', () => {
  let dataSource: DataSource;
  beforeAll(async () => {
    dataSource = await createDataSource(process.env.DATABASE_URL!, 2).initialize();
  });
  afterAll(() => dataSource.destroy());

  it('reads rows larger than a socket read, and writes and reads int8 at the edges of exactness', async () => {
    await withPgClient(dataSource, async (client) => {
      const sizes: number[] = [];
      let checked = 0;
      const count = await copyOut(
        client,
        `SELECT g, decode(repeat(lpad(to_hex(g % 256), 2, '0'), g * 997), 'hex') FROM generate_series(1, 400) g`,
        (row) => {
          const g = readInt32(row, 0);
          const bytes = readBytes(row, 1);
          sizes.push(bytes.length);
          if (bytes.length === g * 997 && bytes.every((b) => b === g % 256)) checked++;
        },
      );
      expect(count).toBe(400);
      expect(checked).toBe(400);
      expect(Math.max(...sizes)).toBeGreaterThan(256 * 1024);

      const values = [-(2 ** 53 - 1), -(2 ** 32) - 1, -1, 0, 1, 2 ** 31, 2 ** 32 + 5, 2 ** 53 - 1];
      await client.query('BEGIN');
      await client.query('CREATE TEMP TABLE copy_int8 (i int4, v int8, b bytea) ON COMMIT DROP');
      const ids = Buffer.from('0123456789abcdef');
      await copyIn(client, 'copy_int8', ['i', 'v', 'b'], function* (w) {
        values.forEach((v, i) => w.row(64).int32(i).int64(v).bytesAt(ids, i, 3));
        yield;
      });
      const back = (await client.query(`SELECT v::text, encode(b, 'escape') AS b FROM copy_int8 ORDER BY i`)).rows;
      const read: number[] = [];
      await copyOut(client, 'SELECT v FROM copy_int8 ORDER BY i', (row) => read.push(readInt64(row, 0)));
      await client.query('COMMIT');
      expect(back.map((r: { v: string }) => r.v)).toEqual(values.map(String));
      expect(back.map((r: { b: string }) => r.b)).toEqual(values.map((_, i) => ids.toString('latin1', i, i + 3)));
      expect(read).toEqual(values);
    });
  });

  it("writes the named columns in the order named, whatever the table's order, and leaves the others to their defaults", async () => {
    await withPgClient(dataSource, async (client) => {
      await client.query('BEGIN');
      // A column added to a table later (here `added`, first) cannot shift the fields the writer encodes.
      await client.query(`CREATE TEMP TABLE copy_named (added int4 DEFAULT 7, a int4, b int2, t text) ON COMMIT DROP`);
      await copyIn(client, 'copy_named', ['t', 'b', 'a'], function* (w) {
        w.row(64).text('one').int16(1).int32(10);
        w.row(64).text('two').int16(2).int32(20);
        yield;
      });
      const rows = (await client.query('SELECT added, a, b, t FROM copy_named ORDER BY a')).rows;
      // A row with a field too many or too few is refused by the server: the count comes from the columns.
      await expect(
        copyIn(client, 'copy_named', ['t', 'b'], function* (w) {
          w.row(64).text('three').int16(3).int32(30);
          yield;
        }),
      ).rejects.toThrow();
      await client.query('ROLLBACK');
      expect(rows).toEqual([
        { added: 7, a: 10, b: 1, t: 'one' },
        { added: 7, a: 20, b: 2, t: 'two' },
      ]);
      await expect(copyIn(client, 'copy_named', [], () => undefined)).rejects.toThrow(/names no column/);
    });
  });

  it('leaves the connection usable after a failing query or a failing row callback', async () => {
    await withPgClient(dataSource, async (client) => {
      await expect(copyOut(client, 'SELECT no_such_column FROM generate_series(1, 3)', () => undefined)).rejects.toThrow(/no_such_column/);
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      let seen = 0;
      const failing = copyOut(client, 'SELECT g FROM generate_series(1, 100000) g', () => {
        if (++seen === 10) throw new Error('row 10 is bad');
      });
      await expect(failing).rejects.toThrow('row 10 is bad');
      expect(seen).toBe(10);
      expect((await client.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
    });
  });

  it('runs tasks side by side on their own connections, closes them, and reports a failure', async () => {
    await withPgClient(dataSource, async (client) => {
      const pids: number[] = [];
      const ownPid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      const task = async (c: ClientBase) => {
        pids.push((await c.query('SELECT pg_backend_pid() AS pid, pg_sleep(0.2)')).rows[0].pid);
      };
      await onSideConnections(client, [task, task, task]);
      expect(new Set(pids).size).toBe(3);
      expect(pids).toContain(ownPid);
      await expect(
        onSideConnections(client, [
          task,
          async (c) => {
            await c.query('SELECT 1 / 0');
          },
        ]),
      ).rejects.toThrow(/division by zero/);
      // A closed connection's backend leaves pg_stat_activity as it exits, a moment later.
      const sides = pids.filter((pid) => pid !== ownPid);
      let open = -1;
      for (let attempt = 0; attempt < 50 && open !== 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 20));
        open = (await client.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ANY($1)', [sides])).rows[0].n;
      }
      expect(open).toBe(0);
    });
  });
});
