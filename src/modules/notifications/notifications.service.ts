import type { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor, isBigintText, toConnection } from '../../core/connection';
import { badInput, notFound } from '../../core/errors';
import { movedBy, scoreDelta, type ScoreFigures } from '../scoring/score-reader';
import type { LiveNotification } from './live-feed';
import { DEFAULT_PREFERENCES, NOTIFICATION_KINDS, NotificationKind } from './notification-events';
import {
  MarkNotificationsReadPayload,
  Notification,
  NotificationConnection,
  NotificationPreference,
  type NotificationPreferenceInput,
} from './notifications.types';

interface NotificationRow {
  id: string;
  kind: NotificationKind;
  data: NotificationData;
  created_at: Date;
  read_at: Date | null;
}

/** What the statements that write notifications put in `data` (notification-events.ts, scoring.service.ts). */
interface NotificationData {
  offerId?: string;
  claimId?: string;
  campaignId?: string;
  campaignName?: string;
  perkTitle?: string;
  expiresAt?: string;
  reason?: string;
  runDate?: string;
  previousRunDate?: string;
  scoreBefore?: number;
  scoreAfter?: number;
  before?: ScoreFigures;
  after?: ScoreFigures;
}

const MAX_IDS = 100;

/** The inbox's one sentence per notification. */
function messageOf(kind: NotificationKind, d: NotificationData, reason: string | null): string {
  const perk = `"${d.perkTitle}" (${d.campaignName})`;
  switch (kind) {
    case NotificationKind.OFFER_NEW:
      return `New offer: ${perk}, open until ${d.expiresAt}`;
    case NotificationKind.OFFER_EXPIRING:
      return `Your offer of ${perk} expires at ${d.expiresAt}: claim it before then`;
    case NotificationKind.OFFER_WITHDRAWN:
      return d.reason === 'CAMPAIGN_OVER'
        ? `Your offer of ${perk} was withdrawn: the campaign is over`
        : `Your offer of ${perk} was withdrawn: you no longer meet the campaign's targeting`;
    case NotificationKind.CLAIM_CANCELLED:
      return `The brand cancelled your claim of ${perk}`;
    case NotificationKind.CLAIM_REDEEMED:
      return `Your claim of ${perk} was redeemed`;
    case NotificationKind.SCORE_CHANGED: {
      const change = d.scoreAfter! - d.scoreBefore!;
      return `Your score went ${change > 0 ? 'up' : 'down'} ${Math.abs(change)}, from ${d.scoreBefore} to ${d.scoreAfter}, since ${d.previousRunDate}: ${reason}`;
    }
  }
}

/** A stored row as the GraphQL type. The reason of a score change is worded by the explanation's own function. */
export function toNotification(row: NotificationRow): Notification {
  const d = row.data;
  const reason =
    row.kind === NotificationKind.SCORE_CHANGED && d.before && d.after
      ? movedBy(scoreDelta(d.previousRunDate!, d.after, d.before))
      : (d.reason ?? null);
  return Object.assign(new Notification(), {
    id: row.id,
    kind: row.kind,
    message: messageOf(row.kind, d, reason),
    createdAt: row.created_at,
    readAt: row.read_at,
    offerId: d.offerId ?? null,
    claimId: d.claimId ?? null,
    campaignId: d.campaignId ?? null,
    campaignName: d.campaignName ?? null,
    perkTitle: d.perkTitle ?? null,
    expiresAt: d.expiresAt ? new Date(d.expiresAt) : null,
    scoreBefore: d.scoreBefore ?? null,
    scoreAfter: d.scoreAfter ?? null,
    reason,
  });
}

/** A notification as the relay published it (notification-relay.ts), as the GraphQL type. */
export function liveNotification(n: LiveNotification): Notification {
  return toNotification({
    id: n.id,
    kind: n.kind,
    data: n.data as NotificationData,
    created_at: new Date(n.createdAt),
    read_at: n.readAt === null ? null : new Date(n.readAt),
  });
}

/**
 * The influencer's inbox. Notifications are written by the statements that make the changes
 * (matching, claims, scoring: see notification-events.ts); this reads them, marks them read and
 * keeps the person's preferences. Everything is the caller's own: the user's influencer profile
 * (opted in or not: an opted-out person still reads what they were told).
 */
export class NotificationsService {
  constructor(private readonly dataSource: DataSource) {}

  private async influencerId(userId: string): Promise<string> {
    const [row] = await this.dataSource.query(`SELECT id FROM influencers WHERE user_id = $1`, [userId]);
    if (!row) throw notFound('Influencer profile');
    return row.id;
  }

