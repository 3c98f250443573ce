import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { Client, type ClientBase, type ClientConfig, type Connection } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * Postgres binary COPY, both ways, without an object per row: the reader hands each row's raw
 * field offsets to a callback, the writer encodes rows into large buffers. Used where millions
 * of rows move (score runs, bulk import, seeding).
 */

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER_LENGTH = SIGNATURE.length + 8; // signature, flags (int32), header extension length (int32)
/** Milliseconds from the Unix epoch to Postgres' epoch (2000-01-01); Postgres counts microseconds from it. */
const PG_EPOCH_MS = 946_684_800_000;

export interface BinaryRow {
  buffer: Buffer;
  /** The same bytes as buffer (offsets are the same), for fast big-endian reads. */
  view: DataView;
  /** Byte offset of field i, or -1 when it is NULL. */
  offset: Int32Array;
  length: Int32Array;
}

export function readInt16(row: BinaryRow, field: number): number {
  return row.view.getInt16(row.offset[field]);
}
export function readInt32(row: BinaryRow, field: number): number {
  return row.view.getInt32(row.offset[field]);
}
/** int8 as a JS number (exact below 2^53). */
export function readInt64(row: BinaryRow, field: number): number {
  const at = row.offset[field];
  return row.view.getInt32(at) * 4294967296 + row.view.getUint32(at + 4);
}
export function readFloat4(row: BinaryRow, field: number): number {
  return row.view.getFloat32(row.offset[field]);
}
export function readFloat8(row: BinaryRow, field: number): number {
  return row.view.getFloat64(row.offset[field]);
}
export function readBool(row: BinaryRow, field: number): boolean {
  return row.buffer[row.offset[field]] === 1;
}
/** timestamptz as epoch milliseconds. */
export function readTimestampMs(row: BinaryRow, field: number): number {
  return readInt64(row, field) / 1000 + PG_EPOCH_MS;
}
/** A copy of a bytea / uuid field (the row's buffer is reused after the callback returns). */
export function readBytes(row: BinaryRow, field: number): Buffer {
  const at = row.offset[field];
  return Buffer.from(row.buffer.subarray(at, at + row.length[field]));
}
export function isNull(row: BinaryRow, field: number): boolean {
  return row.offset[field] < 0;
}
/** A one-dimensional int2[] / int4[] as numbers (NULL elements skipped). */
export function readIntArray(row: BinaryRow, field: number): number[] {
  const values: number[] = [];
  forEachInt(row, field, (value) => values.push(value));
  return values;
}
/** Calls back with each element of a one-dimensional int2[] / int4[] (NULL elements skipped), without an array. */
export function forEachInt(row: BinaryRow, field: number, each: (value: number) => void): void {
  const v = row.view;
  let at = row.offset[field];
  if (v.getInt32(at) === 0) return; // no dimensions: empty
  const size = v.getInt32(at + 12);
  at += 20;
  for (let i = 0; i < size; i++) {
    const len = v.getInt32(at);
    at += 4;
    if (len < 0) continue;
    each(len === 2 ? v.getInt16(at) : v.getInt32(at));
    at += len;
  }
}

// Backend message types seen during COPY OUT.
const COPY_DATA = 0x64; // 'd'
const COPY_DONE = 0x63; // 'c'
const COPY_OUT_RESPONSE = 0x48; // 'H'
const NOTICE_RESPONSE = 0x4e; // 'N'
const PARAMETER_STATUS = 0x53; // 'S'
const NOTIFICATION_RESPONSE = 0x41; // 'A'

/**
 * `COPY (query) TO STDOUT (FORMAT binary)` read straight off the socket. Like pg-copy-streams, it
 * takes the connection's data stream over while the COPY runs and hands it back to pg at CopyDone
 * (or at an ErrorResponse, which pg then reports as the query's error). Unlike it, the protocol
 * framing and the rows are parsed in one pass over each socket chunk, rows in place: no buffer per
 * message and no copy of the data, except for the few messages that straddle two chunks.
 */
