import { Role, type UserPrincipal } from '../core/context';
import type { Logger } from '../core/logger';
import { CampaignStatus, PerkKind } from '../modules/campaigns/campaign.entity';
import type { CreateCampaignInput } from '../modules/campaigns/campaigns.types';
import type { Services } from '../modules/services';

/**
 * What the demo influencer (Ines) does with a campaign's offer once matched: claims it, or claims
 * it and has the brand redeem the code, or leaves it open for the newcomer to claim.
 */
type Walk = 'redeemed' | 'claimed' | 'open';

interface DemoCampaign {
  /** The brand user who creates (and redeems for) the campaign. */
  brand: string;
  input: Omit<CreateCampaignInput, 'brandId' | 'endsAt' | 'offerLifetimeHours'>;
  /** DRAFT campaigns are left for the brand's own journey (launch, watch the funnel). */
  launch: boolean;
  walk?: Walk;
}

/** The demo influencer whose journey the README walks. */
export const DEMO_WALKER = 'influencer@demo.perks';

/**
 * Demo campaigns, each targeting what the demo influencers' scores and profiles meet: Ines (FR,
 * food topics, score well above 55) is eligible for every ACTIVE one but the headphones, which
 * are for tech creators like Ivan. The lounge is Klout Perks' classic (a 55+ score).
 * maxOutstandingOffers covers every eligible influencer of the synthetic network at once: with
 * the default (twice the inventory) the matcher's fair rotation would rank Ines, already offered
 * other perks, below people with none, and the demo would depend on that ranking.
 */
const CAMPAIGNS: DemoCampaign[] = [
  {
    brand: 'brand@demo.perks',
    input: {
      name: 'Single-origin tasting kit',
      perk: {
        title: 'Tasting kit',
        description: 'Four 100 g bags of single-origin beans',
        kind: PerkKind.PRODUCT,
        valueCents: 3900,
        currency: 'EUR',
      },
      inventory: 40,
      targeting: { minScore: 30, topics: { slugs: ['food-coffee', 'food-baking', 'food-vegan'] } },
      maxOutstandingOffers: 2_000,
    },
    launch: true,
    walk: 'redeemed',
  },
  {
    brand: 'brand@demo.perks',
    input: {
      name: 'Cold brew launch box',
      perk: {
        title: 'Cold brew box',
        description: 'Six bottles of the new cold brew, before it ships',
        kind: PerkKind.PRODUCT,
        valueCents: 2400,
        currency: 'EUR',
      },
      inventory: 25,
      targeting: { minScore: 45, topics: { slugs: ['food-coffee'] } },
      maxOutstandingOffers: 2_000,
    },
    launch: true,
    walk: 'claimed',
  },
  {
    brand: 'brand@demo.perks',
    input: {
      name: 'Roastery lounge evening',
      perk: {
        title: 'Lounge pass',
        description: 'An evening at the Northwind roastery',
        kind: PerkKind.EXPERIENCE,
        valueCents: 12000,
        currency: 'EUR',
      },
      inventory: 10,
      targeting: { minScore: 55, countries: ['FR', 'DE', 'GB'] },
      maxOutstandingOffers: 2_000,
    },
    launch: true,
    walk: 'open',
  },
  {
    brand: 'brand@demo.perks',
    input: {
      name: 'Barista masterclass',
      perk: {
        title: 'Masterclass seat',
        description: 'A morning with our head roaster in Paris',
        kind: PerkKind.ACCESS,
        valueCents: 9000,
        currency: 'EUR',
      },
      inventory: 8,
      targeting: { minScore: 60, topics: { slugs: ['food-coffee'] }, countries: ['FR'] },
    },
    launch: false,
  },
  {
    brand: 'brand2@demo.perks',
    input: {
      name: 'Kitchen speaker for food creators',
      perk: {
        title: 'Kitchen speaker',
        description: 'A splash-proof speaker for filming in the kitchen',
        kind: PerkKind.PRODUCT,
        valueCents: 8900,
        currency: 'EUR',
      },
      inventory: 30,
      targeting: { minScore: 50, topics: { slugs: ['food-coffee', 'food-baking', 'food-recipes'] }, countries: ['FR', 'DE', 'ES', 'IT'] },
      maxOutstandingOffers: 2_000,
    },
    launch: true,
    walk: 'open',
  },
  {
    brand: 'brand2@demo.perks',
    input: {
      name: 'Studio headphones',
      perk: {
        title: 'Studio headphones',
        description: 'Closed-back headphones for editing',
        kind: PerkKind.PRODUCT,
        valueCents: 14900,
        currency: 'USD',
      },
      inventory: 20,
      targeting: { minScore: 40, topics: { slugs: ['tech-gadgets'] } },
      maxOutstandingOffers: 2_000,
    },
    launch: true,
  },
];

