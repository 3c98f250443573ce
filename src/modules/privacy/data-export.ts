import type { DataSource, EntityManager } from 'typeorm';
import { notFound } from '../../core/errors';
import { CurrentRunCache } from '../scoring/current-run';
import { ScoreReader } from '../scoring/score-reader';

/** The export's shape; a client can tell versions apart. */
export const EXPORT_FORMAT = { format: 'perks.data-export', version: 1 } as const;

type Json = Record<string, unknown>;

/**
 * Everything held about one influencer, as one JSON document (GDPR articles 15 and 20): account,
 * profile, social accounts (with what connectors saw of the proven ones, and the graph node each
 * handle is keyed by), their proven accounts' posts and the interactions with them, every score
 * row kept (current and history, opted in or out) with topic scores, the latest explanation,
 * offers, claims (codes included: they are theirs), idempotency records of their claims, the
 * webhook events that named them to a brand, and their inbox (notifications, its settings and the e-mails sent of it).
 *
 * Never in it: the password hash, API keys, verification codes of other people's links, and
 * anything that identifies another person (the engagers of the explanation keep their network,
 * counts and credibility but lose their handle and name; the other side of an interaction is left
 * out). The reads happen in one REPEATABLE READ transaction, so the document is one consistent
 * picture even while a claim lands; the explanation (computed from the current run like the API's)
 * is read beside it.
 */
export class DataExportService {
  constructor(private readonly dataSource: DataSource) {}