class CopyOutQuery {
  readonly text: string;
  rows = 0;
  readonly done: Promise<number>;
  private resolve!: (rows: number) => void;
  private reject!: (error: Error) => void;
  private failure: Error | null = null;
  /** Set when the data cannot be parsed: the rest of the COPY is read and dropped. */
  private broken = false;
  private connection: Connection | null = null;
  private pgOnData: ((chunk: Buffer) => void) | null = null;
  private readonly onData = (chunk: Buffer) => this.receive(chunk);
  private headerSeen = false;
  private row: BinaryRow | null = null;
  /** A message that straddles socket chunks, collected whole (carryLength bytes so far). */
  private carry = Buffer.alloc(0);
  private carryView = new DataView(this.carry.buffer);
  private carryLength = 0;
  /** COPY data that does not end on a row boundary, waiting for the next CopyData. */
  private partial: Buffer | null = null;

  constructor(
    query: string,
    private readonly onRow: (row: BinaryRow) => void,
    private readonly onRows?: (rows: number) => void,
  ) {
    this.text = `COPY (${query}) TO STDOUT (FORMAT binary)`;
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  /** pg replaces this with its query_timeout wrapper when one is configured; called when the query ends. */
  callback(): void {}

  submit(connection: Connection): void {
    this.connection = connection;
    const listeners = connection.stream.listeners('data');
    if (listeners.length !== 1) throw new Error(`expected one data listener on the pg stream, found ${listeners.length}`);
    this.pgOnData = listeners[0] as (chunk: Buffer) => void;
    connection.stream.removeListener('data', this.pgOnData);
    connection.stream.on('data', this.onData);
    connection.query(this.text);
  }

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    this.callback();
    if (this.failure) this.reject(this.failure);
    else this.resolve(this.rows);
  }

  handleError(error: Error): void {
    this.callback();
    this.detach(null);
    this.reject(this.failure ?? error);
  }

  /** Gives the stream back to pg, with the bytes from `rest` on (the messages after the COPY data). */
  private detach(rest: Buffer | null): void {
    const connection = this.connection;
    if (!connection || !this.pgOnData) return;
    connection.stream.removeListener('data', this.onData);
    connection.stream.on('data', this.pgOnData);
    const pgOnData = this.pgOnData;
    this.pgOnData = null;
    this.connection = null;
    if (rest && rest.length > 0) pgOnData(rest);
  }

  /** Stops parsing rows: the rest of the COPY is read and dropped, then the query fails with `error`. */
  private fail(error: Error): void {
    this.failure ??= error;
    this.broken = true;
  }

  private receive(chunk: Buffer): void {
    try {
      this.frame(chunk);
      // Once per socket chunk (tens of KB), not per row: progress reporting costs nothing per row.
      this.onRows?.(this.rows);
    } catch (error) {
      // Unparseable protocol data: the connection cannot be trusted any more. pg reports the
      // destroyed stream to the active query (this one), which then fails.
      this.fail(error as Error);
      this.connection?.stream.destroy(error as Error);
    }
  }

  private frame(chunk: Buffer): void {
    let at = 0;
    if (this.carryLength > 0) {
      at = this.fillCarry(chunk);
      if (at < 0) return; // the message is still incomplete
      const carried = this.carryLength;
      this.carryLength = 0;
      if (this.message(this.carry, this.carryView, 0, carried) < 0) {
        const rest = chunk.subarray(at);
        return this.detach(this.carry[0] === COPY_DONE ? rest : Buffer.concat([this.carry.subarray(0, carried), rest]));
      }
    }
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const length = chunk.length;
    while (at + 5 <= length) {
      const size = 1 + view.getInt32(at + 1);
      if (at + size > length) break;
      if (this.message(chunk, view, at, at + size) < 0) return this.detach(chunk.subarray(chunk[at] === COPY_DONE ? at + size : at));
      at += size;
    }
    if (at < length) {
      this.carryLength = 0;
      this.ensureCarry(Math.max(5, length - at));
      this.carryLength = chunk.copy(this.carry, 0, at);
    }
  }