  /** Newest first, in keyset pages on the id (a sequence: exact, unlike a timestamp at millisecond precision). */
  async list(userId: string, args: { unreadOnly: boolean; first: number; after?: string }): Promise<NotificationConnection> {
    const influencerId = await this.influencerId(userId);
    const unread = args.unreadOnly ? 'AND read_at IS NULL' : '';
    const params: unknown[] = [influencerId, args.first + 1];
    let before = '';
    if (args.after) {
      const [id] = decodeCursor(args.after, ['bigint'] as const);
      params.push(id);
      before = 'AND id < $3::bigint';
    }
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query(
        `SELECT id, kind, data, created_at, read_at FROM notifications
         WHERE influencer_id = $1 ${unread} ${before} ORDER BY id DESC LIMIT $2`,
        params,
      ) as Promise<NotificationRow[]>,
      this.dataSource.query(`SELECT count(*)::int AS total FROM notifications WHERE influencer_id = $1 ${unread}`, [influencerId]),
    ]);
    return toConnection(
      new NotificationConnection(),
      rows.map(toNotification),
      args.first,
      total,
      (n) => encodeCursor([n.id]),
      Boolean(args.after),
    );
  }

  /** A count over the person's rows of (influencer_id, id), read_at checked on the heap: an inbox is small. */
  async unreadCount(userId: string): Promise<number> {
    const influencerId = await this.influencerId(userId);
    return this.countUnread(influencerId);
  }

  private async countUnread(influencerId: string): Promise<number> {
    const [{ n }] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM notifications WHERE influencer_id = $1 AND read_at IS NULL`,
      [influencerId],
    );
    return n;
  }

  /**
   * Marks the person's own notifications read. Ids that are not theirs, unknown, malformed or
   * already read are ignored (answering NOT_FOUND for another person's id would tell that it exists).
   */
  async markRead(userId: string, ids: string[]): Promise<MarkNotificationsReadPayload> {
    if (ids.length === 0 || ids.length > MAX_IDS) throw badInput(`ids must name 1 to ${MAX_IDS} notifications`, 'ids');
    const influencerId = await this.influencerId(userId);
    const wellFormed = [...new Set(ids.filter(isBigintText))];
    const [{ marked }] = await this.dataSource.query(
      `WITH u AS (UPDATE notifications SET read_at = now()
                  WHERE influencer_id = $1 AND id = ANY($2::bigint[]) AND read_at IS NULL RETURNING 1)
       SELECT count(*)::int AS marked FROM u`,
      [influencerId, wellFormed],
    );
    return Object.assign(new MarkNotificationsReadPayload(), { marked, unreadCount: await this.countUnread(influencerId) });
  }

  /** Every kind, the person's choice where they made one, else the default. */
  async preferences(userId: string): Promise<NotificationPreference[]> {
    return this.preferencesOf(await this.influencerId(userId));
  }

  private async preferencesOf(influencerId: string): Promise<NotificationPreference[]> {
    const rows: Array<{ kind: NotificationKind; in_app: boolean; email: boolean }> = await this.dataSource.query(
      `SELECT kind, in_app, email FROM notification_preferences WHERE influencer_id = $1`,
      [influencerId],
    );
    const chosen = new Map(rows.map((r) => [r.kind, r]));
    return NOTIFICATION_KINDS.map((kind) => {
      const row = chosen.get(kind);
      return Object.assign(new NotificationPreference(), {
        kind,
        inApp: row ? row.in_app : DEFAULT_PREFERENCES[kind].inApp,
        email: row ? row.email : DEFAULT_PREFERENCES[kind].email,
      });
    });
  }

  /**
   * Changes the listed kinds (an omitted flag stays as it is), in one upsert; answers every kind.
   * A kind switched off in-app is not written from then on; what was written stays.
   */
  async updatePreferences(userId: string, input: NotificationPreferenceInput[]): Promise<NotificationPreference[]> {
    if (input.length === 0) throw badInput('input must name at least one kind', 'input');
    if (new Set(input.map((p) => p.kind)).size !== input.length) throw badInput('input must name each kind at most once', 'input');
    const influencerId = await this.influencerId(userId);
    await this.upsertPreferences(influencerId, input);
    return this.preferencesOf(influencerId);
  }

  /**
   * The one write of preferences (the API's and the unsubscribe link's): a row is written with the
   * defaults for the flags not given, or keeps its own. `email_since` moves only when e-mail goes
   * from off to on (the e-mail sweep mails what was written since), and is cleared when it goes off.
   * `input` names each kind at most once.
   */
  async upsertPreferences(influencerId: string, input: NotificationPreferenceInput[]): Promise<void> {
    const flag = (v: boolean | null | undefined) => (v === undefined || v === null ? null : v);
    const email = `coalesce((SELECT x.email FROM unnest($2::notification_kind[], $4::boolean[]) x(kind, email) WHERE x.kind = p.kind), p.email)`;
    await this.dataSource.query(
      `INSERT INTO notification_preferences AS p (influencer_id, kind, in_app, email, email_since)
       SELECT $1, u.kind, coalesce(u.in_app, u.default_in_app), coalesce(u.email, u.default_email),
              CASE WHEN coalesce(u.email, u.default_email) THEN now() END
       FROM unnest($2::notification_kind[], $3::boolean[], $4::boolean[], $5::boolean[], $6::boolean[])
            AS u(kind, in_app, email, default_in_app, default_email)
       ON CONFLICT (influencer_id, kind) DO UPDATE
         SET in_app = coalesce((SELECT x.in_app FROM unnest($2::notification_kind[], $3::boolean[]) x(kind, in_app) WHERE x.kind = p.kind), p.in_app),
             email = ${email},
             email_since = CASE WHEN NOT ${email} THEN NULL WHEN p.email THEN p.email_since ELSE now() END,
             updated_at = now()`,
      [
        influencerId,
        input.map((p) => p.kind),
        input.map((p) => flag(p.inApp)),
        input.map((p) => flag(p.email)),
        input.map((p) => DEFAULT_PREFERENCES[p.kind].inApp),
        input.map((p) => DEFAULT_PREFERENCES[p.kind].email),
      ],
    );
  }
}
