import type { DataSource } from 'typeorm';

/**
 * This database's instance id (a uuid drawn by migration InstanceId1795675000000). Job ids built
 * from database ids carry it, so a recreated database, or another deployment on the same Redis
 * prefix, never reuses an id BullMQ still holds. Read once at boot and handed to the services.
 */
export async function readInstanceId(dataSource: DataSource): Promise<string> {
  const rows: Array<{ id: string }> = await dataSource.query(`SELECT id FROM instance`);
  if (rows.length !== 1) throw new Error('the database has no instance id: run the migrations (npm run migration:run)');
  return rows[0].id;
}
