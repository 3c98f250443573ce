import type DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { RequestContext } from '../core/context';
import { claimsLedgerLoaders, type ClaimsLedgerLoaders } from './claims/claims-ledger.loaders';
import { influencerIdOfUserLoader, socialAccountsLoader } from './influencers/influencers.loaders';
import type { SocialAccount } from './influencers/social-account.entity';
import { matchingLoaders, type MatchingLoaders } from './matching/matching.loaders';
import type { CurrentRunCache } from './scoring/current-run';
import { ScoreReader } from './scoring/score-reader';

/** Per-request batching and caching, one set per request (DataLoaders must never outlive it). */
export interface Loaders {
  scores: ScoreReader;
  socialAccounts: DataLoader<string, SocialAccount[]>;
  influencerIdOfUser: DataLoader<string, string | null>;
  matching: MatchingLoaders;
  claims: ClaimsLedgerLoaders;
}

/** Each loader is made on first use: most requests need one or none of them. */
export function createLoaders(dataSource: DataSource, currentRuns: CurrentRunCache): Loaders {
  let scores: ScoreReader | undefined;
  let socialAccounts: DataLoader<string, SocialAccount[]> | undefined;
  let influencerIdOfUser: DataLoader<string, string | null> | undefined;
  let matching: MatchingLoaders | undefined;
  let claims: ClaimsLedgerLoaders | undefined;
  return {
    get scores() {
      return (scores ??= new ScoreReader(dataSource, currentRuns));
    },
    get socialAccounts() {
      return (socialAccounts ??= socialAccountsLoader(dataSource));
    },
    get influencerIdOfUser() {
      return (influencerIdOfUser ??= influencerIdOfUserLoader(dataSource));
    },
    get matching() {
      return (matching ??= matchingLoaders(dataSource));
    },
    get claims() {
      return (claims ??= claimsLedgerLoaders(dataSource));
    },
  };
}

/** What module resolvers receive: the core request context plus this request's loaders. */
export type ModuleContext = RequestContext & { loaders: Loaders };
