import { ErrorCode } from '../../src/core/errors';
import { EligibilityReason } from '../../src/modules/campaigns/campaigns.types';
import * as claims from '../../src/modules/claims/claims.errors';

/** claim_requests.result as the code before the failure registry wrote it, one row per failure. */
const WRITTEN_BEFORE = [
  '{"errorCode":"SOLD_OUT","message":"Every unit of this perk has been claimed"}',
  '{"errorCode":"OFFER_EXPIRED","message":"This offer has expired"}',
  '{"errorCode":"OFFER_WITHDRAWN","message":"This offer was withdrawn: you no longer meet the targeting, or the campaign is over"}',
  '{"errorCode":"OFFER_DECLINED","message":"You declined this offer"}',
  '{"errorCode":"ALREADY_CLAIMED","message":"You already claimed this perk"}',
  `{"errorCode":"NOT_ELIGIBLE","message":"You no longer meet this campaign's targeting: score 10 is below 11","reasons":[{"condition":"MIN_SCORE","message":"score 10 is below 11"}]}`,
  '{"errorCode":"CAMPAIGN_NOT_ACTIVE","message":"The campaign is not running now (paused, not started yet, or over)"}',
  `{"errorCode":"BUDGET_EXHAUSTED","message":"The campaign's budget cannot cover one more unit of this perk"}`,
  `{"errorCode":"CLAIM_CAP_REACHED","message":"You hold 2 active claims of this brand's perks, its limit: redeem or cancel one before claiming another","limit":2}`,
];

const reason = Object.assign(new EligibilityReason(), { condition: 'MIN_SCORE', message: 'score 10 is below 11' });
const FAILURES: claims.ClaimFailure[] = [
  new claims.SoldOutError(),
  new claims.OfferExpiredError(),
  new claims.OfferWithdrawnError(),
  new claims.OfferDeclinedError(),
  new claims.AlreadyClaimedError(),
  new claims.NotEligibleError([reason]),
  new claims.CampaignNotActiveError(),
  new claims.BudgetExhaustedError(),
  new claims.ClaimCapReachedError(2),
];

describe('the claimOffer failure registry', () => {
  it('rebuilds a row written in the format of the code before the registry into the same failure, of the same class', () => {
    WRITTEN_BEFORE.forEach((json, i) => {
      const rebuilt = claims.CLAIM_FAILURES.rebuild(JSON.parse(json));
      expect(rebuilt).toBeInstanceOf(FAILURES[i].constructor);
      expect(rebuilt).toEqual(FAILURES[i]);
    });
    expect((claims.CLAIM_FAILURES.rebuild(JSON.parse(WRITTEN_BEFORE[5])) as claims.NotEligibleError).reasons[0]).toBeInstanceOf(
      EligibilityReason,
    );
  });

  it('stores every failure in that same format', () => {
    expect(FAILURES.map((f) => JSON.parse(JSON.stringify(claims.CLAIM_FAILURES.store(f))))).toEqual(
      WRITTEN_BEFORE.map((j) => JSON.parse(j)),
    );
  });

  it('keeps the stored message, not the one the class would write today', () => {
    const rebuilt = claims.CLAIM_FAILURES.rebuild({ errorCode: 'CAMPAIGN_NOT_ACTIVE', message: 'The campaign is paused' });
    expect(rebuilt).toBeInstanceOf(claims.CampaignNotActiveError);
    expect(rebuilt.message).toBe('The campaign is paused');
  });

  it('refuses a stored code outside the family, instead of answering something else', () => {
    for (const stored of [
      { errorCode: 'NO_SUCH_CODE', message: 'x' },
      { errorCode: ErrorCode.IDEMPOTENCY_KEY_REUSED, message: 'x' },
      { errorCode: 'constructor', message: 'x' },
      { message: 'x' },
      null,
    ]) {
      expect(() => claims.CLAIM_FAILURES.rebuild(stored)).toThrow(/claimOffer: a stored answer with the error code/);
    }
  });

  it('lists the GraphQL types of its failures, in order, for the union (the reused key is not one: it is never stored)', () => {
    expect(claims.CLAIM_FAILURES.types).toEqual(FAILURES.map((f) => f.constructor));
    expect(claims.CLAIM_FAILURES.types).not.toContain(claims.IdempotencyKeyReusedError);
  });
});
