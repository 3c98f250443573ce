import type { DataSource, EntityManager } from 'typeorm';
import { influencerIdOfUser } from '../../core/access';
import { affectedRows } from '../../core/database';
import { decodeKeysetCursor, encodeCursor, pastTimestampCursorSql, toConnection } from '../../core/connection';
import { notFound } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { isUuid } from '../../core/ids';
import { OfferNotOpenError } from './matching.errors';
import { enqueue, type Queues } from '../../core/queues';
import { CampaignStatus } from '../campaigns/campaign.entity';
import type { LiveCampaign } from '../campaigns/campaigns.service';
import { ConditionCode, SqlParams, targetingReadsProfile, targetingSql, type Targeting } from '../campaigns/targeting';
import { snapshotTables } from '../scoring/score-run-writer';
import { OfferConnection, OfferState, OfferSummary, type CampaignStats } from './matching.types';
import {
  campaignBlock,
  campaignGateColumns,
  cappedInfluencersSql,
  noOfferReason,
  outstandingBlock,
  type CampaignGate,
} from './offer-rules';
import { offerDataSql, webhookEndpointsColumn, webhookEventsCte, WebhookEventType } from '../webhooks/webhook-events';
import type { WebhooksService } from '../webhooks/webhooks.service';
import { Offer, OfferStatus } from './offer.entity';
import { NotificationKind, notificationsCte, offerFactsSql } from '../notifications/notification-events';

/** offer.declined, from declineOffer's `u` (the offer as declined). */
const OFFER_DECLINED_WEBHOOKS = webhookEventsCte('wh', [
  {
    type: WebhookEventType.OFFER_DECLINED,
    rows: `SELECT k.brand_id, ${offerDataSql('u')} AS data FROM u JOIN campaigns k ON k.id = u.campaign_id`,
  },
]);

/** The campaign's facts a notification carries, as a FROM item `k` (`id` is a SQL expression). */
const campaignFacts = (id: string) => `(SELECT id, name, perk_title FROM campaigns WHERE id = ${id}) k`;

/**
 * An UPDATE of offers (to WITHDRAWN) that tells each influencer in the same statement; `where`
 * picks the offers (alias o), `reason` is NOT_ELIGIBLE or CAMPAIGN_OVER. Answers the count.
 */
function withdrawSql(where: string, reason: 'NOT_ELIGIBLE' | 'CAMPAIGN_OVER'): string {
  return `WITH w AS (UPDATE offers o SET status = 'WITHDRAWN', closed_at = now() WHERE ${where}
                     RETURNING o.id, o.campaign_id, o.influencer_id, o.expires_at),
   ${notificationsCte('notified', [
     {
       kind: NotificationKind.OFFER_WITHDRAWN,
       rows: `SELECT w.influencer_id, ${offerFactsSql('w', 'k', { reason: `'${reason}'` })} AS data FROM w CROSS JOIN ${campaignFacts('$1::uuid')}`,
     },
   ])}
   SELECT count(*)::int AS n FROM w`;
}

/** An open offer is "expiring" this long before it expires. */
export const EXPIRING_WITHIN_HOURS = 24;

/** Fair rotation looks back this far when counting an influencer's recent offers. */
export const ROTATION_DAYS = 30;

export interface MatchReport {
  offered: number;
  withdrawn: number;
  expired: number;
  skipped?: string;
}

interface CampaignRow extends CampaignGate {
  id: string;
  brand_id: string;
  targeting: Targeting;
  offer_lifetime_hours: number;
}

/**
 * The matcher. For one campaign, in one transaction under a per-campaign advisory lock (so two
 * runs for a campaign queue up instead of racing): expire offers past their lifetime, withdraw
 * open offers of influencers who no longer meet the targeting (or of a campaign that is over),
 * then offer the campaign to the best eligible influencers who have no offer yet, up to its cap
 * on outstanding offers: one INSERT ... SELECT over the current score snapshot.
 *
 * Priority = (score + best topic score on the targeted topics) / (1 + offers received in the
 * last 30 days): the best matches first, and people offered less lately ahead of equally good
 * people offered more.
 */
/**
 * The snapshot rows (alias `s`) of opted-in influencers who meet a targeting, as a FROM item with
 * its WHERE folded in. The influencers table is joined only when a condition reads the profile;
 * otherwise opted-out people are removed by an anti-join against the tiny opted-out index.
 */