  /** Appends chunk bytes to the carried message until it is complete: the chunk offset after it, or -1. */
  private fillCarry(chunk: Buffer): number {
    let at = 0;
    if (this.carryLength < 5) {
      const take = Math.min(5 - this.carryLength, chunk.length);
      chunk.copy(this.carry, this.carryLength, 0, take);
      this.carryLength += take;
      at = take;
      if (this.carryLength < 5) return -1;
    }
    const size = 1 + this.carryView.getInt32(1);
    this.ensureCarry(size);
    const take = Math.min(size - this.carryLength, chunk.length - at);
    chunk.copy(this.carry, this.carryLength, at, at + take);
    this.carryLength += take;
    return this.carryLength === size ? at + take : -1;
  }

  private ensureCarry(bytes: number): void {
    if (this.carry.length >= bytes) return;
    const bigger = Buffer.alloc(Math.max(bytes, 2 * this.carry.length, 1024));
    this.carry.copy(bigger, 0, 0, this.carryLength);
    this.carry = bigger;
    this.carryView = new DataView(bigger.buffer, bigger.byteOffset, bigger.byteLength);
  }

  /** Handles the message buffer[start, end): -1 when the COPY data is over. */
  private message(buffer: Buffer, view: DataView, start: number, end: number): number {
    const type = buffer[start];
    if (type === COPY_DATA) {
      this.copyData(buffer, view, start + 5, end);
      return end;
    }
    if (type === COPY_OUT_RESPONSE || type === NOTICE_RESPONSE || type === PARAMETER_STATUS || type === NOTIFICATION_RESPONSE) return end;
    // CopyDone, or an ErrorResponse (or anything else) that pg must see.
    return -1;
  }

  /** Rows in one CopyData payload. Postgres sends one row per message; a row split across messages is joined. */
  private copyData(buffer: Buffer, view: DataView, start: number, end: number): void {
    if (this.broken) return;
    if (this.partial) {
      buffer = Buffer.concat([this.partial, buffer.subarray(start, end)]);
      view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      start = 0;
      end = buffer.length;
      this.partial = null;
    }
    if (!this.headerSeen) {
      if (end - start < HEADER_LENGTH) {
        this.partial = Buffer.from(buffer.subarray(start, end));
        return;
      }
      if (!buffer.subarray(start, start + SIGNATURE.length).equals(SIGNATURE)) return this.fail(new Error('not a binary COPY stream'));
      const extension = view.getInt32(start + SIGNATURE.length + 4);
      if (end - start < HEADER_LENGTH + extension) {
        this.partial = Buffer.from(buffer.subarray(start, end));
        return;
      }
      start += HEADER_LENGTH + extension;
      this.headerSeen = true;
    }
    let at = start;
    while (at + 2 <= end) {
      const fields = view.getInt16(at);
      if (fields === -1) return; // trailer
      if (fields < 0) return this.fail(new Error(`bad field count ${fields} in binary COPY data`));
      let row = this.row;
      if (!row || row.offset.length !== fields) {
        row = { buffer, view, offset: new Int32Array(fields), length: new Int32Array(fields) };
        this.row = row;
      }
      let p = at + 2;
      let complete = true;
      for (let f = 0; f < fields; f++) {
        if (p + 4 > end) {
          complete = false;
          break;
        }
        const len = view.getInt32(p);
        p += 4;
        if (len < 0) {
          row.offset[f] = -1;
          row.length[f] = 0;
          continue;
        }
        if (p + len > end) {
          complete = false;
          break;
        }
        row.offset[f] = p;
        row.length[f] = len;
        p += len;
      }
      if (!complete) break;
      row.buffer = buffer;
      row.view = view;
      try {
        this.onRow(row);
      } catch (error) {
        // Keep reading to the end of the COPY so the connection stays usable; fail afterwards.
        return this.fail(error as Error);
      }
      this.rows++;
      at = p;
    }
    if (at < end) this.partial = Buffer.from(buffer.subarray(at, end));
  }
}

