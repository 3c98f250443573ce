import type { DataSource, EntityManager } from 'typeorm';
import { ApiKeyScope, Role, scope, type Principal } from './context';
import { notFound } from './errors';

/**
 * Who may touch what, as SQL every module shares: the campaigns, the claims ledger, the claim-time
 * checks and the exports all ask the same questions and must get the same answers.
 */

/** Who may manage campaigns at all (`@Authorized` roles and key scopes); which campaigns: managedBrandsSql. */
export const CAMPAIGN_MANAGERS = [Role.ADMIN, Role.BRAND, Role.AGENCY, scope(ApiKeyScope.CAMPAIGNS)];

/**
 * The brands whose campaigns a principal manages, as a SQL subquery (null: every brand, for
 * operators). Brand members manage their brand; agency members and agency keys the brands that
 * granted their agency; CAMPAIGNS-scoped keys their organisation's.
 */
export function managedBrandsSql(principal: Principal, params: unknown[], keyScope = ApiKeyScope.CAMPAIGNS): string | null {
  if (principal.kind === 'user') {
    if (principal.role === Role.ADMIN) return null;
    params.push(principal.userId);
    const user = `$${params.length}::uuid`;
    return `SELECT m.organization_id FROM memberships m JOIN organizations o ON o.id = m.organization_id AND o.kind = 'BRAND' WHERE m.user_id = ${user}
            UNION SELECT ac.brand_id FROM memberships m JOIN agency_clients ac ON ac.agency_id = m.organization_id WHERE m.user_id = ${user}`;
  }
  if (!principal.scopes.includes(keyScope) || !principal.organizationId) return 'SELECT NULL::uuid WHERE false';
  params.push(principal.organizationId);
  const org = `$${params.length}::uuid`;
  return `SELECT ${org} UNION SELECT ac.brand_id FROM agency_clients ac WHERE ac.agency_id = ${org}`;
}

/**
 * The id of the user's influencer profile, opted in or out: for what stays theirs while opted out
 * (their offers, claims and codes, their data). Throws NOT_FOUND for a user without one.
 */
export async function influencerIdOfUser(db: DataSource | EntityManager, userId: string): Promise<string> {
  const [row] = await db.query(`SELECT id FROM influencers WHERE user_id = $1`, [userId]);
  if (!row) throw notFound('Influencer profile');
  return row.id;
}
