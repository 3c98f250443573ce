import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import { Campaign } from '../campaigns/campaign.entity';
import { Claim } from '../claims/claim.entity';
import { campaignStats } from './matching.service';
import type { CampaignStats } from './matching.types';

export interface MatchingLoaders {
  campaigns: DataLoader<string, Campaign | null>;
  claimsByOffer: DataLoader<string, Claim | null>;
  campaignStats: DataLoader<string, Omit<CampaignStats, 'remaining'>>;
}

/** A page of offers shows each one's campaign and claim; a page of campaigns each one's funnel: one query per kind. */
export function matchingLoaders(dataSource: DataSource): MatchingLoaders {
  return {
    campaigns: new DataLoader(async (ids) => {
      const rows = await dataSource.getRepository(Campaign).findBy({ id: In([...ids]) });
      return ids.map((id) => rows.find((c) => c.id === id) ?? null);
    }),
    claimsByOffer: new DataLoader(async (ids) => {
      const rows = await dataSource.getRepository(Claim).findBy({ offerId: In([...ids]) });
      return ids.map((id) => rows.find((c) => c.offerId === id) ?? null);
    }),
    campaignStats: new DataLoader(async (ids) => {
      const stats = await campaignStats(dataSource, ids);
      return ids.map((id) => stats.get(id)!);
    }),
  };
}
