import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../ormconfig';
import { dropDatabase, ensureDatabase, hotTransaction, PreparedSql } from '../../src/core/database';
import { handleHash } from '../../src/modules/activity/actor-key';

/** A scratch database of its own, so reverting migrations cannot disturb the suites running beside it. */
function scratchUrl(): string {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `${url.pathname}_scratch_${randomBytes(3).toString('hex')}`;
  return url.toString();
}

describe('migrations', () => {
  const url = scratchUrl();
  let dataSource: DataSource;

  beforeAll(async () => {
    expect(await ensureDatabase(url)).toBe(true);
    expect(await ensureDatabase(url)).toBe(false);
    dataSource = await createDataSource(url, 2).initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await dropDatabase(url);
  });

  it('build exactly the schema the entities describe, and revert to nothing', async () => {
    await dataSource.runMigrations({ transaction: 'each' });
    // The schema builder lists what `synchronize` would change: nothing, when migrations and entities agree.
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);

    const topics = await dataSource.query('SELECT family, count(*)::int AS n FROM topics GROUP BY family');
    const total = topics.reduce((sum: number, row: { n: number }) => sum + row.n, 0);
    expect(total).toBeGreaterThanOrEqual(50);
    expect(total).toBeLessThanOrEqual(200);
    expect(topics.length).toBeGreaterThanOrEqual(5);

    while ((await dataSource.query('SELECT count(*)::int AS n FROM migrations'))[0].n > 0) await dataSource.undoLastMigration();
    const tables = await dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`,
    );
    const types = await dataSource.query(
      `SELECT typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype = 'e'`,
    );
    expect(tables).toEqual([]);
    expect(types).toEqual([]);
  });
});

describe('database invariants', () => {
  let dataSource: DataSource;
  beforeAll(async () => {
    dataSource = await createDataSource(process.env.DATABASE_URL!, 2).initialize();
  });
  afterAll(() => dataSource.destroy());

  const organization = async (kind: 'BRAND' | 'AGENCY') =>
    (await dataSource.query(`INSERT INTO organizations (kind, name) VALUES ($1, 'x') RETURNING id`, [kind]))[0].id as string;

  it('refuses a brand recorded as an agency, whatever the application does', async () => {
    const [brand, otherBrand, agency] = [await organization('BRAND'), await organization('BRAND'), await organization('AGENCY')];
    await expect(dataSource.query('INSERT INTO agency_clients (agency_id, brand_id) VALUES ($1, $2)', [otherBrand, brand])).rejects.toThrow(
      /foreign key/,
    );
    await expect(dataSource.query('INSERT INTO agency_clients (agency_id, brand_id) VALUES ($1, $2)', [agency, agency])).rejects.toThrow(
      /foreign key/,
    );
    await expect(
      dataSource.query(`INSERT INTO agency_clients (agency_id, brand_id, agency_kind) VALUES ($1, $2, 'BRAND')`, [brand, otherBrand]),
    ).rejects.toThrow(/check constraint/);
    await dataSource.query('INSERT INTO agency_clients (agency_id, brand_id) VALUES ($1, $2)', [agency, brand]);
  });

  it('keeps emails unique', async () => {
    const email = `dup-${randomBytes(4).toString('hex')}@test.perks`;
    const insert = () => dataSource.query(`INSERT INTO users (email, password_hash, role, name) VALUES ($1, 'x', 'BRAND', 'x')`, [email]);
    await insert();
    await expect(insert()).rejects.toThrow(/users_email_key/);
  });

  it('hashes handles in SQL (the Activity migration) exactly as the application does', async () => {
    const [row] = await dataSource.query(`SELECT sha256(convert_to('INSTAGRAM:' || 'ines.eats', 'UTF8')) AS h`);
    expect(Buffer.compare(row.h, handleHash('INSTAGRAM', '@Ines.Eats'))).toBe(0);
  });
});

describe('hotTransaction with prepared statements', () => {
  let dataSource: DataSource;
  beforeAll(async () => {
    // One pooled connection, so every transaction below runs on the same one.
    dataSource = await createDataSource(process.env.DATABASE_URL!, 1).initialize();
  });
  afterAll(() => dataSource.destroy());

  const add = new PreparedSql('test_hot_add', ['int', 'int'], 'SELECT $1 + $2 AS sum');
  const preparedCount = () =>
    hotTransaction(dataSource, [add], add.execute(1, 2), async ([row], tx) => {
      const [{ n }] = await tx.manager.query(`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name = 'test_hot_add'`);
      return { sum: row.sum as number, n: n as number };
    });

  it('prepares a statement once per connection, runs it with BEGIN, and checks its values', async () => {
    expect(await preparedCount()).toEqual({ sum: 3, n: 1 });
    expect(await preparedCount()).toEqual({ sum: 3, n: 1 });
    expect(() => add.execute(1)).toThrow('test_hot_add takes 2 values, not 1');
  });

  it('prepares again on a new connection, and takes a statement prepared behind its back', async () => {
    const other = await createDataSource(process.env.DATABASE_URL!, 1).initialize();
    try {
      await other.query(`PREPARE test_hot_add (int, int) AS SELECT $1 + $2 AS sum`);
      expect(await hotTransaction(other, [add], add.execute(2, 2), async ([row]) => row.sum)).toBe(4);
    } finally {
      await other.destroy();
    }
    expect(await preparedCount()).toEqual({ sum: 3, n: 1 });
  });

  it('prepares every statement a transaction names in one message, and each one still when one was prepared behind its back', async () => {
    const times = new PreparedSql('test_hot_times', ['int', 'int'], 'SELECT $1 * $2 AS product');
    const minus = new PreparedSql('test_hot_minus', ['int', 'int'], 'SELECT $1 - $2 AS difference');
    const run = (ds: DataSource) =>
      hotTransaction(ds, [add, times, minus], times.execute(6, 7), async ([row], tx) => {
        const names = await tx.manager.query(`SELECT name FROM pg_prepared_statements WHERE name LIKE 'test_hot_%' ORDER BY name`);
        const [{ difference }] = await tx.finish(minus.execute(7, 6));
        return { product: row.product, difference, names: names.map((r: { name: string }) => r.name) };
      });
    const answer = { product: 42, difference: 1, names: ['test_hot_add', 'test_hot_minus', 'test_hot_times'] };
    const sent = jest.spyOn(Client.prototype, 'query');
    const prepares = () => sent.mock.calls.filter(([text]) => typeof text === 'string' && text.startsWith('PREPARE')).map(([text]) => text);
    for (const behindItsBack of [false, true]) {
      const other = await createDataSource(process.env.DATABASE_URL!, 1).initialize();
      try {
        if (behindItsBack) await other.query(`PREPARE test_hot_minus (int, int) AS SELECT $1 - $2 AS difference`);
        sent.mockClear();
        expect(await run(other)).toEqual(answer);
        // One message for the three; after a clash, the three once more, one at a time.
        expect(prepares().length).toBe(behindItsBack ? 4 : 1);
        expect(prepares()[0]).toMatch(/^PREPARE test_hot_add .*; PREPARE test_hot_times .*; PREPARE test_hot_minus /s);
        sent.mockClear();
        expect(await run(other)).toEqual(answer);
        expect(prepares()).toEqual([]);
      } finally {
        await other.destroy();
      }
    }
    sent.mockRestore();
  });

  it('rolls back a transaction whose callback fails', async () => {
    await dataSource.query(`CREATE TEMP TABLE IF NOT EXISTS hot_t (v int)`);
    await expect(
      hotTransaction(dataSource, [add], `INSERT INTO hot_t VALUES (1)`, async () => {
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect((await dataSource.query(`SELECT count(*)::int AS n FROM hot_t`))[0].n).toBe(0);
  });
});
