import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/** Handles are compared case-insensitively and without a leading "@". */
export function normalizeHandle(handle: string): string {
  return handle.trim().replace(/^@/, '').toLowerCase();
}

export const HANDLE_PATTERN = /^@?[A-Za-z0-9_.-]{1,64}$/;

/** The actor's key: SHA-256 of "NETWORK:handle" (the migration computes the same in SQL). */
export function handleHash(network: string, handle: string): Buffer {
  return createHash('sha256')
    .update(`${network}:${normalizeHandle(handle)}`)
    .digest();
}

/** Ensures actors for the given (network, hash) keys and returns nothing: callers join on the keys. */
export async function ensureActors(manager: EntityManager, networks: string[], hashes: Buffer[]): Promise<void> {
  // Sorted so concurrent batches take the unique-index locks in the same order (no deadlocks).
  await manager.query(
    `INSERT INTO actors (network, handle_hash)
     SELECT DISTINCT n, h FROM unnest($1::network[], $2::bytea[]) AS k(n, h) ORDER BY n, h
     ON CONFLICT DO NOTHING`,
    [networks, hashes],
  );
}
