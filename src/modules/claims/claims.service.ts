import type { DataSource, EntityManager } from 'typeorm';
import { influencerIdOfUser, managedBrandsSql } from '../../core/access';
import { ApiKeyScope, Role, type Principal, type UserPrincipal } from '../../core/context';
import { hotTransaction, PreparedSql, type HotTransaction } from '../../core/database';
import { businessMetrics } from '../../core/business-metrics';
import { badInput, ErrorCode, notFound } from '../../core/errors';
import { isUuid } from '../../core/ids';
import { randomBytesPooled } from '../../core/random';
import { EligibilityReason } from '../campaigns/campaigns.types';
import { CampaignStatus } from '../campaigns/campaign.entity';
import { explainTargeting, type InfluencerFacts, type Targeting } from '../campaigns/targeting';
import { influencerFacts, influencerFactsSql, type InfluencerFactsRow } from '../campaigns/targeting-facts';
import type { MatchingService } from '../matching/matching.service';
import { campaignDataSql, claimDataSql, webhookEndpointsColumn, webhookEventsCte, WebhookEventType } from '../webhooks/webhook-events';
import type { WebhooksService } from '../webhooks/webhooks.service';
import { OfferStatus } from '../matching/offer.entity';
import { claimFactsSql, hasProfileSql, NotificationKind, notificationsCte } from '../notifications/notification-events';
import { Claim, ClaimStatus } from './claim.entity';
import {
  AlreadyClaimedError,
  AlreadyRedeemedError,
  BudgetExhaustedError,
  CampaignNotActiveError,
  CLAIM_FAILURES,
  ClaimCancelledError,
  ClaimCapReachedError,
  closedClaimError,
  IdempotencyKeyReusedError,
  InvalidCodeError,
  NotEligibleError,
  OfferDeclinedError,
  OfferExpiredError,
  OfferWithdrawnError,
  SoldOutError,
  type ClaimFailure,
} from './claims.errors';

/** 128 random bits in Crockford-style base32 groups: unguessable, and easy to read out at a counter. */
export function redemptionCode(): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const bytes = randomBytesPooled(16);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out.match(/.{1,4}/g)!.join('-');
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;

type ClaimResult = Claim | ClaimFailure | IdempotencyKeyReusedError;

interface LockedOffer {
  id: string;
  campaign_id: string;
  status: OfferStatus;
  expired: boolean;
  campaign_status: CampaignStatus;
  running: boolean;
  targeting: Targeting;
  /** The brand's cap on active claims per influencer; when set, CLAIM_FIRST took the influencer's cap lock. */
  claim_cap: number | null;
}

/** Why an offer cannot be claimed now, before any unit is touched; null when it may be. */
function refusalOf(offer: LockedOffer, facts: InfluencerFacts | null): ClaimFailure | null {
  if (offer.status === OfferStatus.CLAIMED) return new AlreadyClaimedError();
  if (offer.status === OfferStatus.WITHDRAWN) return new OfferWithdrawnError();
  if (offer.status === OfferStatus.DECLINED) return new OfferDeclinedError();
  if (offer.status === OfferStatus.EXPIRED || offer.expired) return new OfferExpiredError();
  if (offer.campaign_status === CampaignStatus.SOLD_OUT) return new SoldOutError();
  if (offer.campaign_status !== CampaignStatus.ACTIVE || !offer.running) return new CampaignNotActiveError();
  // The same registry that matched the offer decides again, on the snapshot current now.
  const failed = facts ? explainTargeting(offer.targeting, facts) : [{ condition: 'SCORED', message: 'no longer opted in' }];
  return failed.length ? new NotEligibleError(failed.map((f) => Object.assign(new EligibilityReason(), f))) : null;
}

/** What is stored for an idempotency key that got a failure, for CLAIM_FAILURES to rebuild (a success stores its claim id). */
const storedAnswer = (failure: ClaimFailure): string => JSON.stringify(CLAIM_FAILURES.store(failure));

