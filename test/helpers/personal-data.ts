import type { DataSource } from 'typeorm';
import { handleHash } from '../../src/modules/activity/actor-key';

/** What identifies a person across the database, the export and Redis. */
export interface Identity {
  userId: string;
  influencerId: string;
  email: string;
  name: string;
  handles: { readonly X: string; readonly INSTAGRAM: string };
  /** Prefix of the network ids of their posts and of interactions with them. */
  activityIds: string;
  idempotencyKey: string;
}

/**
 * Every value that identifies the person, by label, lower case. The handle hashes are the actors'
 * keys (anyone who knows a handle can compute them), searched as the hex that bytea prints.
 */
export function identifyingValues(who: Identity): Record<string, string> {
  return {
    'user id': who.userId,
    'influencer id': who.influencerId,
    email: who.email.toLowerCase(),
    'display name': who.name.toLowerCase(),
    'X handle': who.handles.X.toLowerCase(),
    'Instagram handle': who.handles.INSTAGRAM.toLowerCase(),
    'X handle hash': handleHash('X', who.handles.X).toString('hex'),
    'Instagram handle hash': handleHash('INSTAGRAM', who.handles.INSTAGRAM).toString('hex'),
    'network ids of their activity': who.activityIds.toLowerCase(),
    'idempotency key': who.idempotencyKey.toLowerCase(),
  };
}

/** Every table of the database (partitions and every run's snapshot tables included, whatever their schema), quoted. */
export async function everyTable(dataSource: DataSource): Promise<string[]> {
  const tables: Array<{ name: string }> = await dataSource.query(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
     ORDER BY 1`,
  );
  return tables.map((t) => t.name);
}
