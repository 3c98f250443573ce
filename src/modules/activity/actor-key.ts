import { createHash } from 'node:crypto';

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
