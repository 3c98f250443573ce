import type { EntityManager } from 'typeorm';
import type { Network } from './network';
import { VerificationMethod } from './social-account.entity';

/**
 * Who owns an account: the rules every path that changes a link's verification state follows
 * (connecting, a connector's bio proof, an operator's check). They run inside the caller's
 * transaction (an ingest batch, a connection), like ensureActors.
 *
 * An account has at most one VERIFIED link (a partial unique index). Any number of influencers may
 * hold PENDING links to it, so a squatter cannot block the owner; the first proof wins, and every
 * other link to the account becomes REVOKED in the same transaction.
 */

export interface AccountKey {
  network: Network | string;
  /** Normalised. */
  handle: string;
}

export interface BioProof extends AccountKey {
  /** A verification code found in the account's bio. */
  code: string;
}

/**
 * Serialises changes of ownership per account: connecting (which checks that nobody else owns the
 * account) and verifying take the account's transaction-scoped lock, in one order (no deadlocks).
 */
export async function lockAccounts(manager: EntityManager, accounts: AccountKey[]): Promise<void> {
  if (!accounts.length) return;
  await manager.query(
    `SELECT count(pg_advisory_xact_lock(hashtextextended('account:' || k.n || ':' || k.h, 0)))
     FROM (SELECT DISTINCT n, h FROM unnest($1::text[], $2::text[]) AS u(n, h) ORDER BY n, h) k`,
    [accounts.map((a) => a.network), accounts.map((a) => a.handle)],
  );
}

/**
 * Links (ids) become VERIFIED by `method`, and every other link to the same accounts REVOKED.
 * Callers hold the accounts' locks and pass at most one link per account. A link VERIFIED already
 * stays as it was.
 */
export async function makeOwners(manager: EntityManager, linkIds: string[], method: VerificationMethod): Promise<void> {
  if (!linkIds.length) return;
  // Others first: the partial unique index admits one VERIFIED link per account at every moment.
  await manager.query(
    `UPDATE social_accounts sa
     SET status = 'REVOKED', verification_code = NULL, verified_at = NULL, verification_method = NULL, updated_at = now()
     FROM social_accounts owner
     WHERE owner.id = ANY($1::uuid[]) AND sa.network = owner.network AND sa.handle = owner.handle
       AND sa.id <> owner.id AND sa.status <> 'REVOKED'`,
    [linkIds],
  );
  await manager.query(
    `UPDATE social_accounts
     SET status = 'VERIFIED', verification_code = NULL, verified_at = now(), verification_method = $2, updated_at = now()
     WHERE id = ANY($1::uuid[]) AND status <> 'VERIFIED'`,
    [linkIds, method],
  );
}

const PENDING_MATCHES = `
  SELECT DISTINCT ON (sa.network, sa.handle) sa.id, sa.network::text AS network, sa.handle
  FROM unnest($1::network[], $2::text[], $3::text[]) AS p(network, handle, code)
  JOIN social_accounts sa ON sa.network = p.network AND sa.handle = p.handle AND sa.verification_code = p.code
  WHERE sa.status = 'PENDING'
  ORDER BY sa.network, sa.handle, sa.created_at, sa.id`;

/**
 * A connector saw these codes in these accounts' bios: each PENDING link whose code it is becomes
 * VERIFIED (method BIO). Should one bio hold the codes of two links, the older link wins. Returns
 * how many links were verified.
 */
export async function verifyByBio(manager: EntityManager, proofs: BioProof[]): Promise<number> {
  if (!proofs.length) return 0;
  const params = [proofs.map((p) => p.network), proofs.map((p) => p.handle), proofs.map((p) => p.code)];
  // Most bios name no pending link: look without locks first, then again under the accounts' locks.
  const seen: Array<{ id: string; network: string; handle: string }> = await manager.query(PENDING_MATCHES, params);
  if (!seen.length) return 0;
  await lockAccounts(manager, seen);
  const matches: Array<{ id: string }> = await manager.query(PENDING_MATCHES, params);
  await makeOwners(
    manager,
    matches.map((m) => m.id),
    VerificationMethod.BIO,
  );
  return matches.length;
}