/**
 * The claim's first statement, after BEGIN: takes the idempotency key ($2, may be null) of the
 * user's ($1) influencer profile, locks the offer ($3) and reads its campaign and the
 * influencer's eligibility facts. A retry with the same key waits at the key's INSERT until the
 * first attempt commits, then takes nothing (fresh = false) and replays the stored answer.
 *
 * When the campaign's brand caps active claims per influencer, it also takes the influencer's cap
 * lock (transaction-scoped), so one influencer's claims on the brand's campaigns pass one at a
 * time and CLAIM_TAKE's count sees every claim that passed before. Lock order, the same for every
 * claim: key, offer, cap lock, campaign row (CLAIM_TAKE). The cap lock is taken after the offer's
 * (the lateral join needs the locked offer row), so a claim waiting for it never holds a lock
 * another claim of the influencer waits for in turn; the campaign row comes last and alone.
 */
const CLAIM_FIRST = new PreparedSql(
  'claim_offer_first',
  ['uuid', 'text', 'uuid'],
  `WITH me AS (SELECT id FROM influencers WHERE user_id = $1 AND opted_in_at IS NOT NULL),
   taken_key AS (
     INSERT INTO claim_requests (influencer_id, idempotency_key, offer_id)
     SELECT id, $2, $3 FROM me WHERE $2 IS NOT NULL
     ON CONFLICT DO NOTHING RETURNING 1)
   SELECT me.id AS influencer_id, EXISTS (SELECT 1 FROM taken_key) AS fresh, o.*, cap.cap_locked,
          f.id AS facts_id, f.country, f.language, f.score, f.reach, f.networks, f.topics
   FROM me
   LEFT JOIN LATERAL (
     SELECT o.id, o.campaign_id, o.status, o.expires_at <= now() AS expired, c.status AS campaign_status, c.targeting,
            c.starts_at <= now() AND c.ends_at > now() AS running, b.max_active_claims_per_influencer AS claim_cap
     FROM offers o JOIN campaigns c ON c.id = o.campaign_id JOIN organizations b ON b.id = c.brand_id
     WHERE o.id = $3 AND o.influencer_id = me.id FOR UPDATE OF o) o ON true
   LEFT JOIN LATERAL (
     SELECT true AS cap_locked FROM (SELECT pg_advisory_xact_lock(hashtextextended('claim-cap:' || me.id, 0))) l
     WHERE o.claim_cap IS NOT NULL) cap ON true
   LEFT JOIN LATERAL (${influencerFactsSql('inf.id = me.id', 'coalesce((SELECT id FROM score_runs WHERE is_current), -1)')}) f ON true`,
);

/**
 * CLAIM_TAKE's webhook events (claim.created, and campaign.sold_out when the claim took the last
 * unit), CTEs appended to its WITH list: they read its `claim` and `campaign` CTEs (the locked row).
 */
const CLAIM_TAKE_WEBHOOKS = `${webhookEventsCte('wh', [
  {
    type: WebhookEventType.CLAIM_CREATED,
    rows: `SELECT k.brand_id, ${claimDataSql('c', { fresh: true })} AS data FROM claim c CROSS JOIN campaign k`,
  },
  {
    type: WebhookEventType.CAMPAIGN_SOLD_OUT,
    rows: `SELECT k.brand_id, ${campaignDataSql('k', { status: `'SOLD_OUT'`, remaining: '0' })} AS data FROM campaign k
              WHERE EXISTS (SELECT 1 FROM claim) AND (SELECT remaining FROM campaign) = 1`,
  },
])}`;

/**
 * Takes a unit of campaign $1 for offer $2 of influencer $3, creates the claim with code $4,
 * closes the offer and records the answer for key $5 (the claim, or why there was no unit: the
 * stored failure $6 holds under the verdict's code) in one statement sent with the COMMIT, and
 * returns that answer. `campaign` locks the row and reads its latest version, which the UPDATE
 * then changes (a unit taken, the perk's value spent), or leaves alone when `verdict` names a
 * reason. The cap's count runs only for a capped brand ($7 not null: CLAIM_FIRST holds the
 * influencer's cap lock), in this statement's snapshot, taken after that lock: it sees every
 * claim before it.
 */
