import type { DataSource } from 'typeorm';
import { createDataSource } from '../../ormconfig';
import { loadEnv } from '../../src/core/env';
import { readInstanceId } from '../../src/core/instance';
import { logger } from '../../src/core/logger';
import { verifyPassword } from '../../src/modules/accounts/password';
import { createServices, type Services } from '../../src/modules/services';
import { unusedQueues } from '../../src/core/queues';

describe('the operator account from ADMIN_EMAIL / ADMIN_PASSWORD', () => {
  let dataSource: DataSource;
  let services: Services;
  const email = `ops-${Date.now()}@test.perks`;
  const row = async () => (await dataSource.query('SELECT role, password_hash FROM users WHERE email = $1', [email]))[0];

  beforeAll(async () => {
    dataSource = await createDataSource(process.env.DATABASE_URL!, 4).initialize();
    services = createServices(dataSource, loadEnv(), unusedQueues(), await readInstanceId(dataSource));
  });
  afterAll(() => dataSource.destroy());

  it('is created once, even by several processes booting together', async () => {
    await Promise.all(
      Array.from({ length: 4 }, () => services.accounts.ensureAdmin(email.toUpperCase(), 'first-admin-password', logger())),
    );
    const { count } = (await dataSource.query('SELECT count(*)::int AS count FROM users WHERE email = $1', [email]))[0];
    expect(count).toBe(1);
    expect((await row()).role).toBe('ADMIN');
  });

  it('takes a new ADMIN_PASSWORD at the next boot and keeps the hash otherwise', async () => {
    const before = (await row()).password_hash;
    await services.accounts.ensureAdmin(email, 'first-admin-password', logger());
    expect((await row()).password_hash).toBe(before);
    await services.accounts.ensureAdmin(email, 'second-admin-password', logger());
    const after = await row();
    expect(await verifyPassword('second-admin-password', after.password_hash)).toBe(true);
    expect(await verifyPassword('first-admin-password', after.password_hash)).toBe(false);
  });

  it('promotes an existing account that ADMIN_EMAIL now names', async () => {
    await dataSource.query(`UPDATE users SET role = 'BRAND' WHERE email = $1`, [email]);
    await services.accounts.ensureAdmin(email, 'second-admin-password', logger());
    expect((await row()).role).toBe('ADMIN');
  });
});
