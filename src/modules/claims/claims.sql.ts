import { PreparedSql } from '../../core/database';
import { ErrorCode } from '../../core/errors';
import { targetingFactsSql } from '../campaigns/targeting';
import { influencerFactsSql } from '../campaigns/targeting-facts';
import { campaignDataSql, claimDataSql, webhookEndpointsColumn, webhookEventsCte, WebhookEventType } from '../webhooks/webhook-events';
import { BudgetExhaustedError, CampaignNotActiveError, CLAIM_FAILURES, ClaimCapReachedError, SoldOutError } from './claims.errors';

/**
 * The statements of claimOffer, prepared once per connection (see PreparedSql). Two ways through:
 *
 *   one message   BEGIN; CLAIM_LOCK; CLAIM_FAST; COMMIT: the claim when everything the SQL can
 *                 check says yes (or the campaign's own refusal: sold out, not active, no budget);
 *                 otherwise it writes nothing and the claim goes the long way.
 *   two messages  BEGIN; CLAIM_FIRST, then the answer decided in JavaScript (explainTargeting says
 *                 why not) with CLAIM_TAKE, CLAIM_REFUSE or CLAIM_REPLAY and the COMMIT.
 *
 * Both take the same locks in the same order: key, offer, cap lock, campaign row.
 */

/** The claiming user's ($1) opted-in influencer profile, as every claim statement reads it. */
const ME = 'SELECT id FROM influencers WHERE user_id = $1 AND opted_in_at IS NOT NULL';

/** The current snapshot's run id, for influencerFactsSql (-1: no run yet). */
const CURRENT_RUN = 'coalesce((SELECT id FROM score_runs WHERE is_current), -1)';

/**
 * The claim's first statement, after BEGIN: takes the idempotency key ($2, may be null) of the
 * user's ($1) influencer profile, locks the offer ($3) and reads its campaign and (withFacts) the
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
function firstSql(withFacts: boolean): string {
  // The one message's lock (no facts) also holds the influencer's row against an erasure (FOR KEY
  // SHARE: only a delete waits for it, not a profile edit), so that CLAIM_FAST, which can only
  // undo the key it took through that row, still finds it. The long way rolls back instead.
  return `WITH me AS (${ME}${withFacts ? '' : ' FOR KEY SHARE'}),
   taken_key AS (
     INSERT INTO claim_requests (influencer_id, idempotency_key, offer_id)
     SELECT id, $2, $3 FROM me WHERE $2 IS NOT NULL
     ON CONFLICT DO NOTHING RETURNING 1)
   SELECT me.id AS influencer_id, EXISTS (SELECT 1 FROM taken_key) AS fresh, o.*, cap.cap_locked
          ${withFacts ? ', f.id AS facts_id, f.country, f.language, f.score, f.reach, f.audience_quality, f.networks, f.topics' : ''}
   FROM me
   LEFT JOIN LATERAL (
     SELECT o.id, o.campaign_id, o.status, o.expires_at <= now() AS expired, c.status AS campaign_status, c.targeting,
            c.starts_at <= now() AND c.ends_at > now() AS running, b.max_active_claims_per_influencer AS claim_cap
     FROM offers o JOIN campaigns c ON c.id = o.campaign_id JOIN organizations b ON b.id = c.brand_id
     WHERE o.id = $3 AND o.influencer_id = me.id FOR UPDATE OF o) o ON true
   LEFT JOIN LATERAL (
     SELECT true AS cap_locked FROM (SELECT pg_advisory_xact_lock(hashtextextended('claim-cap:' || me.id, 0))) l
     WHERE o.claim_cap IS NOT NULL) cap ON true
   ${withFacts ? `LEFT JOIN LATERAL (${influencerFactsSql('inf.id = me.id', CURRENT_RUN)}) f ON true` : ''}`;
}

export const CLAIM_FIRST = new PreparedSql('claim_offer_first', ['uuid', 'text', 'uuid'], firstSql(true));

/** CLAIM_FIRST without the facts, for the one message (CLAIM_FAST reads them itself, after the locks). */
export const CLAIM_LOCK = new PreparedSql('claim_offer_lock', ['uuid', 'text', 'uuid'], firstSql(false));

/**
 * The webhook events of a taken unit (claim.created, and campaign.sold_out when the claim took the
 * last unit), CTEs appended to the WITH list: they read its `claim` and `campaign` CTEs (the
 * locked row).
 */