const CLAIM_TAKE = new PreparedSql(
  'claim_offer_take',
  ['uuid', 'uuid', 'uuid', 'text', 'text', 'jsonb', 'int'],
  `WITH campaign AS (SELECT id, brand_id, name, inventory, ended_at, status, remaining, budget, budget_spent, perk_value_cents
                    FROM campaigns WHERE id = $1 FOR UPDATE),
   verdict AS (
     SELECT CASE WHEN remaining = 0 THEN 'SOLD_OUT' WHEN status <> 'ACTIVE' THEN 'CAMPAIGN_NOT_ACTIVE'
                 WHEN budget_spent + perk_value_cents > budget THEN 'BUDGET_EXHAUSTED'
                 WHEN $7 IS NOT NULL AND (SELECT count(*) FROM claims cl JOIN campaigns k ON k.id = cl.campaign_id
                                          WHERE cl.influencer_id = $3 AND cl.status = 'ACTIVE' AND k.brand_id = campaign.brand_id) >= $7
                 THEN 'CLAIM_CAP_REACHED' END AS refusal
     FROM campaign),
   taken AS (
     UPDATE campaigns c SET remaining = c.remaining - 1, budget_spent = c.budget_spent + c.perk_value_cents, updated_at = now(),
            status = CASE WHEN c.remaining = 1 THEN 'SOLD_OUT'::campaign_status ELSE c.status END
     FROM campaign, verdict WHERE c.id = campaign.id AND verdict.refusal IS NULL RETURNING c.id),
   claim AS (
     INSERT INTO claims (offer_id, campaign_id, influencer_id, code)
     SELECT $2, id, $3, $4 FROM taken
     RETURNING id, offer_id, campaign_id, influencer_id, code, status, claimed_at),
   closed AS (
     UPDATE offers SET status = 'CLAIMED', closed_at = now() WHERE id = $2 AND EXISTS (SELECT 1 FROM claim)),
   refused AS (SELECT $6 -> refusal AS answer FROM verdict WHERE NOT EXISTS (SELECT 1 FROM claim)),
   answered AS (
     UPDATE claim_requests SET result =
       CASE WHEN EXISTS (SELECT 1 FROM claim) THEN jsonb_build_object('claimId', (SELECT id FROM claim))
            ELSE (SELECT answer FROM refused) END
     WHERE influencer_id = $3 AND idempotency_key = $5),
   ${CLAIM_TAKE_WEBHOOKS}
   SELECT claim.*, (SELECT answer FROM refused) AS refused, ${webhookEndpointsColumn('wh')}
   FROM (SELECT 1) AS one LEFT JOIN claim ON true`,
);

/** claim.cancelled, from cancelClaim's `u` (the claim as cancelled). */
const CLAIM_CANCELLED_WEBHOOKS = webhookEventsCte('wh', [
  {
    type: WebhookEventType.CLAIM_CANCELLED,
    rows: `SELECT k.brand_id, ${claimDataSql('u')} AS data FROM u JOIN campaigns k ON k.id = u.campaign_id`,
  },
]);

/** claim.redeemed, from redeemClaim's `u` (the claim as redeemed, with its brand). */
const CLAIM_REDEEMED_WEBHOOKS = webhookEventsCte('wh', [
  { type: WebhookEventType.CLAIM_REDEEMED, rows: `SELECT u.brand_id, ${claimDataSql('u')} AS data FROM u` },
]);
/** The influencer's CLAIM_CANCELLED notification, from cancelClaim's `u`: written when the brand's side cancels. */
const CLAIM_CANCELLED_NOTIFICATION = notificationsCte('notified', [
  {
    kind: NotificationKind.CLAIM_CANCELLED,
    rows: `SELECT u.influencer_id, ${claimFactsSql('u', 'k')} AS data FROM u JOIN campaigns k ON k.id = u.campaign_id
           WHERE ${hasProfileSql('u.influencer_id')}`,
  },
]);

/** The influencer's CLAIM_REDEEMED notification, from redeemClaim's `u`. */
const CLAIM_REDEEMED_NOTIFICATION = notificationsCte('notified', [
  {
    kind: NotificationKind.CLAIM_REDEEMED,
    rows: `SELECT u.influencer_id, ${claimFactsSql('u', 'k')} AS data FROM u JOIN campaigns k ON k.id = u.campaign_id
           WHERE ${hasProfileSql('u.influencer_id')}`,
  },
]);

