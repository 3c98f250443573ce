import { Max, Min } from 'class-validator';
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { badInput } from './errors';

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

export function decodeCursor(cursor: string, shape: Array<'string' | 'number'>): Array<string | number> {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = null;
  }
  if (!Array.isArray(key) || key.length !== shape.length || key.some((v, i) => typeof v !== shape[i])) {
    throw badInput('after is not a cursor this list gave out', 'after');
  }
  return key as Array<string | number>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A keyset cursor of (sort key, row uuid): a timestamp string (created_at, offered_at ...) or a
 * number (a score), checked so the values can go straight into SQL parameters.
 */
export function decodeKeysetCursor(cursor: string, key: 'timestamp'): [string, string];
export function decodeKeysetCursor(cursor: string, key: 'number'): [number, string];
export function decodeKeysetCursor(cursor: string, key: 'timestamp' | 'number'): [string | number, string] {
  const [value, id] = decodeCursor(cursor, [key === 'number' ? 'number' : 'string', 'string']);
  if (!UUID.test(String(id)) || (key === 'timestamp' && Number.isNaN(Date.parse(String(value))))) {
    throw badInput('after is not a cursor this list gave out', 'after');
  }
  return [value, String(id)];
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
