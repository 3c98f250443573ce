import { registerEnumType } from 'type-graphql';
import { CampaignStatus } from '../campaigns/campaign.entity';
import { OfferStatus } from './offer.entity';

/**
 * When the matcher makes an offer, in one place: the matcher stops on these rules, and
 * eligibility (offerState) explains by them why one influencer has no offer. The claim itself
 * re-checks budget and cap exactly, under locks, in its own statement (claims.service.ts).
 */
export enum NoOfferReason {
  NOT_ELIGIBLE = 'NOT_ELIGIBLE',
  CAMPAIGN_NOT_LIVE = 'CAMPAIGN_NOT_LIVE',
  NOT_STARTED = 'NOT_STARTED',
  SOLD_OUT = 'SOLD_OUT',
  BUDGET_EXHAUSTED = 'BUDGET_EXHAUSTED',
  CLAIM_CAP_REACHED = 'CLAIM_CAP_REACHED',
  OUTSTANDING_OFFERS_AT_CAP = 'OUTSTANDING_OFFERS_AT_CAP',
  ALREADY_OFFERED = 'ALREADY_OFFERED',
  DECLINED_EARLIER = 'DECLINED_EARLIER',
  NOT_YET_MATCHED = 'NOT_YET_MATCHED',
}
registerEnumType(NoOfferReason, {
  name: 'NoOfferReason',
  description: 'Why an influencer has no open offer of a campaign (the rules the matcher follows)',
});

export interface NoOffer {
  reason: NoOfferReason;
  message: string;
}

/** What the rules read of a campaign (SQL: `campaignGateColumns`). */
export interface CampaignGate {
  status: CampaignStatus;
  over: boolean;
  started: boolean;
  budget_covers_unit: boolean;
  max_outstanding_offers: number;
  claim_cap: number | null;
}

/** The columns of CampaignGate, over campaigns `c` (its brand's cap read by a subquery). */
export const campaignGateColumns = (c: string) =>
  `${c}.status, ${c}.ends_at <= now() AS over, ${c}.starts_at <= now() AS started, ${c}.max_outstanding_offers,
   (${c}.budget IS NULL OR ${c}.budget_spent + ${c}.perk_value_cents <= ${c}.budget) AS budget_covers_unit,
   (SELECT b.max_active_claims_per_influencer FROM organizations b WHERE b.id = ${c}.brand_id) AS claim_cap`;

/** Why a campaign makes no new offers to anyone now; null when it may. */
export function campaignBlock(c: CampaignGate): NoOffer | null {
  if (c.status === CampaignStatus.ENDED || c.over) return { reason: NoOfferReason.CAMPAIGN_NOT_LIVE, message: 'The campaign is over' };
  if (c.status === CampaignStatus.SOLD_OUT) return { reason: NoOfferReason.SOLD_OUT, message: 'Every unit of the perk is claimed' };
  if (c.status !== CampaignStatus.ACTIVE) {
    return { reason: NoOfferReason.CAMPAIGN_NOT_LIVE, message: `The campaign is ${c.status.toLowerCase().replace('_', ' ')}` };
  }
  if (!c.started) return { reason: NoOfferReason.NOT_STARTED, message: 'The campaign has not started yet' };
  if (!c.budget_covers_unit) {
    return { reason: NoOfferReason.BUDGET_EXHAUSTED, message: "The campaign's budget cannot cover one more unit of the perk" };
  }
  return null;
}

/** Whether the campaign holds as many open offers as it allows. */
export function outstandingBlock(c: CampaignGate, open: number): NoOffer | null {
  return open >= c.max_outstanding_offers
    ? {
        reason: NoOfferReason.OUTSTANDING_OFFERS_AT_CAP,
        message: `The campaign has ${open} open offers, its limit: wait for some to close`,
      }
    : null;
}

export const capMessage = (cap: number) =>
  `The influencer holds ${cap} active claim${cap === 1 ? '' : 's'} of the brand's perks, its limit per influencer`;

/**
 * Influencers at the brand's cap ($brand, $cap): their active claims across the brand's
 * campaigns, counted. The matcher anti-joins it; eligibility asks it about one influencer.
 */
export function cappedInfluencersSql(brand: string, cap: string, influencer?: string): string {
  return `SELECT cl.influencer_id FROM claims cl JOIN campaigns k ON k.id = cl.campaign_id
          WHERE k.brand_id = ${brand} AND cl.status = 'ACTIVE' ${influencer ? `AND cl.influencer_id = ${influencer}` : ''}
          GROUP BY cl.influencer_id HAVING count(*) >= ${cap}`;
}

/**
 * Why one influencer has no open offer of a campaign, in the matcher's order: an offer once made
 * is never made again; a campaign that offers nothing; the targeting; the brand's cap; the room
 * for open offers; else the matcher has not reached them yet. Null: the offer is open.
 */
export function noOfferReason(args: {
  offer: { status: OfferStatus; expired: boolean } | null;
  gate: CampaignGate;
  eligible: boolean;
  capped: boolean;
  open: number;
}): NoOffer | null {
  const { offer, gate } = args;
  if (offer) {
    if (offer.status === OfferStatus.OFFERED && !offer.expired) return null;
    if (offer.status === OfferStatus.DECLINED)
      return { reason: NoOfferReason.DECLINED_EARLIER, message: 'The influencer declined this offer' };
    const what = offer.status === OfferStatus.OFFERED ? 'expired' : offer.status.toLowerCase();
    return {
      reason: NoOfferReason.ALREADY_OFFERED,
      message: `The influencer was offered this campaign already (${what}); offers are made once`,
    };
  }
  const blocked = campaignBlock(gate);
  if (blocked) return blocked;
  if (!args.eligible) return { reason: NoOfferReason.NOT_ELIGIBLE, message: "The influencer does not meet the campaign's targeting" };
  if (args.capped && gate.claim_cap !== null) return { reason: NoOfferReason.CLAIM_CAP_REACHED, message: capMessage(gate.claim_cap) };
  return (
    outstandingBlock(gate, args.open) ?? {
      reason: NoOfferReason.NOT_YET_MATCHED,
      message: 'Eligible, not offered yet: the matcher offers the best matches first as room allows',
    }
  );
}