/**
 * What CLAIM_TAKE may record for a key when there was no unit to take, by its verdict's code (the
 * cap's answer, which names the brand's limit, is added per claim).
 */
const TAKE_REFUSALS = Object.fromEntries(
  [new SoldOutError(), new CampaignNotActiveError(), new BudgetExhaustedError()].map((f) => [f.errorCode, CLAIM_FAILURES.store(f)]),
);
const UNCAPPED_REFUSALS = JSON.stringify(TAKE_REFUSALS);
const refusalAnswers = (cap: number | null): string =>
  cap === null
    ? UNCAPPED_REFUSALS
    : JSON.stringify({ ...TAKE_REFUSALS, [ErrorCode.CLAIM_CAP_REACHED]: CLAIM_FAILURES.store(new ClaimCapReachedError(cap)) });

/**
 * Ends the refusal of a claim: records the answer ($5) for the key ($4, may be null) of influencer
 * $3, and closes offer $1 when it was found past its lifetime ($2), with the COMMIT.
 */
const CLAIM_REFUSE = new PreparedSql(
  'claim_offer_refuse',
  ['uuid', 'boolean', 'uuid', 'text', 'jsonb'],
  `WITH expired AS (UPDATE offers SET status = 'EXPIRED', closed_at = now() WHERE id = $1 AND $2)
   UPDATE claim_requests SET result = $5 WHERE influencer_id = $3 AND idempotency_key = $4`,
);

/**
 * A retry's answer, read with the COMMIT: the offer key $2 of influencer $1 was taken for, the
 * answer stored for it and, when that was a claim, the claim as it is now.
 */
const CLAIM_REPLAY = new PreparedSql(
  'claim_offer_replay',
  ['uuid', 'text'],
  `SELECT r.offer_id AS key_offer_id, r.result, c.id, c.offer_id, c.campaign_id, c.influencer_id, c.code, c.status,
          c.claimed_at, c.redeemed_at, c.cancelled_at
   FROM claim_requests r LEFT JOIN claims c ON c.id = (r.result ->> 'claimId')::uuid
   WHERE r.influencer_id = $1 AND r.idempotency_key = $2`,
);

/** The claim a statement returned (CLAIM_TAKE's new one, CLAIM_REPLAY's stored one). */
function claimOf(tx: HotTransaction, row: Record<string, unknown>): Claim {
  return tx.manager.getRepository(Claim).create({
    id: row.id as string,
    offerId: row.offer_id as string,
    campaignId: row.campaign_id as string,
    influencerId: row.influencer_id as string,
    code: row.code as string,
    status: row.status as ClaimStatus,
    claimedAt: row.claimed_at as Date,
    redeemedAt: (row.redeemed_at as Date | null) ?? null,
    cancelledAt: (row.cancelled_at as Date | null) ?? null,
  });
}