const TAKE_WEBHOOKS = `${webhookEventsCte('wh', [
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

/** SQL expressions (parameters or subqueries) naming what a unit is taken for. */
interface TakeValues {
  campaign: string;
  offer: string;
  influencer: string;
  code: string;
  /** The idempotency key (may be NULL). */
  key: string;
  /** The answers to store by verdict code (jsonb). */
  refusals: string;
  /** The brand's cap on active claims per influencer (NULL: none). */
  cap: string;
}

/**
 * Takes a unit of `campaign` for `offer` of `influencer`, creates the claim with `code`, closes
 * the offer and records the answer for `key` (the claim, or why there was no unit: the stored
 * failure `refusals` holds under the verdict's code), as CTEs of one statement sent with the
 * COMMIT. `campaign` locks the row and reads its latest version, which the UPDATE then changes (a
 * unit taken, the perk's value spent), or leaves alone when `verdict` names a reason. The cap's
 * count runs only for a capped brand (`cap` not null: CLAIM_FIRST holds the influencer's cap
 * lock), in this statement's snapshot, taken after that lock: it sees every claim before it. With
 * no campaign row (a NULL `campaign`) it does nothing at all.
 */
function takeCtes(v: TakeValues): string {
  return `campaign AS (SELECT id, brand_id, name, inventory, ended_at, status, remaining, budget, budget_spent, perk_value_cents
                    FROM campaigns WHERE id = ${v.campaign} FOR UPDATE),
   verdict AS (
     SELECT CASE WHEN remaining = 0 THEN 'SOLD_OUT' WHEN status <> 'ACTIVE' THEN 'CAMPAIGN_NOT_ACTIVE'
                 WHEN budget_spent + perk_value_cents > budget THEN 'BUDGET_EXHAUSTED'
                 WHEN ${v.cap} IS NOT NULL AND (SELECT count(*) FROM claims cl JOIN campaigns k ON k.id = cl.campaign_id
                                          WHERE cl.influencer_id = ${v.influencer} AND cl.status = 'ACTIVE' AND k.brand_id = campaign.brand_id) >= ${v.cap}
                 THEN 'CLAIM_CAP_REACHED' END AS refusal
     FROM campaign),
   taken AS (
     UPDATE campaigns c SET remaining = c.remaining - 1, budget_spent = c.budget_spent + c.perk_value_cents, updated_at = now(),
            status = CASE WHEN c.remaining = 1 THEN 'SOLD_OUT'::campaign_status ELSE c.status END
     FROM campaign, verdict WHERE c.id = campaign.id AND verdict.refusal IS NULL RETURNING c.id),
   claim AS (
     INSERT INTO claims (offer_id, campaign_id, influencer_id, code)
     SELECT ${v.offer}, id, ${v.influencer}, ${v.code} FROM taken
     RETURNING id, offer_id, campaign_id, influencer_id, code, status, claimed_at),
   closed AS (
     UPDATE offers SET status = 'CLAIMED', closed_at = now() WHERE id = ${v.offer} AND EXISTS (SELECT 1 FROM claim)),
   refused AS (SELECT ${v.refusals} -> refusal AS answer FROM verdict WHERE NOT EXISTS (SELECT 1 FROM claim)),
   answered AS (
     UPDATE claim_requests SET result =
       CASE WHEN EXISTS (SELECT 1 FROM claim) THEN jsonb_build_object('claimId', (SELECT id FROM claim))
            ELSE (SELECT answer FROM refused) END
     WHERE influencer_id = ${v.influencer} AND idempotency_key = ${v.key}),
   ${TAKE_WEBHOOKS}`;
}

/** What a taking statement returns: the new claim's columns, the stored refusal, the endpoints to deliver to. */
const TAKE_ANSWER = `claim.*, (SELECT answer FROM refused) AS refused, ${webhookEndpointsColumn('wh')}
   FROM (SELECT 1) AS one LEFT JOIN claim ON true`;

/**
 * The two-message path's last statement, with the COMMIT: a unit of campaign $1 for offer $2 of
 * influencer $3 with code $4, the answer recorded for key $5 ($6: the stored refusals by code;
 * $7: the brand's cap).
 */
export const CLAIM_TAKE = new PreparedSql(
  'claim_offer_take',
  ['uuid', 'uuid', 'uuid', 'text', 'text', 'jsonb', 'int'],
  `WITH ${takeCtes({ campaign: '$1', offer: '$2', influencer: '$3', code: '$4', key: '$5', refusals: '$6', cap: '$7' })}
   SELECT ${TAKE_ANSWER}`,
);

/**
 * The one message's claim, after CLAIM_LOCK (same user $1, key $2, offer $3) in the same
 * transaction: code $4, stored refusals $5. `ok` holds the offer only when the long way would reach
 * CLAIM_TAKE too: the key was taken by this transaction (a retry's key has its answer already),
 * the offer is still open and within its lifetime, the campaign live (or sold out: CLAIM_TAKE's
 * verdict answers that, as the long way's refusal would) and within its dates, the brand uncapped,
 * and the influencer eligible by every condition's factsSql on the current snapshot (stricter than
 * explainTargeting, never looser). Then it is CLAIM_TAKE. Otherwise nothing is written: the key
 * this transaction took is deleted again, so the long way takes it afresh (a retry waiting on it
 * then takes it, or waits for the long way's answer), and `fast` is false.
 */
export const CLAIM_FAST = new PreparedSql(
  'claim_offer_fast',
  ['uuid', 'text', 'uuid', 'text', 'jsonb'],
  `WITH me AS (${ME}),
   open_offer AS (
     SELECT o.campaign_id, c.targeting FROM me
     JOIN offers o ON o.id = $3 AND o.influencer_id = me.id
     JOIN campaigns c ON c.id = o.campaign_id JOIN organizations b ON b.id = c.brand_id
     WHERE o.status = 'OFFERED' AND o.expires_at > now() AND c.status IN ('ACTIVE', 'SOLD_OUT')
       AND c.starts_at <= now() AND c.ends_at > now() AND b.max_active_claims_per_influencer IS NULL
       AND ($2 IS NULL OR EXISTS (SELECT 1 FROM claim_requests r
                                  WHERE r.influencer_id = me.id AND r.idempotency_key = $2 AND r.offer_id = $3 AND r.result IS NULL))),
   ok AS (
     SELECT open_offer.campaign_id, f.id AS influencer_id FROM open_offer
     CROSS JOIN LATERAL (${influencerFactsSql('inf.id = (SELECT id FROM me)', CURRENT_RUN)}) f
     WHERE ${targetingFactsSql('open_offer.targeting', 'f')}),
   ${takeCtes({
     campaign: '(SELECT campaign_id FROM ok)',
     offer: '$3',
     influencer: '(SELECT influencer_id FROM ok)',
     code: '$4',
     key: '$2',
     refusals: '$5',
     cap: 'NULL::int',
   })},
   dropped AS (
     DELETE FROM claim_requests WHERE NOT EXISTS (SELECT 1 FROM ok)
       AND influencer_id = (SELECT id FROM me) AND idempotency_key = $2 AND result IS NULL)
   SELECT EXISTS (SELECT 1 FROM ok) AS fast, ${TAKE_ANSWER}`,
);

/**
 * Ends the refusal of a claim: records the answer ($5) for the key ($4, may be null) of influencer
 * $3, and closes offer $1 when it was found past its lifetime ($2), with the COMMIT.
 */
export const CLAIM_REFUSE = new PreparedSql(
  'claim_offer_refuse',
  ['uuid', 'boolean', 'uuid', 'text', 'jsonb'],
  `WITH expired AS (UPDATE offers SET status = 'EXPIRED', closed_at = now() WHERE id = $1 AND $2)
   UPDATE claim_requests SET result = $5 WHERE influencer_id = $3 AND idempotency_key = $4`,
);

/**
 * A retry's answer, read with the COMMIT: the offer key $2 of influencer $1 was taken for, the
 * answer stored for it and, when that was a claim, the claim as it is now.
 */
export const CLAIM_REPLAY = new PreparedSql(
  'claim_offer_replay',
  ['uuid', 'text'],
  `SELECT r.offer_id AS key_offer_id, r.result, c.id, c.offer_id, c.campaign_id, c.influencer_id, c.code, c.status,
          c.claimed_at, c.redeemed_at, c.cancelled_at
   FROM claim_requests r LEFT JOIN claims c ON c.id = (r.result ->> 'claimId')::uuid
   WHERE r.influencer_id = $1 AND r.idempotency_key = $2`,
);

/** Every statement of claimOffer, prepared on a connection together. */
export const CLAIM_STATEMENTS = [CLAIM_LOCK, CLAIM_FAST, CLAIM_FIRST, CLAIM_TAKE, CLAIM_REFUSE, CLAIM_REPLAY];

/**
 * What a taking statement may record for a key when there was no unit to take, by its verdict's
 * code (the cap's answer, which names the brand's limit, is added per claim).
 */
const TAKE_REFUSALS = Object.fromEntries(
  [new SoldOutError(), new CampaignNotActiveError(), new BudgetExhaustedError()].map((f) => [f.errorCode, CLAIM_FAILURES.store(f)]),
);
export const UNCAPPED_REFUSALS = JSON.stringify(TAKE_REFUSALS);
export const refusalAnswers = (cap: number | null): string =>
  cap === null
    ? UNCAPPED_REFUSALS
    : JSON.stringify({ ...TAKE_REFUSALS, [ErrorCode.CLAIM_CAP_REACHED]: CLAIM_FAILURES.store(new ClaimCapReachedError(cap)) });
