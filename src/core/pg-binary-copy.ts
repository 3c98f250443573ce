import { pipeline } from 'node:stream/promises';
import { Readable, Writable } from 'node:stream';
import type { ClientBase } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

/**
 * Postgres binary COPY, both ways, without an object per row: the reader hands each row's raw
 * field offsets to a callback, the writer encodes rows into large buffers. Used where millions
 * of rows move (score runs, bulk import, seeding).
 */

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER_LENGTH = SIGNATURE.length + 8; // signature, flags (int32), header extension length (int32)
/** Microseconds from the Unix epoch to Postgres' epoch (2000-01-01). */
const PG_EPOCH_MS = 946_684_800_000;

export interface BinaryRow {
  buffer: Buffer;
  /** Byte offset of field i, or -1 when it is NULL. */
  offset: Int32Array;
  length: Int32Array;
}

export function readInt16(row: BinaryRow, field: number): number {
  return row.buffer.readInt16BE(row.offset[field]);
}
export function readInt32(row: BinaryRow, field: number): number {
  return row.buffer.readInt32BE(row.offset[field]);
}
/** int8 as a JS number (exact below 2^53). */
export function readInt64(row: BinaryRow, field: number): number {
  const at = row.offset[field];
  return row.buffer.readInt32BE(at) * 4294967296 + row.buffer.readUInt32BE(at + 4);
}
export function readFloat4(row: BinaryRow, field: number): number {
  return row.buffer.readFloatBE(row.offset[field]);
}
export function readFloat8(row: BinaryRow, field: number): number {
  return row.buffer.readDoubleBE(row.offset[field]);
}
export function readBool(row: BinaryRow, field: number): boolean {
  return row.buffer[row.offset[field]] === 1;
}
/** timestamptz as epoch milliseconds. */
export function readTimestampMs(row: BinaryRow, field: number): number {
  return readInt64(row, field) / 1000 + PG_EPOCH_MS;
}
export function readBytes(row: BinaryRow, field: number): Buffer {
  const at = row.offset[field];
  return Buffer.from(row.buffer.subarray(at, at + row.length[field]));
}
export function isNull(row: BinaryRow, field: number): boolean {
  return row.offset[field] < 0;
}
/** A one-dimensional int2[] / int4[] as numbers (NULL elements skipped). */
export function readIntArray(row: BinaryRow, field: number): number[] {
  const b = row.buffer;
  let at = row.offset[field];
  const dims = b.readInt32BE(at);
  if (dims === 0) return [];
  const size = b.readInt32BE(at + 12);
  at += 20;
  const values: number[] = [];
  for (let i = 0; i < size; i++) {
    const len = b.readInt32BE(at);
    at += 4;
    if (len < 0) continue;
    values.push(len === 2 ? b.readInt16BE(at) : b.readInt32BE(at));
    at += len;
  }
  return values;
}