export class ClaimsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly matching: MatchingService,
    private readonly webhooks: WebhooksService,
  ) {}

  /**
   * Claims the unit an offer stands for, in one transaction: the offer row is locked (so one
   * influencer's parallel claims queue up), the campaign and the influencer's eligibility are
   * checked again, and one unit is taken by a conditional UPDATE ... WHERE remaining > 0. With an
   * idempotency key the first answer, success or failure, is stored in the same transaction and
   * every retry gets it back; a parallel retry waits on the key's row until the first commits.
   *
   * Two round trips (each one costs this process a socket write, the dearest thing it does): BEGIN
   * with one statement that takes the key, locks the offer and reads the campaign and the
   * eligibility facts; then the statement that takes the unit (or records why not) with COMMIT.
   * The campaign row, which every claimer of a campaign needs, is locked only by that last
   * message, so it is held while the server works and not while answers travel. A refusal found
   * by the first statement, and a retry's stored answer, are written or read with the COMMIT.
   *
   * Every value travels one way: a PreparedSql's EXECUTE, its values inlined as literals, so it
   * can share a simple-protocol message with BEGIN or COMMIT (and tracing strips the values from
   * its span). The statements are prepared once per connection, all in one message, so none is
   * planned anew.
   */
  async claimOffer(user: UserPrincipal, offerId: string, idempotencyKey?: string): Promise<ClaimResult> {
    if (!isUuid(offerId)) throw notFound('Offer');
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw badInput('idempotencyKey must be 8-128 letters, digits, ".", "_", ":" or "-" (a UUID works)', 'idempotencyKey');
    }
    const key = idempotencyKey ?? null;
    const first = CLAIM_FIRST.execute(user.userId, key, offerId);
    const webhooks: { endpointIds?: string[] | null } = {};
    let replayed = false;
    const statements = [CLAIM_FIRST, CLAIM_TAKE, CLAIM_REFUSE, CLAIM_REPLAY];
    const result = await hotTransaction(this.dataSource, statements, first, async ([row], tx) => {
      if (!row) throw notFound('Influencer profile');
      const influencerId = row.influencer_id as string;
      if (key !== null && !row.fresh) {
        replayed = true;
        const [stored] = await tx.finish(CLAIM_REPLAY.execute(influencerId, key));
        if (stored.key_offer_id !== offerId) return new IdempotencyKeyReusedError();
        if ((stored.result as { claimId?: string }).claimId) {
          if (!stored.id) throw new Error(`the claim a stored answer names is gone: ${JSON.stringify(stored.result)}`);
          return claimOf(tx, stored);
        }
        return CLAIM_FAILURES.rebuild(stored.result);
      }
      if (!row.id) throw notFound('Offer');
      const offer = row as unknown as LockedOffer;
      // The cap's exactness rests on this lock: a plan that skipped it must fail loudly, not oversubscribe.
      if (offer.claim_cap !== null && row.cap_locked !== true) throw new Error('claim_offer_first did not take the cap lock');
      const facts = row.facts_id ? influencerFacts({ ...(row as unknown as InfluencerFactsRow), id: influencerId }) : null;
      const refusal = refusalOf(offer, facts);
      if (refusal) {
        // The answer for the key (and an offer found past its lifetime) go with the COMMIT.
        const expired = refusal instanceof OfferExpiredError;
        if (expired || key !== null) await tx.finish(CLAIM_REFUSE.execute(offerId, expired, influencerId, key, storedAnswer(refusal)));
        return refusal;
      }
      return this.takeUnit(tx, influencerId, offerId, offer.campaign_id, key, offer.claim_cap, webhooks);
    });
    // After the commit and the connection's release: only when the statement wrote deliveries.
    this.webhooks.requestDelivery(webhooks.endpointIds);
    businessMetrics.claims.inc({ outcome: replayed ? 'replayed' : result instanceof Claim ? 'claimed' : result.errorCode });
    return result;
  }

  /** Takes the unit (CLAIM_TAKE) with the COMMIT; the answer says whether there was one. */
  private async takeUnit(
    tx: HotTransaction,
    influencerId: string,
    offerId: string,
    campaignId: string,
    key: string | null,
    cap: number | null,
    webhooks: { endpointIds?: string[] | null },
  ): Promise<Claim | ClaimFailure> {
    const [row] = await tx.finish(CLAIM_TAKE.execute(campaignId, offerId, influencerId, redemptionCode(), key, refusalAnswers(cap), cap));
    webhooks.endpointIds = row.webhook_endpoint_ids as string[] | null;
    // The failure is rebuilt from the answer just stored, as a retry will be: a verdict without one throws.
    if (!row.id) return CLAIM_FAILURES.rebuild(row.refused);
    return claimOf(tx, row);
  }

  /**
   * Cancels an active claim and returns its unit and refunds its perk's value to the budget in the
   * same transaction (a sold-out campaign is live again); redeemed claims stay spent. The influencer cancels their own claim; the brand's managers any claim of theirs.
   */
  async cancelClaim(principal: Principal, claimId: string): Promise<Claim | AlreadyRedeemedError | ClaimCancelledError> {
    const claim = await this.visibleClaim(principal, claimId);
    // The influencer is told when the brand's side cancels (a brand, an agency, an operator, a key), not when they cancel their own.
    const byInfluencer = principal.kind === 'user' && principal.role === Role.INFLUENCER;
    let endpointIds: string[] | null = null;
    const result = await this.dataSource.transaction(async (db) => {
      const [cancelled] = await db.query(
        `WITH u AS (UPDATE claims SET status = 'CANCELLED', cancelled_at = now() WHERE id = $1 AND status = 'ACTIVE' RETURNING *),
         ${CLAIM_CANCELLED_WEBHOOKS}${byInfluencer ? '' : `, ${CLAIM_CANCELLED_NOTIFICATION}`}
         SELECT campaign_id, ${webhookEndpointsColumn('wh')} FROM u`,
        [claim.id],
      );
      if (!cancelled) return null;
      endpointIds = cancelled.webhook_endpoint_ids;
      await db.query(
        `UPDATE campaigns SET remaining = remaining + 1, budget_spent = budget_spent - perk_value_cents, updated_at = now(),
                status = CASE WHEN status = 'SOLD_OUT' THEN 'ACTIVE'::campaign_status ELSE status END
         WHERE id = $1`,
        [cancelled.campaign_id],
      );
      return cancelled.campaign_id as string;
    });
    const current = await this.dataSource.getRepository(Claim).findOneByOrFail({ id: claim.id });
    if (result === null) return closedClaimError(current.status);
    businessMetrics.cancellations.inc({ by: byInfluencer ? 'influencer' : 'brand' });
    this.webhooks.requestDelivery(endpointIds);
    await this.matching.requestMatch(result);
    return current;
  }

  /**
   * Redeems a code once, for the managers of the claim's brand. An unknown code and another
   * brand's code get the same answer.
   */
  async redeemClaim(principal: Principal, code: string): Promise<Claim | AlreadyRedeemedError | ClaimCancelledError | InvalidCodeError> {
    const normalized = code.trim().toUpperCase();
    const params: unknown[] = [normalized];
    const managed = managedBrandsSql(principal, params, ApiKeyScope.REDEEM);
    const scope = managed ? `AND k.brand_id IN (${managed})` : '';
    const [redeemed] = await this.dataSource.query(
      `WITH u AS (UPDATE claims c SET status = 'REDEEMED', redeemed_at = now() FROM campaigns k
                  WHERE c.code = $1 AND c.status = 'ACTIVE' AND k.id = c.campaign_id ${scope}
                  RETURNING c.id, c.offer_id, c.campaign_id, c.influencer_id, c.status, c.claimed_at, c.redeemed_at, c.cancelled_at, k.brand_id),
       ${CLAIM_REDEEMED_WEBHOOKS},
       ${CLAIM_REDEEMED_NOTIFICATION}
       SELECT id, ${webhookEndpointsColumn('wh')} FROM u`,
      params,
    );
    if (redeemed) {
      businessMetrics.redemptions.inc();
      this.webhooks.requestDelivery(redeemed.webhook_endpoint_ids);
      return this.dataSource.getRepository(Claim).findOneByOrFail({ id: redeemed.id });
    }
    const [seen] = await this.dataSource.query(
      `SELECT c.status FROM claims c JOIN campaigns k ON k.id = c.campaign_id WHERE c.code = $1 ${scope}`,
      params,
    );
    if (!seen) return new InvalidCodeError();
    return closedClaimError(seen.status);
  }

  /** The influencer's own claim, or one of a campaign the principal manages; anything else is not found. */
  async visibleClaim(principal: Principal, claimId: string): Promise<Claim> {
    const claim = isUuid(claimId) ? await this.dataSource.getRepository(Claim).findOneBy({ id: claimId }) : null;
    if (!claim || !(await this.canSee(principal, claim))) throw notFound('Claim');
    return claim;
  }

  private async canSee(principal: Principal, claim: Claim): Promise<boolean> {
    if (principal.kind === 'user' && principal.role === Role.INFLUENCER) {
      return claim.influencerId === (await influencerIdOfUser(this.dataSource, principal.userId).catch(() => null));
    }
    const params: unknown[] = [claim.campaignId];
    const managed = managedBrandsSql(principal, params);
    const [row] = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM campaigns k WHERE k.id = $1 ${managed ? `AND k.brand_id IN (${managed})` : ''}) AS ok`,
      params,
    );
    return row.ok;
  }
}
