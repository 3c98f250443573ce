import type { DataSource, EntityManager } from 'typeorm';
import { influencerIdOfUser, managedBrandsSql } from '../../core/access';
import { ApiKeyScope, Role, type Principal, type UserPrincipal } from '../../core/context';
import { hotTransaction, oneMessageTransaction, type HotTransaction } from '../../core/database';
import { businessMetrics } from '../../core/business-metrics';
import { badInput, notFound } from '../../core/errors';
import { isUuid } from '../../core/ids';
import { Semaphore } from '../../core/semaphore';
import { randomBytesPooled } from '../../core/random';
import { EligibilityReason } from '../campaigns/campaigns.types';
import { CampaignStatus } from '../campaigns/campaign.entity';
import { explainTargeting, type InfluencerFacts, type Targeting } from '../campaigns/targeting';
import { influencerFacts, type InfluencerFactsRow } from '../campaigns/targeting-facts';
import type { MatchingService } from '../matching/matching.service';
import { claimDataSql, webhookEndpointsColumn, webhookEventsCte, WebhookEventType } from '../webhooks/webhook-events';
import type { WebhooksService } from '../webhooks/webhooks.service';
import { OfferStatus } from '../matching/offer.entity';
import { claimFactsSql, hasProfileSql, NotificationKind, notificationsCte } from '../notifications/notification-events';
import { Claim, ClaimStatus } from './claim.entity';
import {
  AlreadyClaimedError,
  AlreadyRedeemedError,
  CampaignNotActiveError,
  CLAIM_FAILURES,
  ClaimCancelledError,
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
import {
  CLAIM_FAST,
  CLAIM_FIRST,
  CLAIM_LOCK,
  CLAIM_REFUSE,
  CLAIM_REPLAY,
  CLAIM_STATEMENTS,
  CLAIM_TAKE,
  refusalAnswers,
  UNCAPPED_REFUSALS,
} from './claims.sql';

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

/** The claim a statement returned (a taking statement's new one, CLAIM_REPLAY's stored one). */
function claimOf(db: DataSource | EntityManager, row: Record<string, unknown>): Claim {
  return db.getRepository(Claim).create({
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
    concurrency: number,
  ) {
    this.claimGate = new Semaphore(concurrency);
  }

  /**
   * At most `concurrency` claim transactions of this process at Postgres at once. Claims of a hot
   * campaign queue for its row there, and every transaction waiting costs Postgres a lock wait, a
   * timer and a wake-up: measured on the claims bench (2 cores), about 1.7 ms of Postgres CPU per
   * claim with up to 10 at once (the pool), 1.0-1.3 ms with 2, the same claims per second or more.
   * Waiting here costs nothing. The claim's other work (HTTP, GraphQL, authentication) is not held.
   */
  private readonly claimGate: Semaphore;

  /**
   * Claims the unit an offer stands for, in one transaction: the offer row is locked (so one
   * influencer's parallel claims queue up), the campaign and the influencer's eligibility are
   * checked again, and one unit is taken by a conditional UPDATE ... WHERE remaining > 0. With an
   * idempotency key the first answer, success or failure, is stored in the same transaction and
   * every retry gets it back; a parallel retry waits on the key's row until the first commits.
   *
   * Each round trip to Postgres costs this process (and the server) a socket write and a wake-up,
   * the dearest things either does, so a claim that can be decided in SQL takes one: BEGIN, the
   * key and the offer's lock, the claim (or the campaign's refusal), COMMIT, in one message
   * (claims.sql.ts, CLAIM_FAST). Anything that needs explaining (not eligible, an offer no longer
   * open, a retry, a capped brand) writes nothing there and takes the long way (claimAtLength).
   * The campaign row, which every claimer of a campaign needs, is locked only by the last
   * statement of a message, so it is held while the server works and not while answers travel.
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
    const webhooks: { endpointIds?: string[] | null } = {};
    let replayed = false;
    const [, [fast]] = await this.claimGate.run(() =>
      oneMessageTransaction(this.dataSource, CLAIM_STATEMENTS, [
        CLAIM_LOCK.execute(user.userId, key, offerId),
        CLAIM_FAST.execute(user.userId, key, offerId, redemptionCode(), UNCAPPED_REFUSALS),
      ]),
    );
    let result: ClaimResult;
    if (fast.fast) {
      webhooks.endpointIds = fast.webhook_endpoint_ids as string[] | null;
      // The failure is rebuilt from the answer just stored, as a retry will be: a verdict without one throws.
      result = fast.id ? claimOf(this.dataSource, fast) : CLAIM_FAILURES.rebuild(fast.refused);
    } else {
      result = await this.claimAtLength(user, offerId, key, webhooks, () => (replayed = true));
    }
    // After the commit and the connection's release: only when the statement wrote deliveries.
    this.webhooks.requestDelivery(webhooks.endpointIds);
    businessMetrics.claims.inc({ outcome: replayed ? 'replayed' : result instanceof Claim ? 'claimed' : result.errorCode });
    businessMetrics.claimWays.inc({ way: fast.fast ? 'one_message' : 'two_messages' });
    return result;
  }

  /**
   * The long way, two round trips: BEGIN with CLAIM_FIRST, which takes the key, locks the offer
   * and reads the campaign and the eligibility facts; then, decided here, the statement that takes
   * the unit (or records why not, or reads a retry's stored answer) with the COMMIT.
   */
  private claimAtLength(
    user: UserPrincipal,
    offerId: string,
    key: string | null,
    webhooks: { endpointIds?: string[] | null },
    onReplay: () => void,
  ): Promise<ClaimResult> {
    const first = CLAIM_FIRST.execute(user.userId, key, offerId);
    return this.claimGate.run(() =>
      hotTransaction(this.dataSource, CLAIM_STATEMENTS, first, async ([row], tx) => {
        if (!row) throw notFound('Influencer profile');
        const influencerId = row.influencer_id as string;
        if (key !== null && !row.fresh) {
          onReplay();
          const [stored] = await tx.finish(CLAIM_REPLAY.execute(influencerId, key));
          if (stored.key_offer_id !== offerId) return new IdempotencyKeyReusedError();
          if ((stored.result as { claimId?: string }).claimId) {
            if (!stored.id) throw new Error(`the claim a stored answer names is gone: ${JSON.stringify(stored.result)}`);
            return claimOf(tx.manager, stored);
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
      }),
    );
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
    return claimOf(tx.manager, row);
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