/**
 * Streams `COPY (query) TO STDOUT (FORMAT binary)`, calling onRow for every row, and onRows with
 * the rows so far after each socket chunk (for progress). Returns the row count.
 */
export async function copyOut(
  client: ClientBase,
  query: string,
  onRow: (row: BinaryRow) => void,
  onRows?: (rows: number) => void,
): Promise<number> {
  const copy = new CopyOutQuery(query, onRow, onRows);
  client.query(copy);
  return copy.done;
}

/**
 * Encodes rows for `COPY table (columns) FROM STDIN (FORMAT binary)` into buffers of about
 * chunkBytes. Each row has one field per named column, written in the columns' order.
 */
export class BinaryRowWriter {
  private chunks: Buffer[] = [];
  private buffer: Buffer;
  private view: DataView;
  private at = 0;

  constructor(
    private readonly fields: number,
    private readonly chunkBytes = 1 << 20,
  ) {
    this.buffer = Buffer.allocUnsafe(chunkBytes);
    this.view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength);
    SIGNATURE.copy(this.buffer, 0);
    this.view.setInt32(SIGNATURE.length, 0);
    this.view.setInt32(SIGNATURE.length + 4, 0);
    this.at = HEADER_LENGTH;
  }

  /** Starts a row (its fields follow, one per column); `maxBytes` is an upper bound of its encoded size. */
  row(maxBytes: number): this {
    this.ensure(2 + maxBytes);
    this.view.setInt16(this.at, this.fields);
    this.at += 2;
    return this;
  }
  int16(v: number): this {
    this.view.setInt32(this.at, 2);
    this.view.setInt16(this.at + 4, v);
    this.at += 6;
    return this;
  }
  int32(v: number): this {
    this.view.setInt32(this.at, 4);
    this.view.setInt32(this.at + 4, v);
    this.at += 8;
    return this;
  }
  int64(v: number): this {
    if (!Number.isSafeInteger(v)) throw new RangeError(`not an int8: ${v}`);
    const high = Math.floor(v / 4294967296);
    this.view.setInt32(this.at, 8);
    this.view.setInt32(this.at + 4, high);
    this.view.setUint32(this.at + 8, v - high * 4294967296);
    this.at += 12;
    return this;
  }
  float4(v: number): this {
    this.view.setInt32(this.at, 4);
    this.view.setFloat32(this.at + 4, v);
    this.at += 8;
    return this;
  }
  float8(v: number): this {
    this.view.setInt32(this.at, 8);
    this.view.setFloat64(this.at + 4, v);
    this.at += 12;
    return this;
  }
  bool(v: boolean): this {
    this.view.setInt32(this.at, 1);
    this.buffer[this.at + 4] = v ? 1 : 0;
    this.at += 5;
    return this;
  }
  timestampMs(ms: number): this {
    return this.int64(Math.round((ms - PG_EPOCH_MS) * 1000));
  }
  bytes(v: Uint8Array): this {
    return this.bytesAt(v, 0, v.length);
  }
  /** source[start, start + length) as a bytea / uuid, without a Buffer for the slice. */
  bytesAt(source: Uint8Array, start: number, length: number): this {
    this.view.setInt32(this.at, length);
    this.at += 4;
    if (length <= 32) {
      for (let i = 0; i < length; i++) this.buffer[this.at + i] = source[start + i];
    } else {
      this.buffer.set(source.subarray(start, start + length), this.at);
    }
    this.at += length;
    return this;
  }
  text(v: string): this {
    const length = Buffer.byteLength(v);
    this.view.setInt32(this.at, length);
    this.at += 4;
    this.at += this.buffer.write(v, this.at);
    return this;
  }
  null(): this {
    this.view.setInt32(this.at, -1);
    this.at += 4;
    return this;
  }
  /** A one-dimensional int2[]. */
  int16Array(values: ArrayLike<number>): this {
    const n = values.length;
    const view = this.view;
    let at = this.at;
    view.setInt32(at, n === 0 ? 12 : 20 + n * 6);
    view.setInt32(at + 4, n === 0 ? 0 : 1); // dimensions
    view.setInt32(at + 8, 0); // has nulls
    view.setInt32(at + 12, 21); // element type: int2
    at += 16;
    if (n > 0) {
      view.setInt32(at, n);
      view.setInt32(at + 4, 1); // lower bound
      at += 8;
      for (let i = 0; i < n; i++) {
        view.setInt32(at, 2);
        view.setInt16(at + 4, values[i]);
        at += 6;
      }
    }
    this.at = at;
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
    this.view.setInt16(this.at, -1);
    this.at += 2;
    this.chunks.push(this.buffer.subarray(0, this.at));
    this.buffer = Buffer.alloc(0);
    this.view = new DataView(this.buffer.buffer, 0, 0);
    return this.drain();
  }

  private ensure(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    this.chunks.push(this.buffer.subarray(0, this.at));
    this.buffer = Buffer.allocUnsafe(Math.max(this.chunkBytes, bytes));
    this.view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength);
    this.at = 0;
  }
}

