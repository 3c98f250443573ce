import { Client, escapeLiteral, type PoolClient, type QueryResult } from 'pg';
import { DefaultNamingStrategy, type DataSource, type EntityManager, type Table } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { sqlState } from './errors';

/** The database name in a Postgres URL. */
export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

/** The same server's maintenance database, for CREATE/DROP DATABASE. */
export function maintenanceUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Creates the database named in `url` when it does not exist yet. Returns true when it created it. */
export async function ensureDatabase(url: string): Promise<boolean> {
  const name = databaseName(url);
  const client = new Client({ connectionString: maintenanceUrl(url) });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
    } catch (error) {
      // Another process created it between our check and our CREATE.
      if ((error as { code?: string }).code !== '42P04') throw error;
      return false;
    }
    return true;
  } finally {
    await client.end();
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const client = new Client({ connectionString: maintenanceUrl(url) });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(databaseName(url))} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Readable constraint names (users_pkey, api_keys_organization_id_fkey) instead of hashes. */
export class ConstraintNamingStrategy extends DefaultNamingStrategy {
  private static tableName(tableOrName: Table | string): string {
    const name = typeof tableOrName === 'string' ? tableOrName : tableOrName.name;
    return name.split('.').pop()!;
  }

  override primaryKeyName(tableOrName: Table | string): string {
    return `${ConstraintNamingStrategy.tableName(tableOrName)}_pkey`;
  }

  override foreignKeyName(tableOrName: Table | string, columnNames: string[]): string {
    return `${ConstraintNamingStrategy.tableName(tableOrName)}_${columnNames.join('_')}_fkey`;
  }

  override relationConstraintName(tableOrName: Table | string, columnNames: string[]): string {
    return `${ConstraintNamingStrategy.tableName(tableOrName)}_${columnNames.join('_')}_key`;
  }
}

export function postgresOptions(url: string, poolSize: number): PostgresConnectionOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'migrations',
    namingStrategy: new ConstraintNamingStrategy(),
    // gen_random_uuid() is built into Postgres 13+, so no extension has to be installed.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    extra: {
      max: poolSize,
      connectionTimeoutMillis: 5_000,
      // A statement that runs longer than this is a bug or an attack; bulk jobs raise it per session.
      statement_timeout: 30_000,
      application_name: 'perks',
    },
  };
}

/** Refuses to serve on a database whose migrations have not all run. */
export async function assertMigrated(dataSource: DataSource): Promise<void> {
  if (await dataSource.showMigrations()) {
    throw new Error('The database has pending migrations: run `npm run migration:run` (or `npm start`) first');
  }
}

/**
 * Runs fn on one pooled connection, seen both as a raw pg client (for COPY streams) and as an
 * EntityManager (for everything else); both act inside the same transactions.
 */
export async function withPgClient<T>(dataSource: DataSource, fn: (client: PoolClient, manager: EntityManager) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  const client = (await runner.connect()) as PoolClient;
  try {
    return await fn(client, runner.manager);
  } finally {
    await runner.release();
  }
}

/** A value inlined into SQL sent with the simple protocol (which takes no parameters). */
export function literal(value: string | number | boolean | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  return escapeLiteral(value);
}

/**
 * A statement prepared once per connection with SQL PREPARE and run with EXECUTE: the server parses
 * and plans it once per connection instead of on every call, and, unlike a prepared statement of
 * the extended protocol, an EXECUTE can travel in one simple-protocol message with BEGIN or COMMIT.
 */
export class PreparedSql {
  /** The statements prepared on each connection (a connection the pool replaced starts empty). */
  private static readonly prepared = new WeakMap<object, Set<string>>();

  constructor(
    readonly name: string,
    private readonly types: string[],
    private readonly sql: string,
  ) {}

  /**
   * Prepares on `client` the statements it has not seen yet, all in one message: a transaction's
   * statements cost a new connection one round trip, however many they are.
   */
  static async prepareAll(client: PoolClient, statements: PreparedSql[]): Promise<void> {
    let names = PreparedSql.prepared.get(client);
    if (!names) PreparedSql.prepared.set(client, (names = new Set()));
    const missing = statements.filter((statement) => !names.has(statement.name));
    if (missing.length === 0) return;
    try {
      await client.query(missing.map((statement) => statement.prepareSql()).join('; '));
    } catch (error) {
      if (sqlState(error) !== DUPLICATE_PREPARED_STATEMENT) throw error;
      // One was prepared behind our back, and the server skipped the rest of the message: one at a time.
      for (const statement of missing) {
        await client.query(statement.prepareSql()).catch((again: unknown) => {
          if (sqlState(again) !== DUPLICATE_PREPARED_STATEMENT) throw again;
        });
      }
    }
    for (const statement of missing) names.add(statement.name);
  }