/** Streams `COPY (query) TO STDOUT (FORMAT binary)`, calling onRow for every row. Returns the row count. */
export async function copyOut(client: ClientBase, query: string, onRow: (row: BinaryRow) => void): Promise<number> {
  let rows = 0;
  let pending: Buffer | null = null;
  let headerSeen = false;
  let row: BinaryRow | null = null;

  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      try {
        const buffer: Buffer = pending ? Buffer.concat([pending, chunk]) : chunk;
        let at = 0;
        if (!headerSeen) {
          if (buffer.length < HEADER_LENGTH) {
            pending = buffer;
            return done();
          }
          if (!buffer.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new Error('not a binary COPY stream');
          at = HEADER_LENGTH + buffer.readInt32BE(SIGNATURE.length + 4);
          headerSeen = true;
        }
        while (at + 2 <= buffer.length) {
          const fields = buffer.readInt16BE(at);
          if (fields === -1) {
            at = buffer.length;
            break;
          }
          if (!row || row.offset.length !== fields) row = { buffer, offset: new Int32Array(fields), length: new Int32Array(fields) };
          row.buffer = buffer;
          let p = at + 2;
          let complete = true;
          for (let f = 0; f < fields; f++) {
            if (p + 4 > buffer.length) {
              complete = false;
              break;
            }
            const len = buffer.readInt32BE(p);
            p += 4;
            if (len < 0) {
              row.offset[f] = -1;
              row.length[f] = 0;
              continue;
            }
            if (p + len > buffer.length) {
              complete = false;
              break;
            }
            row.offset[f] = p;
            row.length[f] = len;
            p += len;
          }
          if (!complete) break;
          onRow(row);
          rows++;
          at = p;
        }
        pending = at < buffer.length ? Buffer.from(buffer.subarray(at)) : null;
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
  await pipeline(client.query(copyTo(`COPY (${query}) TO STDOUT (FORMAT binary)`)), sink);
  return rows;
}

/** Encodes rows for `COPY table FROM STDIN (FORMAT binary)` into buffers of about chunkBytes. */
export class BinaryRowWriter {
  private chunks: Buffer[] = [];
  private buffer: Buffer;
  private at = 0;

  constructor(private readonly chunkBytes = 1 << 20) {
    this.buffer = Buffer.allocUnsafe(chunkBytes);
    SIGNATURE.copy(this.buffer, 0);
    this.buffer.writeInt32BE(0, SIGNATURE.length);
    this.buffer.writeInt32BE(0, SIGNATURE.length + 4);
    this.at = HEADER_LENGTH;
  }

  /** Starts a row of `fields` fields; `maxBytes` is an upper bound of its encoded size. */
  row(fields: number, maxBytes: number): this {
    this.ensure(2 + maxBytes);
    this.at = this.buffer.writeInt16BE(fields, this.at);
    return this;
  }
  int16(v: number): this {
    this.at = this.buffer.writeInt32BE(2, this.at);
    this.at = this.buffer.writeInt16BE(v, this.at);
    return this;
  }
  int32(v: number): this {
    this.at = this.buffer.writeInt32BE(4, this.at);
    this.at = this.buffer.writeInt32BE(v, this.at);
    return this;
  }
  int64(v: number): this {
    this.at = this.buffer.writeInt32BE(8, this.at);
    this.at = this.buffer.writeBigInt64BE(BigInt(v), this.at);
    return this;
  }
  float4(v: number): this {
    this.at = this.buffer.writeInt32BE(4, this.at);
    this.at = this.buffer.writeFloatBE(v, this.at);
    return this;
  }
  float8(v: number): this {
    this.at = this.buffer.writeInt32BE(8, this.at);
    this.at = this.buffer.writeDoubleBE(v, this.at);
    return this;
  }
  bool(v: boolean): this {
    this.at = this.buffer.writeInt32BE(1, this.at);
    this.buffer[this.at++] = v ? 1 : 0;
    return this;
  }
  timestampMs(ms: number): this {
    return this.int64(Math.round((ms - PG_EPOCH_MS) * 1000));
  }
  bytes(v: Buffer): this {
    this.at = this.buffer.writeInt32BE(v.length, this.at);
    this.at += v.copy(this.buffer, this.at);
    return this;
  }
  text(v: string): this {
    const length = Buffer.byteLength(v);
    this.at = this.buffer.writeInt32BE(length, this.at);
    this.at += this.buffer.write(v, this.at);
    return this;
  }
  null(): this {
    this.at = this.buffer.writeInt32BE(-1, this.at);
    return this;
  }
  /** A one-dimensional int2[]. */
  int16Array(values: ArrayLike<number>): this {
    const n = values.length;
    this.at = this.buffer.writeInt32BE(n === 0 ? 12 : 20 + n * 6, this.at);
    this.at = this.buffer.writeInt32BE(n === 0 ? 0 : 1, this.at); // dimensions
    this.at = this.buffer.writeInt32BE(0, this.at); // has nulls
    this.at = this.buffer.writeInt32BE(21, this.at); // element type: int2
    if (n === 0) return this;
    this.at = this.buffer.writeInt32BE(n, this.at);
    this.at = this.buffer.writeInt32BE(1, this.at); // lower bound
    for (let i = 0; i < n; i++) {
      this.at = this.buffer.writeInt32BE(2, this.at);
      this.at = this.buffer.writeInt16BE(values[i], this.at);
    }
    return this;
  }

  /** Completed buffers so far (for streaming while encoding continues). */
  drain(): Buffer[] {
    const out = this.chunks;
    this.chunks = [];
    return out;
  }

  /** Everything, with the trailer. */
  finish(): Buffer[] {
    this.ensure(2);
    this.at = this.buffer.writeInt16BE(-1, this.at);
    this.chunks.push(this.buffer.subarray(0, this.at));
    this.buffer = Buffer.alloc(0);
    return this.drain();
  }

  private ensure(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    this.chunks.push(this.buffer.subarray(0, this.at));
    this.buffer = Buffer.allocUnsafe(Math.max(this.chunkBytes, bytes));
    this.at = 0;
  }
}

/**
 * Runs `COPY target FROM STDIN (FORMAT binary)` fed by `produce`, which writes rows and may yield
 * completed buffers as it goes (so a large load does not sit in memory whole).
 */
export async function copyIn(
  client: ClientBase,
  target: string,
  produce: (writer: BinaryRowWriter) => Iterable<void> | void,
): Promise<void> {
  const writer = new BinaryRowWriter();
  function* buffers(): Generator<Buffer> {
    const steps = produce(writer);
    if (steps) {
      for (const _ of steps) yield* writer.drain();
    }
    yield* writer.finish();
  }
  await pipeline(Readable.from(buffers()), client.query(copyFrom(`COPY ${target} FROM STDIN (FORMAT binary)`)));
}
