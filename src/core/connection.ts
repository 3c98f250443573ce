import { Max, Min } from 'class-validator';
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { badInput } from './errors';
import { isUuid } from './ids';

// Plain data types: their fields read properties (graphql-js' default resolver), no per-field wrapper.
@ObjectType({ simpleResolvers: true })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage: boolean;

  @Field(() => Boolean)
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true })
  startCursor: string | null;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface ConnectionShape<T> {
  edges: Array<Edge<T>>;
  pageInfo: PageInfo;
  totalCount: number;
}

/** A Relay connection type for T: `class ScoreRunConnection extends Connection(ScoreRun) {}`. */
export function Connection<T extends object>(nodeType: ClassType<T>) {
  @ObjectType(`${nodeType.name}Edge`, { simpleResolvers: true })
  class EdgeType {
    @Field(() => String)
    cursor: string;

    @Field(() => nodeType)
    node: T;
  }

  // Never referenced itself, so type-graphql emits only the concrete subclasses.
  @ObjectType()
  abstract class ConnectionType implements ConnectionShape<T> {
    // Simple fields (as in the types above): subclasses keep a field's own setting.
    @Field(() => [EdgeType], { simple: true })
    edges: Array<Edge<T>>;

    @Field(() => PageInfo, { simple: true })
    pageInfo: PageInfo;

    @Field(() => Int, { description: 'All matching items, not only this page', simple: true })
    totalCount: number;
  }
  return ConnectionType;
}

/** first/after of a forward Relay page; lists extend it with their filters. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 20, description: 'At most 100' })
  @Min(1, { message: 'first must be at least 1' })
  @Max(100, { message: 'first must be at most 100' })
  first: number;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page' })
  after?: string;
}

/** Keyset cursors: the sort key values of the last item, opaque to clients (base64url JSON). */
export function encodeCursor(key: Array<string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

const NOT_A_CURSOR = 'after is not a cursor this list gave out';
const INT4 = 2 ** 31;
// Exactly what Date#toISOString writes, from year 1 (Postgres has no year 0) to 9999.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
// The longest cursor any list gives out is well under this; a longer one is not worth decoding.
const MAX_CURSOR_LENGTH = 512;

/**
 * The types a cursor's values may have, each checked so the value can go straight into a SQL
 * parameter of that type: Postgres never sees a value it would refuse.
 *   timestamp  an instant as Date#toISOString writes it (created_at, offered_at ...)
 *   date       a calendar date, YYYY-MM-DD (a score run's run_date)
 *   uuid       a row id
 *   int        a whole number in int4's range (a score, a serial id)
 *   bigint     a whole number in int8's range, as a decimal string (a bigint identity, which pg hands out as text)
 *   real       a number float4 can hold without overflow or underflow (a reach)
 */
export type CursorValueKind = 'timestamp' | 'date' | 'uuid' | 'int' | 'bigint' | 'real';
type CursorValue<K extends CursorValueKind> = K extends 'int' | 'real' ? number : string;
export type CursorKey<S extends readonly CursorValueKind[]> = { -readonly [I in keyof S]: CursorValue<S[I]> };

const INT8_MAX = 2n ** 63n - 1n;

/** A non-negative int8 written as Postgres writes it (no sign, no leading zeros): what a bigint id reads as. */
export function isBigintText(v: unknown): v is string {
  return typeof v === 'string' && /^(0|[1-9][0-9]{0,18})$/.test(v) && BigInt(v) <= INT8_MAX;
}

/** The instant `text` names written back as Date#toISOString writes it; null for no instant. */
function isoOf(text: string): string | null {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

const VALID: Record<CursorValueKind, (v: unknown) => boolean> = {
  // Round trips refuse what the patterns let through: February 30th, 24:00, year 0.
  timestamp: (v) => typeof v === 'string' && TIMESTAMP.test(v) && !v.startsWith('0000') && isoOf(v) === v,
  date: (v) => typeof v === 'string' && DATE.test(v) && !v.startsWith('0000') && isoOf(`${v}T00:00:00.000Z`) === `${v}T00:00:00.000Z`,
  uuid: (v) => typeof v === 'string' && isUuid(v),
  int: (v) => Number.isInteger(v) && (v as number) >= -INT4 && (v as number) < INT4,
  bigint: (v) => isBigintText(v),
  real: (v) => typeof v === 'number' && Number.isFinite(Math.fround(v)) && (v === 0 || Math.fround(v) !== 0),
};

/**
 * Decodes a cursor into values of the types `shape` names, or refuses it as BAD_USER_INPUT. The one
 * place cursors are checked: every list decodes its `after` here. A cursor must be exactly what
 * encodeCursor writes (canonical base64url of a JSON array of the shape's length), so anything
 * forged (other types, nested values, long arrays, numbers written another way) is refused.
 */
export function decodeCursor<const S extends readonly CursorValueKind[]>(cursor: string, shape: S): CursorKey<S> {
  let key: unknown;
  if (cursor.length <= MAX_CURSOR_LENGTH && /^[A-Za-z0-9_-]+$/.test(cursor)) {
    try {
      key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      key = null;
    }
  }
  if (!Array.isArray(key) || key.length !== shape.length || !key.every((v, i) => VALID[shape[i]](v)) || encodeCursor(key) !== cursor) {
    throw badInput(NOT_A_CURSOR, 'after');
  }
  return key as CursorKey<S>;
}

/** A keyset cursor of (sort key, row uuid): the common shape of our lists. */
export function decodeKeysetCursor<K extends 'timestamp' | 'int' | 'real'>(cursor: string, key: K): [CursorValue<K>, string] {
  return decodeCursor(cursor, [key, 'uuid'] as const) as [CursorValue<K>, string];
}

/**
 * "Past the cursor" for a list ordered by (a timestamp, id) descending. A cursor keeps a Date's
 * milliseconds of a microsecond timestamp (and rows written by one statement share theirs), so the
 * row the cursor names gives the exact position; the cursor's own value is the fallback for a row
 * that is gone. `at` and `id` are SQL parameters (e.g. `$2::timestamptz`, `$3::uuid`).
 */
export function pastTimestampCursorSql(table: string, alias: string, column: string, at: string, id: string): string {
  return `(${alias}.${column}, ${alias}.id) < (coalesce((SELECT k.${column} FROM ${table} k WHERE k.id = ${id}), ${at}), ${id})`;
}

/** Builds a page from first+1 fetched rows (the extra row only tells whether there is a next page). */
export function toConnection<T, C extends ConnectionShape<T>>(
  into: C,
  rows: T[],
  first: number,
  totalCount: number,
  cursorOf: (row: T) => string,
  hasPreviousPage: boolean,
): C {
  const page = rows.slice(0, first);
  into.edges = page.map((node) => ({ cursor: cursorOf(node), node }));
  into.pageInfo = Object.assign(new PageInfo(), {
    hasNextPage: rows.length > first,
    hasPreviousPage,
    startCursor: into.edges[0]?.cursor ?? null,
    endCursor: into.edges[into.edges.length - 1]?.cursor ?? null,
  });
  into.totalCount = totalCount;
  return into;
}