function eligibleSnapshotRows(targeting: Targeting, tables: { scores: string; topics: string }, params: SqlParams): string {
  const predicate = targetingSql(targeting, { scores: 's', influencer: 'inf', topicScores: tables.topics, params });
  if (targetingReadsProfile(targeting)) {
    return `(SELECT s.* FROM ${tables.scores} s JOIN influencers inf ON inf.id = s.influencer_id
             WHERE inf.opted_in_at IS NOT NULL AND ${predicate}) s`;
  }
  return `(SELECT s.* FROM ${tables.scores} s
           WHERE NOT EXISTS (SELECT 1 FROM influencers inf WHERE inf.id = s.influencer_id AND inf.opted_in_at IS NULL)
             AND ${predicate}) s`;
}

/** A start job that finds its campaign not started yet waits this long at most before it sets a new timer. */
const START_WAIT_MAX_MS = 60_000;

export class MatchingService {
  /** `instanceId`: the database's (src/core/instance.ts), carried by job ids built from database ids. */
  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: Queues,
    private readonly instanceId: string,
    private readonly webhooks: WebhooksService,
  ) {}

  /**
   * After a change to a campaign (committed): matched now, or, for an active campaign whose
   * startsAt is ahead, at its start by a delayed job.
   */
  async matchWhenLive(campaign: LiveCampaign): Promise<void> {
    if (campaign.status === CampaignStatus.ACTIVE && campaign.startsAt.getTime() > Date.now()) {
      await this.scheduleStart(campaign.id, campaign.startsAt);
    } else {
      await this.requestMatch(campaign.id);
    }
  }

  /**
   * A delayed job that matches the campaign at startsAt. Its id names the campaign and the start,
   * so launching, pausing and launching again (or recovery) sets one timer, not several. `retry`
   * tells a new timer from the one that is running when a start job has to set another.
   */
  async scheduleStart(campaignId: string, startsAt: Date, retry = 0): Promise<void> {
    await enqueue(
      this.queues.matching,
      'start-campaign',
      { campaignId },
      {
        jobId: `start-campaign-${this.instanceId}-${campaignId}-${startsAt.getTime()}${retry ? `-${retry}` : ''}`,
        delay: Math.max(0, startsAt.getTime() - Date.now()),
      },
    );
  }

  /**
   * The start job: matches the campaign once the database's clock says it has started. A timer
   * that fires early (another process's clock) waits out a short remainder, or sets a new timer.
   */
  async startCampaign(campaignId: string, log?: Logger): Promise<MatchReport> {
    const [campaign]: Array<{ status: CampaignStatus; starts_at: Date; wait_ms: number }> = await this.dataSource.query(
      `SELECT status, starts_at, greatest(0, ceil(extract(epoch FROM starts_at - now()) * 1000))::float8 AS wait_ms FROM campaigns WHERE id = $1`,
      [campaignId],
    );
    if (!campaign) return { offered: 0, withdrawn: 0, expired: 0, skipped: 'no such campaign' };
    if (campaign.status === CampaignStatus.ACTIVE && campaign.wait_ms > 0) {
      if (campaign.wait_ms > START_WAIT_MAX_MS) {
        await this.scheduleStart(campaignId, campaign.starts_at, Date.now());
        return { offered: 0, withdrawn: 0, expired: 0, skipped: 'not started yet: timer set again' };
      }
      await new Promise((resolve) => setTimeout(resolve, campaign.wait_ms + 10));
    }
    return this.matchCampaign(campaignId, log);
  }

  /** Enqueues a match; triggers for one campaign coalesce (one running, at most one waiting). Call after commit. */
  async requestMatch(campaignId: string): Promise<void> {
    await enqueue(
      this.queues.matching,
      'match-campaign',
      { campaignId },
      { deduplication: { id: `match-${campaignId}`, keepLastIfActive: true } },
    );
  }

  /**
   * After a score run switched, and after Redis lost its jobs: every live campaign is matched
   * against the current snapshot, and every active one that has not started yet gets its start
   * timer (again: the job id makes that idempotent).
   */
  async matchAllActive(): Promise<number> {
    const rows: Array<{ id: string; status: CampaignStatus; starts_at: Date }> = await this.dataSource.query(
      `SELECT id, status, starts_at FROM campaigns WHERE status IN ('ACTIVE', 'SOLD_OUT')`,
    );
    for (const row of rows) await this.matchWhenLive({ id: row.id, status: row.status, startsAt: row.starts_at });
    return rows.length;
  }

  async matchCampaign(campaignId: string, log?: Logger): Promise<MatchReport> {
    const report = await this.dataSource.transaction(async (db) => {
      await db.query(`SELECT pg_advisory_xact_lock(hashtextextended('match:' || $1, 0))`, [campaignId]);
      const [campaign]: CampaignRow[] = await db.query(
        `SELECT c.id, c.brand_id, c.targeting, c.offer_lifetime_hours, ${campaignGateColumns('c')}
         FROM campaigns c WHERE c.id = $1`,
        [campaignId],
      );
      if (!campaign) return { offered: 0, withdrawn: 0, expired: 0, skipped: 'no such campaign' };
      const expired = await affectedRows(
        db,
        `UPDATE offers SET status = 'EXPIRED', closed_at = now() WHERE campaign_id = $1 AND status = 'OFFERED' AND expires_at <= now()`,
        [campaignId],
      );
      if (campaign.status === CampaignStatus.ENDED || campaign.over) {
        const [{ n: withdrawn }] = await db.query(withdrawSql(`o.campaign_id = $1::uuid AND o.status = 'OFFERED'`, 'CAMPAIGN_OVER'), [
          campaignId,
        ]);
        return { offered: 0, withdrawn, expired, skipped: 'campaign is over' };
      }
      const [run]: Array<{ id: number }> = await db.query(`SELECT id FROM score_runs WHERE is_current`);
      if (!run) return { offered: 0, withdrawn: 0, expired, skipped: 'no score run yet' };
      const tables = snapshotTables(run.id);

      // Sorting and hashing ~100k candidates stays in memory; JIT only slows statements like these.
      await db.query(`SET LOCAL work_mem = '64MB'`);
      await db.query(`SET LOCAL jit = off`);
      const eligible = (params: SqlParams) => eligibleSnapshotRows(campaign.targeting, tables, params);

      // Open offers of people no longer eligible, by one hashed anti-join over the eligible set.
      const withdrawParams = new SqlParams();
      withdrawParams.add(campaignId, 'uuid');
      const [{ n: withdrawn }] = await db.query(
        withdrawSql(
          `o.campaign_id = $1::uuid AND o.status = 'OFFERED' AND o.influencer_id NOT IN (SELECT s.influencer_id FROM ${eligible(withdrawParams)})`,
          'NOT_ELIGIBLE',
        ),
        withdrawParams.values,
      );

      // Sold out, paused, not started, or a budget that cannot pay for one more unit: no new offers.
      const blocked = campaignBlock(campaign);
      if (blocked) return { offered: 0, withdrawn, expired, skipped: blocked.message };
      const [{ open }] = await db.query(`SELECT count(*)::int AS open FROM offers WHERE campaign_id = $1 AND status = 'OFFERED'`, [
        campaignId,
      ]);
      const full = outstandingBlock(campaign, open);
      if (full) return { offered: 0, withdrawn, expired, skipped: full.message };
      const room = campaign.max_outstanding_offers - open;

      const params = new SqlParams();
      const id = params.add(campaignId, 'uuid');
      const topics = campaign.targeting.find((c) => c.code === ConditionCode.TOPICS);
      const relevance = topics
        ? `coalesce((SELECT max(ts.score) FROM ${tables.topics} ts
                     WHERE ts.influencer_id = s.influencer_id AND ts.topic_id = ANY(${params.add(topics.args.topicIds, 'smallint[]')})), 0)`
        : '0';
      const lifetime = params.add(campaign.offer_lifetime_hours, 'int');
      const from = eligible(params);
      // Influencers at the brand's cap are not offered its campaigns: one anti-join against the brand's active claims.
      const capped =
        campaign.claim_cap === null
          ? ''
          : `AND s.influencer_id NOT IN (${cappedInfluencersSql(params.add(campaign.brand_id, 'uuid'), params.add(campaign.claim_cap, 'int'))})`;
      const limit = params.add(room, 'int');
      // Each offer's OFFER_NEW notification is written by the same statement, from its RETURNING.
      // One pass over recent offers beats a count per candidate. No ON CONFLICT: under the
      // campaign's advisory lock the NOT EXISTS is exact, and the unique constraint still stands
      // guard (a duplicate would fail the job, not offer twice).
      const [{ n: offered }] = await db.query(
        `WITH recent AS (
           SELECT influencer_id, count(*) AS n FROM offers
           WHERE offered_at > now() - interval '${ROTATION_DAYS} days' GROUP BY influencer_id),
         candidates AS (
           SELECT s.influencer_id, (s.score + ${relevance})::real / (1 + coalesce(r.n, 0)) AS priority
           FROM ${from}
           LEFT JOIN recent r ON r.influencer_id = s.influencer_id
           WHERE NOT EXISTS (SELECT 1 FROM offers o WHERE o.campaign_id = ${id} AND o.influencer_id = s.influencer_id) ${capped}
           ORDER BY priority DESC, s.influencer_id
           LIMIT ${limit}),
         inserted AS (
           INSERT INTO offers (campaign_id, influencer_id, priority, expires_at)
           SELECT ${id}, influencer_id, priority, now() + make_interval(hours => ${lifetime}) FROM candidates
           RETURNING id, influencer_id, expires_at),
         ${notificationsCte('notified', [
           {
             kind: NotificationKind.OFFER_NEW,
             rows: `SELECT i.influencer_id, ${offerFactsSql('i', 'k')} AS data FROM inserted i CROSS JOIN ${campaignFacts(id)}`,
           },
         ])}
         SELECT count(*)::int AS n FROM inserted`,
        params.values,
      );
      return { offered, withdrawn, expired };
    });
    log?.info({ campaignId, ...report }, 'campaign matched');
    return report;
  }

  /**
   * The offer of a campaign to one influencer, or why there is none, by the rules the matcher
   * follows (offer-rules.ts). `eligible` is the targeting's verdict, decided by the caller.
   * Says nothing about the influencer beyond this campaign and its brand's own claims.
   */
  async offerState(campaignId: string, influencerId: string, eligible: boolean): Promise<OfferState> {
    const [row] = await this.dataSource.query(
      `SELECT ${campaignGateColumns('c')},
              (SELECT count(*)::int FROM offers WHERE campaign_id = c.id AND status = 'OFFERED' AND expires_at > now()) AS open,
              o.id AS offer_id, o.status AS offer_status, o.offered_at, o.expires_at, o.closed_at, o.expires_at <= now() AS offer_expired
       FROM campaigns c LEFT JOIN offers o ON o.campaign_id = c.id AND o.influencer_id = $2
       WHERE c.id = $1`,
      [campaignId, influencerId],
    );
    const gate = row as CampaignGate;
    const [capRow] =
      gate.claim_cap === null
        ? [null]
        : await this.dataSource.query(
            `SELECT EXISTS (${cappedInfluencersSql('(SELECT brand_id FROM campaigns WHERE id = $1)', '$3::int', '$2::uuid')}) AS capped`,
            [campaignId, influencerId, gate.claim_cap],
          );
    const offer = row.offer_id
      ? Object.assign(new OfferSummary(), {
          id: row.offer_id,
          status: row.offer_status as OfferStatus,
          offeredAt: row.offered_at,
          expiresAt: row.expires_at,
          closedAt: row.closed_at,
        })
      : null;
    const none = noOfferReason({
      offer: offer && { status: offer.status, expired: row.offer_expired },
      gate,
      eligible,
      capped: capRow?.capped === true,
      open: row.open,
    });
    return Object.assign(new OfferState(), {
      hasOpenOffer: none === null,
      offer,
      reason: none?.reason ?? null,
      message: none?.message ?? null,
    });
  }

  /** The influencer's offers, newest first, in keyset pages on (offered_at, id). */
  async myOffers(userId: string, args: { status?: OfferStatus; first: number; after?: string }): Promise<OfferConnection> {
    const influencerId = await influencerIdOfUser(this.dataSource, userId);
    const query = this.dataSource
      .getRepository(Offer)
      .createQueryBuilder('o')
      .where('o.influencer_id = :influencerId', { influencerId })
      .orderBy('o.offered_at', 'DESC')
      .addOrderBy('o.id', 'DESC');
    if (args.status) query.andWhere('o.status = :status', { status: args.status });
    const total = await query.getCount();
    if (args.after) {
      const [offeredAt, id] = decodeKeysetCursor(args.after, 'timestamp');
      query.andWhere(pastTimestampCursorSql('offers', 'o', 'offered_at', ':offeredAt::timestamptz', ':id::uuid'), { offeredAt, id });
    }
    const rows = await query.limit(args.first + 1).getMany();
    return toConnection(
      new OfferConnection(),
      rows,
      args.first,
      total,
      (o) => encodeCursor([o.offeredAt.toISOString(), o.id]),
      Boolean(args.after),
    );
  }

  /** Declines an open offer; its room goes to the next match. */
  async declineOffer(userId: string, offerId: string): Promise<Offer | OfferNotOpenError> {
    const influencerId = await influencerIdOfUser(this.dataSource, userId);
    const repo = this.dataSource.getRepository(Offer);
    const offer = isUuid(offerId) ? await repo.findOneBy({ id: offerId, influencerId }) : null;
    if (!offer) throw notFound('Offer');
    const [declined] = await this.dataSource.query(
      `WITH u AS (UPDATE offers SET status = 'DECLINED', closed_at = now() WHERE id = $1 AND status = 'OFFERED' AND expires_at > now()
                  RETURNING id, campaign_id, influencer_id, closed_at),
       ${OFFER_DECLINED_WEBHOOKS}
       SELECT id, ${webhookEndpointsColumn('wh')} FROM u`,
      [offerId],
    );
    const current = await repo.findOneByOrFail({ id: offerId });
    if (!declined) return new OfferNotOpenError(current.status === OfferStatus.OFFERED ? 'expired' : current.status);
    this.webhooks.requestDelivery(declined.webhook_endpoint_ids);
    await this.requestMatch(current.campaignId);
    return current;
  }

  /**
   * The periodic sweep: tells each influencer once about an open offer of a live (ACTIVE) campaign
   * that expires within 24 h. The marker (offers.expiry_notified_at) is set in the same statement
   * as the notification, so a second sweep, or two at once (the second re-checks the marker after
   * the first's row locks), writes nothing more. An offer whose whole lifetime is 24 h or less is
   * marked without a notification: its OFFER_NEW already said when it expires. Offers of a paused
   * campaign wait: if it resumes within their last day, they are told then.
   */
  async notifyExpiringOffers(): Promise<number> {
    const [{ n }] = await this.dataSource.query(
      `WITH due AS (
         UPDATE offers o SET expiry_notified_at = now()
         FROM campaigns k
         WHERE k.id = o.campaign_id AND k.status = 'ACTIVE' AND k.ends_at > now()
           AND o.status = 'OFFERED' AND o.expiry_notified_at IS NULL
           AND o.expires_at > now() AND o.expires_at <= now() + interval '${EXPIRING_WITHIN_HOURS} hours'
         RETURNING o.id, o.campaign_id, o.influencer_id, o.offered_at, o.expires_at),
       ${notificationsCte('notified', [
         {
           kind: NotificationKind.OFFER_EXPIRING,
           rows: `SELECT d.influencer_id, ${offerFactsSql('d', 'k')} AS data FROM due d JOIN campaigns k ON k.id = d.campaign_id
                  WHERE d.expires_at - d.offered_at > interval '${EXPIRING_WITHIN_HOURS} hours'`,
         },
       ])}
       SELECT count(*)::int AS n FROM notified`,
    );
    return n;
  }

  /** Every minute: offers past their lifetime expire, and their campaigns are matched again to use the room. */
  async expireOffers(): Promise<number> {
    const rows: Array<{ campaign_id: string; n: number }> = await this.dataSource.query(
      `WITH x AS (UPDATE offers SET status = 'EXPIRED', closed_at = now()
                  WHERE campaign_id IN (SELECT id FROM campaigns WHERE status <> 'DRAFT') AND status = 'OFFERED' AND expires_at <= now()
                  RETURNING campaign_id)
       SELECT campaign_id, count(*)::int AS n FROM x GROUP BY campaign_id`,
    );
    for (const row of rows) await this.requestMatch(row.campaign_id);
    return rows.reduce((sum, r) => sum + r.n, 0);
  }
}