/** Demo offers stay open two weeks (the default is 72 h), so the demo still walks a few days after `npm start`. */
const DEMO_OFFER_LIFETIME_HOURS = 14 * 24;

const principal = (users: Map<string, string>, email: string, role: Role): UserPrincipal => ({
  kind: 'user',
  userId: users.get(email)!,
  role,
});

/**
 * Creates the demo campaigns, launches the live ones and matches each at once against the current
 * score run (the launch also enqueues a match for the worker: a no-op by then, offers are unique
 * per campaign and influencer), then walks Ines through what the README shows: one perk claimed,
 * one claimed and redeemed by the brand with its code, the rest left open. Everything goes through
 * the services the API calls, so the inbox gets what it would in use (OFFER_NEW, CLAIM_REDEEMED).
 * `users`: email -> user id of the demo people.
 */
export async function seedDemoCampaigns(services: Services, users: Map<string, string>, log: Logger): Promise<void> {
  const walker = principal(users, DEMO_WALKER, Role.INFLUENCER);
  const endsAt = new Date(Date.now() + 60 * 86_400_000);
  const created: Array<{ id: string; campaign: DemoCampaign }> = [];
  for (const campaign of CAMPAIGNS) {
    const brand = principal(users, campaign.brand, Role.BRAND);
    const [organization] = await services.accounts.organizationsOfUser(brand.userId);
    const result = await services.campaigns.create(brand, {
      ...campaign.input,
      brandId: organization.id,
      endsAt,
      offerLifetimeHours: DEMO_OFFER_LIFETIME_HOURS,
    });
    if (!('status' in result)) throw new Error(`demo campaign failed: ${result.message}`);
    if (!campaign.launch) continue;
    const launched = await services.campaigns.transition(brand, result.id, 'launch');
    if (!('status' in launched) || launched.status !== CampaignStatus.ACTIVE)
      throw new Error(`demo campaign ${campaign.input.name} did not launch`);
    created.push({ id: result.id, campaign });
  }
  for (const { id } of created) await services.matching.matchCampaign(id, log);

  const offers = await services.matching.myOffers(walker.userId, { first: 100 });
  const offerOf = (campaignId: string) => offers.edges.find((e) => e.node.campaignId === campaignId)?.node;
  for (const { id, campaign } of created) {
    if (!campaign.walk) continue;
    const offer = offerOf(id);
    if (!offer) throw new Error(`the demo influencer was not offered ${campaign.input.name}: is their score still above its targeting?`);
    if (campaign.walk === 'open') continue;
    const claim = await services.claims.claimOffer(walker, offer.id, `demo-${id}`);
    if (!('code' in claim) || !claim.code) throw new Error(`the demo claim of ${campaign.input.name} failed: ${JSON.stringify(claim)}`);
    if (campaign.walk === 'redeemed') {
      const redeemed = await services.claims.redeemClaim(principal(users, campaign.brand, Role.BRAND), claim.code);
      if (!('status' in redeemed)) throw new Error(`the demo redemption of ${campaign.input.name} failed: ${redeemed.message}`);
    }
  }
  log.info({ campaigns: CAMPAIGNS.length, launched: created.length }, 'demo campaigns matched; the demo influencer claimed and redeemed');
}