/**
 * Runs `COPY table (columns) FROM STDIN (FORMAT binary)` fed by `produce`, which writes rows, each
 * field in the order of `columns`, and may yield completed buffers as it goes (so a large load does
 * not sit in memory whole). The columns are named, never implied by the table's order: a column
 * added to the table later cannot shift the fields into the wrong ones. `freeze`: COPY ... FREEZE,
 * for a table created in the same transaction: its rows are written frozen and its pages marked
 * all-visible, so no VACUUM has to visit them before index-only scans can skip the heap.
 */
export async function copyIn(
  client: ClientBase,
  table: string,
  columns: readonly string[],
  produce: (writer: BinaryRowWriter) => Iterable<void> | void,
  options: { freeze?: boolean } = {},
): Promise<void> {
  if (columns.length === 0) throw new Error(`COPY into ${table} names no column`);
  const writer = new BinaryRowWriter(columns.length);
  function* buffers(): Generator<Buffer> {
    const steps = produce(writer);
    if (steps) {
      for (const _ of steps) yield* writer.drain();
    }
    yield* writer.finish();
  }
  await pipeline(
    Readable.from(buffers()),
    client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN (FORMAT binary${options.freeze ? ', FREEZE' : ''})`)),
  );
}

/**
 * Runs `tasks` side by side, each on its own connection: the first on `client`, the others on new
 * connections with the same connection settings (not the session's SETs), closed afterwards.
 * Large COPYs are bound by one backend each, so this spreads them over the server's cores. When
 * `client` cannot be cloned (not a plain pg Client), the tasks run one after another on it.
 * Fails with the first task's error once every task has settled, so no COPY is left running on
 * a connection being closed.
 */
export async function onSideConnections(client: ClientBase, tasks: Array<(client: ClientBase) => Promise<void>>): Promise<void> {
  const params = (client as { connectionParameters?: ClientConfig }).connectionParameters;
  if (tasks.length < 2 || !(client instanceof Client) || !params) {
    for (const task of tasks) await task(client);
    return;
  }
  const opened: Client[] = [];
  try {
    const results = await Promise.allSettled(
      tasks.map(async (task, i) => {
        if (i === 0) return task(client);
        // The password is not an enumerable property of the parameters.
        const side = new Client({ ...params, password: client.password, application_name: `${params.application_name ?? 'pg'}-${i}` });
        side.on('error', () => undefined); // a dropped connection also fails its task
        opened.push(side);
        await side.connect();
        return task(side);
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  } finally {
    await Promise.all(opened.map((side) => side.end().catch(() => undefined)));
  }
}