  private prepareSql(): string {
    return `PREPARE ${this.name} (${this.types.join(', ')}) AS ${this.sql}`;
  }

  /** EXECUTE with these values, inlined as literals (one per type, in order). */
  execute(...values: Array<string | number | boolean | null>): string {
    if (values.length !== this.types.length) throw new Error(`${this.name} takes ${this.types.length} values, not ${values.length}`);
    return `EXECUTE ${this.name}(${values.map(literal).join(', ')})`;
  }
}

const DUPLICATE_PREPARED_STATEMENT = '42P05';

/**
 * What opens a transaction of PreparedSql statements: BEGIN, and generic plans for them. Postgres
 * otherwise plans a prepared statement anew for its values (a custom plan) whenever it estimates
 * that cheaper than the plan it keeps, and the claim's statements, many CTEs each, fold their
 * values (`$2 IS NULL`) into custom plans that it then keeps preferring: a full planning on every
 * EXECUTE. Their generic plans are the same index lookups. SET LOCAL: the setting ends with the
 * transaction, so the connection's other queries are planned as before.
 */
const BEGIN_PREPARED = 'BEGIN; SET LOCAL plan_cache_mode = force_generic_plan';

export interface HotTransaction {
  /** The connection's EntityManager: its queries run inside the transaction. */
  manager: EntityManager;
  /**
   * Sends the last statement and COMMIT in one message (simple protocol: a PreparedSql's EXECUTE,
   * its values inlined with `literal`) and returns the statement's rows. Row locks it takes
   * are released by the server at the commit, not a network round trip (and a busy event loop) later.
   */
  finish(sql: string): Promise<Array<Record<string, unknown>>>;
}

/**
 * A transaction for statements that lock a row many requests want (a campaign's unit count): the
 * first statement travels with BEGIN and the last with COMMIT, so the whole transaction costs
 * as many round trips as it has statements, and the hot lock is held only while the server works.
 * `prepared` are the statements the transaction EXECUTEs, prepared first where a connection has
 * not seen them. `run` may return without calling finish (then it commits); if it throws, it
 * rolls back.
 */
export async function hotTransaction<T>(
  dataSource: DataSource,
  prepared: PreparedSql[],
  firstSql: string,
  run: (first: Array<Record<string, unknown>>, tx: HotTransaction) => Promise<T>,
): Promise<T> {
  return withPgClient(dataSource, async (client, manager) => {
    await PreparedSql.prepareAll(client, prepared);
    let open = true;
    try {
      const [, , first] = (await client.query(`${BEGIN_PREPARED}; ${firstSql}`)) as unknown as QueryResult[];
      const result = await run(first.rows, {
        manager,
        finish: async (sql) => {
          const [last] = (await client.query(`${sql}; COMMIT`)) as unknown as QueryResult[];
          open = false;
          return last.rows;
        },
      });
      if (open) {
        await client.query('COMMIT');
        open = false;
      }
      return result;
    } catch (error) {
      // After a failed statement the server skipped the rest of its message (the COMMIT too).
      if (open) await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}

/**
 * Statements that need no decision between them as one transaction in one message (BEGIN; each;
 * COMMIT): one round trip, and the locks they take are held only while the server works. Returns
 * each statement's rows, in order. After an error the server skipped the rest of the message (the
 * COMMIT too): the transaction is rolled back and the error thrown.
 */
export async function oneMessageTransaction(
  dataSource: DataSource,
  prepared: PreparedSql[],
  statements: string[],
): Promise<Array<Array<Record<string, unknown>>>> {
  return withPgClient(dataSource, async (client) => {
    await PreparedSql.prepareAll(client, prepared);
    try {
      const results = (await client.query(`${BEGIN_PREPARED}; ${statements.join('; ')}; COMMIT`)) as unknown as QueryResult[];
      return results.slice(2, 2 + statements.length).map((r) => r.rows);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}

/**
 * How many rows an UPDATE or DELETE (given without RETURNING) changed. TypeORM answers those with
 * [rows, count] in a driver-specific shape; counting a RETURNING 1 is plain SQL.
 */
export async function affectedRows(db: DataSource | EntityManager, sql: string, params: unknown[]): Promise<number> {
  const [{ n }] = await db.query(`WITH x AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM x`, params);
  return n;
}