  async exportMyData(userId: string): Promise<Json> {
    return this.dataSource.transaction('REPEATABLE READ', async (db) => {
      const one = async (sql: string, params: unknown[]): Promise<any> => (await db.query(sql, params))[0]?.v ?? null;
      const list = async (sql: string, params: unknown[]): Promise<Json[]> => (await one(sql, params)) ?? [];

      const user = await one(
        `SELECT jsonb_build_object('id', id, 'email', email, 'name', name, 'role', role, 'createdAt', created_at, 'updatedAt', updated_at) AS v
         FROM users WHERE id = $1`,
        [userId],
      );
      const profile = await one(
        `SELECT jsonb_build_object('id', id, 'displayName', display_name, 'country', country, 'language', language,
                  'optedIn', opted_in_at IS NOT NULL, 'optedInAt', opted_in_at, 'optedOutAt', opted_out_at,
                  'createdAt', created_at, 'updatedAt', updated_at) AS v
         FROM influencers WHERE user_id = $1`,
        [userId],
      );
      if (!user || !profile) throw notFound('Influencer profile');
      const id = profile.id as string;

      const socialAccounts = await list(
        `SELECT jsonb_agg(jsonb_build_object(
                  'id', sa.id, 'network', sa.network, 'handle', sa.handle,
                  'declared', jsonb_build_object('followers', sa.followers, 'following', sa.following,
                                                 'accountCreatedAt', sa.account_created_at, 'verified', sa.verified),
                  'status', sa.status, 'verificationCode', sa.verification_code, 'verifiedAt', sa.verified_at,
                  'verificationMethod', sa.verification_method, 'createdAt', sa.created_at, 'updatedAt', sa.updated_at,
                  'graphNode', CASE WHEN a.id IS NULL THEN NULL
                                    ELSE jsonb_build_object('id', a.id, 'handleSha256', encode(a.handle_hash, 'hex')) END,
                  'seenByConnectors', CASE WHEN sa.status = 'VERIFIED' AND s.actor_id IS NOT NULL THEN jsonb_build_object(
                                        'followers', s.followers, 'following', s.following, 'posts', s.posts,
                                        'accountCreatedAt', s.account_created_at, 'verified', s.verified, 'observedAt', s.observed_at) END)
                ORDER BY sa.network, sa.handle) AS v
         FROM social_accounts sa LEFT JOIN actors a ON a.id = sa.actor_id LEFT JOIN account_snapshots s ON s.actor_id = sa.actor_id
         WHERE sa.influencer_id = $1`,
        [id],
      );

      // Activity of the accounts proven theirs only: a handle nobody proved may be someone else's.
      const proven = `SELECT actor_id FROM social_accounts WHERE influencer_id = $1 AND status = 'VERIFIED' AND actor_id IS NOT NULL`;
      const posts = await list(
        `SELECT jsonb_agg(jsonb_build_object('network', p.network, 'externalId', p.external_id, 'postedAt', p.posted_at,
                  'topics', ARRAY(SELECT slug FROM topics WHERE id = ANY(p.topic_ids) ORDER BY slug)) ORDER BY p.posted_at, p.id) AS v
         FROM posts p WHERE p.author_id IN (${proven})`,
        [id],
      );
      const interactions = await list(
        `SELECT jsonb_agg(jsonb_build_object('network', i.network, 'externalId', i.external_id,
                  'kind', (ARRAY['RESHARE', 'REPLY', 'MENTION', 'LIKE'])[i.kind],
                  'direction', CASE WHEN i.target_id IN (${proven}) THEN 'TO_YOU' ELSE 'BY_YOU' END,
                  'postExternalId', p.external_id, 'occurredAt', i.occurred_at) ORDER BY i.occurred_at, i.id) AS v
         FROM interactions i LEFT JOIN posts p ON p.id = i.post_id
         WHERE i.target_id IN (${proven}) OR i.actor_id IN (${proven})`,
        [id],
      );

      // Every score row kept, whichever run wrote it, with that run's topic scores.
      const scoreHistory = await list(
        `SELECT jsonb_agg(jsonb_build_object(
                  'runId', s.run_id, 'runDate', to_char(r.run_date, 'YYYY-MM-DD'), 'current', r.is_current,
                  'score', s.score, 'reach', s.reach, 'amplification', s.amplification, 'authority', s.authority,
                  'reachRaw', s.reach_raw, 'amplificationRaw', s.amplification_raw, 'authorityRaw', s.authority_raw,
                  'engagers', s.engagers, 'reactions', s.reactions, 'posts', s.posts, 'audienceQuality', s.audience_quality,
                  'credibleEngagers', s.credible_engagers, 'confidence', s.confidence,
                  'topics', (SELECT coalesce(jsonb_agg(jsonb_build_object('topic', tp.slug, 'score', ts.score, 'engagement', ts.engagement)
                                                       ORDER BY tp.slug), '[]'::jsonb)
                             FROM influencer_topic_scores ts JOIN topics tp ON tp.id = ts.topic_id
                             WHERE ts.run_id = s.run_id AND ts.influencer_id = s.influencer_id))
                ORDER BY r.run_date, s.run_id) AS v
         FROM influencer_scores s JOIN score_runs r ON r.id = s.run_id WHERE s.influencer_id = $1`,
        [id],
      );
      const explanation = await new ScoreReader(this.dataSource, new CurrentRunCache(this.dataSource, 0), true).explanation(id);
      if (explanation) {
        for (const engager of explanation.topEngagers) Object.assign(engager, { handle: null, displayName: null });
      }

      const offers = await list(
        `SELECT jsonb_agg(jsonb_build_object('id', o.id, 'status', o.status, 'offeredAt', o.offered_at, 'expiresAt', o.expires_at,
                  'closedAt', o.closed_at, 'priority', o.priority,
                  'campaign', jsonb_build_object('id', c.id, 'name', c.name, 'brand', b.name, 'perk', jsonb_build_object(
                    'title', c.perk_title, 'description', c.perk_description, 'kind', c.perk_kind,
                    'valueCents', c.perk_value_cents, 'currency', c.perk_currency)))
                ORDER BY o.offered_at, o.id) AS v
         FROM offers o JOIN campaigns c ON c.id = o.campaign_id JOIN organizations b ON b.id = c.brand_id
         WHERE o.influencer_id = $1`,
        [id],
      );
      const claims = await list(
        `SELECT jsonb_agg(jsonb_build_object('id', k.id, 'offerId', k.offer_id, 'campaignId', k.campaign_id, 'code', k.code,
                  'status', k.status, 'claimedAt', k.claimed_at, 'redeemedAt', k.redeemed_at, 'cancelledAt', k.cancelled_at)
                ORDER BY k.claimed_at, k.id) AS v
         FROM claims k WHERE k.influencer_id = $1`,
        [id],
      );
      const claimRequests = await list(
        `SELECT jsonb_agg(jsonb_build_object('idempotencyKey', idempotency_key, 'offerId', offer_id, 'answer', result, 'createdAt', created_at)
                ORDER BY created_at, idempotency_key) AS v
         FROM claim_requests WHERE influencer_id = $1`,
        [id],
      );
      // What brands were told about them (claim and offer events name the influencer id).
      const sharedWithBrands = await list(
        `SELECT jsonb_agg(jsonb_build_object('eventId', e.id, 'type', e.type, 'brand', b.name, 'createdAt', e.created_at,
                  'data', e.data - 'brandId') ORDER BY e.seq) AS v
         FROM webhook_events e JOIN organizations b ON b.id = e.brand_id WHERE e.data->>'influencerId' = $1::text`,
        [id],
      );

      return {
        ...EXPORT_FORMAT,
        exportedAt: new Date().toISOString(),
        user,
        profile,
        socialAccounts,
        activity: { posts, interactions },
        scores: { history: scoreHistory, explanation: explanation ? JSON.parse(JSON.stringify(explanation)) : null },
        offers,
        claims,
        claimRequests,
        sharedWithBrands,
        notifications: await this.notifications(db, id),
      };
    });
  }

  /**
   * The person's inbox: every notification, oldest first, the settings they changed, and the
   * e-mails (digests) made for them with the notifications each carried.
   */
  private async notifications(db: EntityManager, influencerId: string): Promise<Json> {
    const [row] = await db.query(
      `SELECT coalesce((SELECT jsonb_agg(to_jsonb(n) ORDER BY n.id) FROM notifications n WHERE n.influencer_id = $1), '[]') AS items,
              coalesce((SELECT jsonb_agg(to_jsonb(p)) FROM notification_preferences p WHERE p.influencer_id = $1), '[]') AS preferences,
              coalesce((SELECT jsonb_agg(jsonb_build_object('id', m.id, 'status', m.status, 'attempts', m.attempts, 'lastError', m.last_error,
                                 'createdAt', m.created_at, 'finishedAt', m.finished_at,
                                 'notificationIds', (SELECT coalesce(jsonb_agg(e.notification_id ORDER BY e.notification_id), '[]')
                                                     FROM notification_emails e WHERE e.message_id = m.id))
                                 ORDER BY m.created_at, m.id)
                        FROM email_messages m WHERE m.influencer_id = $1), '[]') AS emails`,
      [influencerId],
    );
    return { items: row.items, preferences: row.preferences, emails: row.emails };
  }
}
