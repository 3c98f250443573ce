import type DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { RequestContext } from '../core/context';
import { socialAccountsLoader } from './influencers/influencers.loaders';
import type { SocialAccount } from './influencers/social-account.entity';
import { matchingLoaders, type MatchingLoaders } from './matching/matching.loaders';
import { ScoreReader } from './scoring/score-reader';

/** Per-request batching and caching, one set per request (DataLoaders must never outlive it). */
export interface Loaders {
  scores: ScoreReader;
  socialAccounts: DataLoader<string, SocialAccount[]>;
  matching: MatchingLoaders;
}

export function createLoaders(dataSource: DataSource): Loaders {
  return { scores: new ScoreReader(dataSource), socialAccounts: socialAccountsLoader(dataSource), matching: matchingLoaders(dataSource) };
}

/** What module resolvers receive: the core request context plus this request's loaders. */
export type ModuleContext = RequestContext & { loaders: Loaders };