/** Funnel figures of many campaigns in one query each for offers and claims (a per-request loader batches them). */
export async function campaignStats(db: DataSource, ids: readonly string[]): Promise<Map<string, Omit<CampaignStats, 'remaining'>>> {
  const offers: Array<{ campaign_id: string; status: string; n: number }> = await db.query(
    `SELECT campaign_id, status, count(*)::int AS n FROM offers WHERE campaign_id = ANY($1::uuid[]) GROUP BY 1, 2`,
    [ids],
  );
  const claims: Array<{ campaign_id: string; status: string; n: number }> = await db.query(
    `SELECT campaign_id, status, count(*)::int AS n FROM claims WHERE campaign_id = ANY($1::uuid[]) GROUP BY 1, 2`,
    [ids],
  );
  const stats = new Map(
    ids.map((id) => [id, { offered: 0, outstanding: 0, claimed: 0, redeemed: 0, cancelled: 0, expired: 0, declined: 0, withdrawn: 0 }]),
  );
  for (const r of offers) {
    const s = stats.get(r.campaign_id)!;
    s.offered += r.n;
    if (r.status === 'OFFERED') s.outstanding = r.n;
    if (r.status === 'EXPIRED') s.expired = r.n;
    if (r.status === 'DECLINED') s.declined = r.n;
    if (r.status === 'WITHDRAWN') s.withdrawn = r.n;
  }
  for (const r of claims) {
    const s = stats.get(r.campaign_id)!;
    if (r.status !== 'CANCELLED') s.claimed += r.n;
    if (r.status === 'REDEEMED') s.redeemed = r.n;
    if (r.status === 'CANCELLED') s.cancelled = r.n;
  }
  return stats;
}
