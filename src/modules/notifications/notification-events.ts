import { registerEnumType } from 'type-graphql';

/** What an influencer is told about. Stored as the enum `notification_kind`. */
export enum NotificationKind {
  OFFER_NEW = 'OFFER_NEW',
  OFFER_EXPIRING = 'OFFER_EXPIRING',
  OFFER_WITHDRAWN = 'OFFER_WITHDRAWN',
  CLAIM_CANCELLED = 'CLAIM_CANCELLED',
  CLAIM_REDEEMED = 'CLAIM_REDEEMED',
  SCORE_CHANGED = 'SCORE_CHANGED',
}
registerEnumType(NotificationKind, {
  name: 'NotificationKind',
  description:
    'OFFER_NEW, OFFER_EXPIRING (within 24 h), OFFER_WITHDRAWN (no longer eligible, or the campaign is over), CLAIM_CANCELLED ' +
    '(by the brand), CLAIM_REDEEMED, SCORE_CHANGED (by 5 points or more since the previous run)',
});

/** The kinds in the order lists show them. */
export const NOTIFICATION_KINDS = Object.values(NotificationKind);

/**
 * Each kind's setting for a person who never changed it (no row in notification_preferences).
 * In-app is on for every kind; e-mail is off until the person asks for it (only MAILED_KINDS
 * are ever mailed: see email.service.ts).
 */
export const DEFAULT_PREFERENCES: Record<NotificationKind, { inApp: boolean; email: boolean }> = {
  OFFER_NEW: { inApp: true, email: false },
  OFFER_EXPIRING: { inApp: true, email: false },
  OFFER_WITHDRAWN: { inApp: true, email: false },
  CLAIM_CANCELLED: { inApp: true, email: false },
  CLAIM_REDEEMED: { inApp: true, email: false },
  SCORE_CHANGED: { inApp: true, email: false },
};

/** The kinds the e-mail digest carries; the others stay in the inbox whatever the e-mail flag says. */
export const MAILED_KINDS: readonly NotificationKind[] = [NotificationKind.OFFER_NEW, NotificationKind.OFFER_EXPIRING];

/** A score move of at least this many points (either way) between two runs is notified. */
export const SCORE_CHANGE_THRESHOLD = 5;

/** Whether `influencerId` (SQL) wants `kind` in the inbox: their row, or the kind's default. */
export function inAppWantedSql(influencerId: string, kind: NotificationKind): string {
  const row = `SELECT 1 FROM notification_preferences np WHERE np.influencer_id = ${influencerId} AND np.kind = '${kind}'`;
  return DEFAULT_PREFERENCES[kind].inApp ? `NOT EXISTS (${row} AND NOT np.in_app)` : `EXISTS (${row} AND np.in_app)`;
}

/** One kind of notification a statement writes: `rows` is a SELECT of `influencer_id` (uuid) and `data` (jsonb). */
export interface NotificationSource {
  kind: NotificationKind;
  rows: string;
}

/**
 * A CTE (to append to a statement's WITH list, after the CTEs its sources read) that writes the
 * notifications in the statement's own transaction: one per source row, unless the person
 * switched the kind off in the inbox. Data-modifying CTEs see the snapshot before the statement,
 * so sources read what the statement changed through the RETURNING of its CTEs. Rows go in in
 * influencer order: the (influencer_id, id) index then takes the matcher's hundred thousand
 * entries in key order rather than scattered (measured about 10% faster at that size). Defines
 * `${name} (id)`: the ids written, in order (what a live feed would follow).
 */
export function notificationsCte(name: string, sources: NotificationSource[]): string {
  const union = sources
    .map((s) => `SELECT '${s.kind}'::notification_kind AS kind, src.influencer_id, src.data FROM (${s.rows}) src`)
    .join(' UNION ALL ');
  const wanted = sources.map((s) => `(n.kind = '${s.kind}' AND ${inAppWantedSql('n.influencer_id', s.kind)})`).join(' OR ');
  return `${name} AS (
     INSERT INTO notifications (influencer_id, kind, data)
     SELECT n.influencer_id, n.kind, n.data FROM (${union}) n
     WHERE ${wanted}
     ORDER BY n.influencer_id
     RETURNING id)`;
}

/** The short facts of an offer notification; `o` is a row of offers (or RETURNING), `k` its campaign. */
export function offerFactsSql(o: string, k: string, extra: Record<string, string> = {}): string {
  const more = Object.entries(extra)
    .map(([key, value]) => `, '${key}', ${value}`)
    .join('');
  return `jsonb_build_object('offerId', ${o}.id, 'campaignId', ${k}.id, 'campaignName', ${k}.name, 'perkTitle', ${k}.perk_title,
            'expiresAt', ${o}.expires_at${more})`;
}

/** The short facts of a claim notification; `c` is a row of claims (or RETURNING), `k` its campaign. */
export function claimFactsSql(c: string, k: string): string {
  return `jsonb_build_object('claimId', ${c}.id, 'offerId', ${c}.offer_id, 'campaignId', ${k}.id, 'campaignName', ${k}.name,
            'perkTitle', ${k}.perk_title)`;
}

/** Only people who still have a profile are told (an erased person's claims carry a stand-in id). */
export const hasProfileSql = (influencerId: string) => `EXISTS (SELECT 1 FROM influencers inf WHERE inf.id = ${influencerId})`;
