import { randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { ApiKeyScope, Role, type Principal, type UserPrincipal } from '../../core/context';
import { badInput, notFound } from '../../core/errors';
import { isUuid } from '../accounts/accounts.service';
import { optedInInfluencerId } from '../influencers/influencers.service';
import { EligibilityReason } from '../agencies/agencies.types';
import { CampaignStatus } from '../campaigns/campaign.entity';
import { managedBrandsSql } from '../campaigns/campaigns.service';
import { explainTargeting, type Targeting } from '../campaigns/targeting';
import { loadInfluencerFacts } from '../campaigns/targeting-facts';
import type { MatchingService } from '../matching/matching.service';
import { OfferStatus } from '../matching/offer.entity';
import { Claim, ClaimStatus } from './claim.entity';
import {
  AlreadyClaimedError,
  AlreadyRedeemedError,
  CampaignNotActiveError,
  ClaimCancelledError,
  claimFailureFrom,
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
  const bytes = randomBytes(16);
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

export class ClaimsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly matching: MatchingService,
  ) {}

  /**
   * Claims the unit an offer stands for, in one transaction: the offer row is locked (so one
   * influencer's parallel claims queue up), the campaign and the influencer's eligibility are
   * checked again, and one unit is taken by a conditional UPDATE ... WHERE remaining > 0. With an
   * idempotency key the first answer, success or failure, is stored in the same transaction and
   * every retry gets it back; a parallel retry waits on the key's row until the first commits.
   */
  async claimOffer(user: UserPrincipal, offerId: string, idempotencyKey?: string): Promise<ClaimResult> {
    if (!isUuid(offerId)) throw notFound('Offer');
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw badInput('idempotencyKey must be 8-128 letters, digits, ".", "_", ":" or "-" (a UUID works)', 'idempotencyKey');
    }
    return this.dataSource.transaction(async (db) => {
      const influencerId = await optedInInfluencerId(db, user.userId);
      if (idempotencyKey !== undefined) {
        const [first] = await db.query(
          `INSERT INTO claim_requests (influencer_id, idempotency_key, offer_id) VALUES ($1, $2, $3)
           ON CONFLICT DO NOTHING RETURNING offer_id`,
          [influencerId, idempotencyKey, offerId],
        );
        if (!first) {
          const [stored] = await db.query(`SELECT offer_id, result FROM claim_requests WHERE influencer_id = $1 AND idempotency_key = $2`, [
            influencerId,
            idempotencyKey,
          ]);
          if (stored.offer_id !== offerId) return new IdempotencyKeyReusedError();
          if (stored.result.claimId) return db.getRepository(Claim).findOneByOrFail({ id: stored.result.claimId });
          return claimFailureFrom(stored.result);
        }
      }
      const result = await this.claimInTransaction(db, influencerId, offerId, idempotencyKey);
      // A success was recorded for the key by the claiming statement itself.
      if (idempotencyKey !== undefined && !(result instanceof Claim)) {
        const stored =
          result instanceof Claim
            ? { claimId: result.id }
            : {
                errorCode: result.errorCode,
                message: result.message,
                ...(result instanceof NotEligibleError ? { reasons: result.reasons } : {}),
              };
        await db.query(`UPDATE claim_requests SET result = $3 WHERE influencer_id = $1 AND idempotency_key = $2`, [
          influencerId,
          idempotencyKey,
          stored,
        ]);
      }
      return result;
    });
  }

  private async claimInTransaction(
    db: EntityManager,
    influencerId: string,
    offerId: string,
    idempotencyKey: string | undefined,
  ): Promise<Claim | ClaimFailure> {
    // One round trip: the offer (locked), its campaign and the current run.
    const [offer]: Array<{
      id: string;
      campaign_id: string;
      status: OfferStatus;
      expired: boolean;
      campaign_status: CampaignStatus;
      running: boolean;
      targeting: Targeting;
      run_id: number | null;
    }> = await db.query(
      `SELECT o.id, o.campaign_id, o.status, o.expires_at <= now() AS expired, c.status AS campaign_status, c.targeting,
              c.starts_at <= now() AND c.ends_at > now() AS running, (SELECT id FROM score_runs WHERE is_current) AS run_id
       FROM offers o JOIN campaigns c ON c.id = o.campaign_id
       WHERE o.id = $1 AND o.influencer_id = $2 FOR UPDATE OF o`,
      [offerId, influencerId],
    );
    if (!offer) throw notFound('Offer');
    if (offer.status === OfferStatus.CLAIMED) return new AlreadyClaimedError();
    if (offer.status === OfferStatus.WITHDRAWN) return new OfferWithdrawnError();
    if (offer.status === OfferStatus.DECLINED) return new OfferDeclinedError();
    if (offer.status === OfferStatus.EXPIRED || offer.expired) {
      await db.query(`UPDATE offers SET status = 'EXPIRED', closed_at = now() WHERE id = $1`, [offerId]);
      return new OfferExpiredError();
    }
    if (offer.campaign_status === CampaignStatus.SOLD_OUT) return new SoldOutError();
    if (offer.campaign_status !== CampaignStatus.ACTIVE || !offer.running) return new CampaignNotActiveError();

    // The same registry that matched the offer decides again, on the snapshot current now.
    const facts = (await loadInfluencerFacts(db, offer.run_id, [influencerId])).get(influencerId);
    const failed = facts ? explainTargeting(offer.targeting, facts) : [{ condition: 'SCORED', message: 'no longer opted in' }];
    if (failed.length) return new NotEligibleError(failed.map((f) => Object.assign(new EligibilityReason(), f)));

    // The campaign row is every claimer's hot spot: its lock is held from this statement to the
    // commit, so taking the unit, creating the claim, closing the offer and recording the answer
    // for the idempotency key are one statement, and nothing else runs before the commit.
    const [claim]: Array<Record<string, unknown>> = await db.query(
      `WITH taken AS (
         UPDATE campaigns SET remaining = remaining - 1, updated_at = now(),
                status = CASE WHEN remaining = 1 THEN 'SOLD_OUT'::campaign_status ELSE status END
         WHERE id = $2 AND status = 'ACTIVE' AND remaining > 0 RETURNING id),
       claim AS (
         INSERT INTO claims (offer_id, campaign_id, influencer_id, code) SELECT $1, id, $3, $4 FROM taken
         RETURNING id, offer_id, campaign_id, influencer_id, code, status, claimed_at, redeemed_at, cancelled_at),
       closed AS (
         UPDATE offers SET status = 'CLAIMED', closed_at = now() WHERE id = $1 AND EXISTS (SELECT 1 FROM claim) RETURNING id),
       answered AS (
         UPDATE claim_requests SET result = jsonb_build_object('claimId', (SELECT id FROM claim))
         WHERE influencer_id = $3 AND idempotency_key = $5 AND EXISTS (SELECT 1 FROM claim) RETURNING 1)
       SELECT claim.*, (SELECT count(*) FROM closed) + (SELECT count(*) FROM answered) AS writes FROM claim`,
      [offerId, offer.campaign_id, influencerId, redemptionCode(), idempotencyKey ?? null],
    );
    if (!claim) {
      const [now] = await db.query(`SELECT status, remaining FROM campaigns WHERE id = $1`, [offer.campaign_id]);
      return now.remaining === 0 ? new SoldOutError() : new CampaignNotActiveError();
    }
    return db.getRepository(Claim).create({
      id: claim.id as string,
      offerId: claim.offer_id as string,
      campaignId: claim.campaign_id as string,
      influencerId: claim.influencer_id as string,
      code: claim.code as string,
      status: claim.status as ClaimStatus,
      claimedAt: claim.claimed_at as Date,
      redeemedAt: null,
      cancelledAt: null,
    });
  }

  /**
   * Cancels an active claim and returns its unit in the same transaction (a sold-out campaign is
   * live again). The influencer cancels their own claim; the brand's managers any claim of theirs.
   */
  async cancelClaim(principal: Principal, claimId: string): Promise<Claim | AlreadyRedeemedError | ClaimCancelledError> {
    const claim = await this.visibleClaim(principal, claimId);
    const result = await this.dataSource.transaction(async (db) => {
      const [cancelled] = await db.query(
        `WITH u AS (UPDATE claims SET status = 'CANCELLED', cancelled_at = now() WHERE id = $1 AND status = 'ACTIVE' RETURNING campaign_id)
         SELECT campaign_id FROM u`,
        [claim.id],
      );
      if (!cancelled) return null;
      await db.query(
        `UPDATE campaigns SET remaining = remaining + 1, updated_at = now(),
                status = CASE WHEN status = 'SOLD_OUT' THEN 'ACTIVE'::campaign_status ELSE status END
         WHERE id = $1`,
        [cancelled.campaign_id],
      );
      return cancelled.campaign_id as string;
    });
    const current = await this.dataSource.getRepository(Claim).findOneByOrFail({ id: claim.id });
    if (result === null) return current.status === ClaimStatus.REDEEMED ? new AlreadyRedeemedError() : new ClaimCancelledError();
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
                  WHERE c.code = $1 AND c.status = 'ACTIVE' AND k.id = c.campaign_id ${scope} RETURNING c.id)
       SELECT id FROM u`,
      params,
    );
    if (redeemed) return this.dataSource.getRepository(Claim).findOneByOrFail({ id: redeemed.id });
    const [seen] = await this.dataSource.query(
      `SELECT c.status FROM claims c JOIN campaigns k ON k.id = c.campaign_id WHERE c.code = $1 ${scope}`,
      params,
    );
    if (!seen) return new InvalidCodeError();
    return seen.status === ClaimStatus.REDEEMED ? new AlreadyRedeemedError() : new ClaimCancelledError();
  }

  /** The influencer's own claim, or one of a campaign the principal manages; anything else is not found. */
  async visibleClaim(principal: Principal, claimId: string): Promise<Claim> {
    const claim = isUuid(claimId) ? await this.dataSource.getRepository(Claim).findOneBy({ id: claimId }) : null;
    if (!claim || !(await this.canSee(principal, claim))) throw notFound('Claim');
    return claim;
  }

  private async canSee(principal: Principal, claim: Claim): Promise<boolean> {
    if (principal.kind === 'user' && principal.role === Role.INFLUENCER) {
      return claim.influencerId === (await optedInInfluencerId(this.dataSource, principal.userId).catch(() => null));
    }
    const params: unknown[] = [claim.campaignId];
    const managed = managedBrandsSql(principal, params);
    const [row] = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM campaigns k WHERE k.id = $1 ${managed ? `AND k.brand_id IN (${managed})` : ''}) AS ok`,
      params,
    );
    return row.ok;
  }

  /** Whether the principal is the influencer who holds the claim (only they see its code). */
  async isHolder(principal: Principal | null, claim: Claim): Promise<boolean> {
    if (principal?.kind !== 'user' || principal.role !== Role.INFLUENCER) return false;
    return claim.influencerId === (await optedInInfluencerId(this.dataSource, principal.userId).catch(() => null));
  }
}
